import Foundation
import WritTestSupport

enum FileManagerHelpers {
    /// A new, empty directory, removed when the test process exits.
    static func temporaryDirectory() -> String {
        ScratchDirectory.make("writ-cli")
    }

    static func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }
}
