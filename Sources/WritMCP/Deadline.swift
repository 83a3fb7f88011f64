import Synchronization

/// Runs work that cannot be cancelled midway (a decision being stored, a call at an
/// upstream) against a time limit: whichever ends first answers, and the work left
/// behind runs to its end unobserved.
enum Deadline {
    /// Set while a call starts on a thread that reads a transport (`WritGateway.shortcut`):
    /// work started there waits until the call's task has suspended, then runs on that
    /// thread.
    @TaskLocal static var readingThread: ReadingThreadStarts?

    /// `work`'s result, or `late` when `limit` passes first — on time even when `work`
    /// blocks its thread (a store write waiting for the disk or for another process's
    /// lock): the caller's task is suspended before `work` runs, so the limit can
    /// resume it elsewhere.
    static func run<T: Sendable>(
        within limit: Duration, late: @escaping @Sendable () -> T, _ work: @escaping @Sendable () async -> T
    ) async -> T {
        let once = Once<T>()
        return await withCheckedContinuation { continuation in
            once.set(continuation)
            // The shared timer rather than a timer or a sleeping task of its own: arming
            // and cancelling a limit wakes no thread.
            let timer = DeadlineTimer.shared.schedule(after: limit) { once.resume(with: late()) }
            let finish: @Sendable (T) -> Void = { result in
                once.resume(with: result)
                DeadlineTimer.shared.cancel(timer)
            }
            // On a reading thread, the work runs there, right after this task suspends:
            // no hop onto the pool to start it.
            if let starts = readingThread, starts.queue({ Task.immediate { finish(await work()) } }) { return }
            Task { finish(await work()) }
        }
    }
}

/// Work queued to start on a transport's reading thread once the call that queued it
/// has suspended (`Deadline.readingThread`).
final class ReadingThreadStarts: Sendable {
    private let state = Mutex<(open: Bool, starts: [@Sendable () -> Void])>((true, []))

    /// Queues `start`; false once the queued starts have run (then the caller starts
    /// its work itself).
    func queue(_ start: @escaping @Sendable () -> Void) -> Bool {
        state.withLock { state in
            guard state.open else { return false }
            state.starts.append(start)
            return true
        }
    }

    /// Runs the queued starts in order, on the calling thread, and refuses any later.
    func run() {
        let starts = state.withLock { state in
            state.open = false
            defer { state.starts = [] }
            return state.starts
        }
        for start in starts { start() }
    }
}

/// A continuation resumed at most once, by whichever side comes first.
private final class Once<T: Sendable>: Sendable {
    private let state = Mutex<(continuation: CheckedContinuation<T, Never>?, done: Bool)>((nil, false))

    func set(_ continuation: CheckedContinuation<T, Never>) {
        state.withLock { $0.continuation = continuation }
    }

    /// Resumes with `value` unless already resumed; whether this call resumed.
    @discardableResult
    func resume(with value: T) -> Bool {
        let continuation: CheckedContinuation<T, Never>? = state.withLock { state in
            guard !state.done, let continuation = state.continuation else { return nil }
            state.done = true
            return continuation
        }
        continuation?.resume(returning: value)
        return continuation != nil
    }
}
