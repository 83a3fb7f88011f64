import Foundation

/// A new directory under the system's temporary directory, removed by `remove()`.
struct TestDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("writ-sqlite-test-\(UUID().uuidString)", isDirectory: true).path
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
