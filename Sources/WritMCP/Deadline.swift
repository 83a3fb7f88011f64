import Synchronization

/// Runs work that cannot be cancelled midway (a decision being stored, a call at an
/// upstream) against a time limit: whichever ends first answers, and the work left
/// behind runs to its end unobserved.
enum Deadline {
    /// Set while a call starts on a thread that reads a transport (`WritGateway.shortcut`):
    /// work started there waits until the call's task has suspended, then runs on that
    /// thread (`ReadingThreadExecutor`).
    @TaskLocal static var readingThread: ReadingThreadExecutor?

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
            // no hop onto the pool to start it; and when it finishes there, this task
            // resumes there too.
            Task(executorPreference: readingThread) { finish(await work()) }
        }
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
