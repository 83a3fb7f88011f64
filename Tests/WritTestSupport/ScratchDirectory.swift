import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Scratch directories for tests, all under one root per test process that is removed when the
/// process exits, so that a test run leaves nothing behind in the temporary directory.
///
/// The root is `writ-tests-PID` in the system's temporary directory. A run that was killed
/// cannot remove its root; the next run removes the roots of processes that no longer exist.
public enum ScratchDirectory {
    /// The root of this process's scratch directories.
    public static let root: String = {
        let temporary = FileManager.default.temporaryDirectory
        removeAbandonedRoots(in: temporary.path)
        let path = temporary.appendingPathComponent("\(prefix)\(getpid())", isDirectory: true).path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        atexit { ScratchDirectory.removeRoot() }
        return path
    }()

    /// A new, empty directory whose name starts with `name`.
    public static func make(_ name: String) -> String {
        let path = self.path(name)
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A new path whose name starts with `name` and ends with `suffix`; nothing is created there.
    public static func path(_ name: String, suffix: String = "") -> String {
        URL(fileURLWithPath: root, isDirectory: true)
            .appendingPathComponent("\(name)-\(UUID().uuidString)\(suffix)").path
    }

    private static let prefix = "writ-tests-"

    private static func removeRoot() {
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Removes the roots left by test processes that were killed before they could remove them.
    private static func removeAbandonedRoots(in temporary: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: temporary) else { return }
        for name in names where name.hasPrefix(prefix) {
            guard let pid = pid_t(name.dropFirst(prefix.count)), pid != getpid() else { continue }
            if kill(pid, 0) == -1 && errno == ESRCH {
                try? FileManager.default.removeItem(atPath: temporary + "/" + name)
            }
        }
    }
}
