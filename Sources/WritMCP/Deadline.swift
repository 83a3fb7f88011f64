import Synchronization

/// Runs work that cannot be cancelled midway (a decision being stored, a call at an
/// upstream) against a time limit: whichever ends first answers, and the work left
/// behind runs to its end unobserved.
enum Deadline {
    /// `work`'s result, or `late` when `limit` passes first.
    static func run<T: Sendable>(
        within limit: Duration, late: @escaping @Sendable () -> T, _ work: @escaping @Sendable () async -> T
    ) async -> T {
        let once = Once<T>()
        return await withCheckedContinuation { continuation in
            once.set(continuation)
            // The shared timer rather than a timer or a sleeping task of its own: arming
            // and cancelling a limit wakes no thread. The work starts at once on this
            // thread, as a task of its own so that the limit can answer while it runs:
            // work that never suspends costs no hop at all.
            let timer = DeadlineTimer.shared.schedule(after: limit) { once.resume(with: late()) }
            Task.immediate {
                once.resume(with: await work())
                DeadlineTimer.shared.cancel(timer)
            }
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
