import Synchronization

/// Runs async operations one at a time, in the order they arrive, each to its end —
/// awaits included. (An actor would not: it runs another call while one is
/// suspended.) The decision and task services write the store and then their memory
/// under it, so no other change falls between the two.
final class SerialGate: Sendable {
    private struct State {
        var busy = false
        var waiting: [CheckedContinuation<Void, Never>] = []
        var head = 0
    }

    private let state = Mutex(State())

    /// Waits for the operations before it, runs `body`, and lets the next one in.
    func run<T: Sendable>(_ body: () async throws(WritError) -> T) async throws(WritError) -> T {
        await enter()
        defer { leave() }
        return try await body()
    }

    private func enter() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let entered = state.withLock { s in
                if !s.busy {
                    s.busy = true
                    return true
                }
                s.waiting.append(continuation)
                return false
            }
            if entered { continuation.resume() }
        }
    }

    private func leave() {
        let next = state.withLock { s -> CheckedContinuation<Void, Never>? in
            guard s.head < s.waiting.count else {
                s.busy = false
                s.waiting.removeAll()
                s.head = 0
                return nil
            }
            let next = s.waiting[s.head]
            s.head += 1
            if s.head >= 64 && s.head * 2 >= s.waiting.count {
                // Drop the handed-off entries so a gate that never drains stays small.
                s.waiting.removeFirst(s.head)
                s.head = 0
            }
            return next
        }
        next?.resume()
    }
}
