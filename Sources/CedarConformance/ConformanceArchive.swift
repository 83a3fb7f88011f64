import Foundation
import WritProcess

/// Unpacking of the gzipped conformance corpus with the system `tar`.
public enum ConformanceArchive {
    /// Returns `path` itself when it is a directory; unpacks a `.tar.gz` into a fresh
    /// temporary directory and returns that directory.
    public static func unpackedIfNeeded(_ path: String) throws -> String {
        guard path.hasSuffix(".tar.gz") || path.hasSuffix(".tgz") else { return path }
        let target = FileManager.default.temporaryDirectory
            .appendingPathComponent("writ-conformance-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        let tar = try ChildProcess(
            executable: "/usr/bin/env", arguments: ["tar", "-xzf", path, "-C", target.path], standardInput: .null)
        guard tar.waitUntilExit() == .exited(0) else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: path])
        }
        return target.path
    }
}
