import Foundation

/// The name the operating system shows for a thread (`top -H`, `perf`, `/proc`).
///
/// Foundation's `Thread.name` stays a property of the `Thread` object on Linux: a thread
/// started from a cooperative-pool thread shows that thread's name (`…oot.default-qos`)
/// instead. A thread of Writ's own calls `adopt` first thing.
package enum ThreadName {
    /// The most bytes Linux keeps of a thread's name.
    package static let maxBytes = 15

    /// Names the calling thread `name`, cut to its first `maxBytes` bytes at a character
    /// boundary. Does nothing where the system has no `/proc/thread-self/comm`.
    package static func adopt(_ name: String) {
        var cut = Substring(name)
        while cut.utf8.count > maxBytes { cut = cut.dropLast() }
        try? String(cut).write(toFile: "/proc/thread-self/comm", atomically: false, encoding: .utf8)
    }

    /// The calling thread's name as the system shows it; nil where it has none to show.
    package static func current() -> String? {
        (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8))?
            .trimmingCharacters(in: .newlines)
    }
}
