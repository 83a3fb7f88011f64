import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The least a durable record before each answer can cost: each request's line is
/// appended to one file and the request answered only once that line is on the disk
/// (`write` and `fdatasync`), group-committed as Writ's audit log is — while one
/// write and sync is in flight the lines arriving queue, and the next sync takes them
/// all. No encoding, no hash chain, no database: what is left is the disk's sync and
/// the hand-off to the thread that waits for it. `run_wrk_audit.sh` runs the baseline
/// with and without it at the loads it runs Writ at, so the rise of its p99 is the
/// floor the audit target is judged against on the machine at hand.
final class DurableAppender: Sendable {
    private struct Waiting {
        var line: [UInt8]
        var continuation: CheckedContinuation<Bool, Never>
    }

    private struct State {
        var queue: [Waiting] = []
        var failed = false
    }

    private let descriptor: Int32
    private let state = Mutex(State())
    private let ready = DispatchSemaphore(value: 0)

    /// Opens (creates, truncates) `path` and starts the thread that writes and syncs it.
    init(path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        self.descriptor = descriptor
        let thread = Thread { [self] in self.run() }
        thread.name = "durable-appender"
        thread.start()
    }

    /// Appends `line` and returns once it is synced to the disk: true, or false when the
    /// write or the sync failed (the answer must then not be given as recorded).
    func append(_ line: [UInt8]) async -> Bool {
        await withCheckedContinuation { continuation in
            let failed = state.withLock { s -> Bool in
                if s.failed { return true }
                s.queue.append(Waiting(line: line, continuation: continuation))
                return false
            }
            if failed { continuation.resume(returning: false) } else { ready.signal() }
        }
    }

    /// The writer: takes everything queued, writes it in one `write`, syncs, answers.
    private func run() {
        while true {
            ready.wait()
            let group = state.withLock { s -> [Waiting] in
                defer { s.queue.removeAll(keepingCapacity: true) }
                return s.queue
            }
            guard !group.isEmpty else { continue }
            var bytes: [UInt8] = []
            for waiting in group {
                bytes += waiting.line
                bytes.append(UInt8(ascii: "\n"))
            }
            let written = bytes.withUnsafeBytes { buffer -> Bool in
                var offset = 0
                while offset < buffer.count {
                    let count = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if count < 0 {
                        if errno == EINTR { continue }
                        return false
                    }
                    offset += count
                }
                return true
            }
            let synced = written && fdatasync(descriptor) == 0
            if !synced { state.withLock { $0.failed = true } }
            for waiting in group { waiting.continuation.resume(returning: synced) }
        }
    }
}
