import Dispatch
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
            // A dispatch timer rather than a sleeping task: nothing runs until it fires,
            // so work that ends in time costs no second task, and cancelling it takes
            // it off the timer list at once.
            let timer = DispatchSource.makeTimerSource(queue: .global())
            timer.setEventHandler { once.resume(with: late()) }
            timer.schedule(deadline: Self.dispatchDeadline(limit))
            timer.resume()
            Task {
                once.resume(with: await work())
                timer.cancel()
            }
        }
    }

    /// The dispatch time `duration` from now; a limit past a century never fires.
    static func dispatchDeadline(_ duration: Duration) -> DispatchTime {
        let (seconds, attoseconds) = duration.components
        guard seconds < 3_153_600_000 else { return .distantFuture }
        guard seconds >= 0, attoseconds >= 0 else { return .now() }
        return .now() + .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
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
