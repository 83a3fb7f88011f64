import Foundation
import WritTestSupport

/// A new scratch directory (`ScratchDirectory`), removed by `remove()` or when the test process exits.
struct TestDirectory {
    let path: String

    init() throws {
        path = ScratchDirectory.path("writ-sqlite-test")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// A path inside the directory.
    func file(_ name: String) -> String {
        URL(fileURLWithPath: path, isDirectory: true).appendingPathComponent(name).path
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
