import Foundation
import WritProcess

/// Unpacking of the gzipped conformance corpus with the system `tar`.
public enum ConformanceArchive {
    /// Runs `body` with `path` itself when it is a directory; with a `.tar.gz` or `.tgz`, unpacks
    /// it into a fresh temporary directory, runs `body` with that directory and removes it.
    public static func withUnpacked<T>(_ path: String, _ body: (String) throws -> T) throws -> T {
        guard path.hasSuffix(".tar.gz") || path.hasSuffix(".tgz") else { return try body(path) }
        let target = FileManager.default.temporaryDirectory
            .appendingPathComponent("writ-conformance-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: target) }
        let tar = try ChildProcess(
            executable: "/usr/bin/env", arguments: ["tar", "-xzf", path, "-C", target.path], standardInput: .null)
        guard tar.waitUntilExit() == .exited(0) else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: path])
        }
        return try body(target.path)
    }
}
