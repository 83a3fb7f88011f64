import Dispatch
import Foundation
import WritCore

/// One thread that keeps every time limit of the gateway (decisions, upstream calls).
///
/// A dispatch timer per call costs two wake-ups of dispatch's manager thread (one to
/// arm it, one to cancel it) on every call, though nearly every limit is cancelled
/// long before it passes. Here arming a limit is an insertion under a lock, and
/// cancelling one a removal: the thread is woken only when a new limit is earlier than
/// the one it sleeps towards — with the gateway's fixed limits, almost never — and
/// otherwise wakes when the earliest limit it knows of passes, to fire it or find it
/// cancelled.
final class DeadlineTimer: @unchecked Sendable {
    /// The timer of the process.
    static let shared = DeadlineTimer()

    /// An armed limit, to cancel it with.
    struct Token: Sendable, Hashable {
        fileprivate let id: UInt64
    }

    /// Guards everything below; signalled when the earliest limit moves earlier.
    private let condition = NSCondition()
    /// The armed and cancelled limits, a binary min-heap by time. Cancelled ones are
    /// dropped when they reach the top, or all at once when they outnumber the armed.
    private var heap: [(at: UInt64, id: UInt64)] = []
    /// The action of every armed limit.
    private var actions: [UInt64: @Sendable () -> Void] = [:]
    private var lastID: UInt64 = 0
    /// The time the thread sleeps towards; nil while it waits for a first limit.
    private var wakeAt: UInt64?

    /// How long the thread sleeps at most before it looks again: its sleep is timed by
    /// the wall clock, so a clock set back delays a limit by no more than this.
    private static let longestSleep: UInt64 = 1_000_000_000

    /// A timer with a thread of its own; the gateway uses `shared`.
    init() {
        let thread = Thread { [self] in
            ThreadName.adopt("writ-deadlines")
            run()
        }
        thread.name = "writ-deadlines"
        thread.start()
    }

    /// Runs `action` on the timer's thread once `limit` has passed, unless cancelled
    /// first. `action` must be short: it delays every limit after it.
    func schedule(after limit: Duration, _ action: @escaping @Sendable () -> Void) -> Token {
        let at = Self.uptime(after: limit)
        condition.lock()
        defer { condition.unlock() }
        lastID += 1
        let id = lastID
        actions[id] = action
        push((at, id))
        if wakeAt.map({ at < $0 }) ?? true { condition.signal() }
        return Token(id: id)
    }

    /// Disarms `token`'s limit; its action will not run (unless it is running now).
    func cancel(_ token: Token) {
        condition.lock()
        defer { condition.unlock() }
        guard actions.removeValue(forKey: token.id) != nil else { return }
        if heap.count > 64 && heap.count > 2 * actions.count { compact() }
    }

    /// How many limits are armed.
    var armed: Int {
        condition.lock()
        defer { condition.unlock() }
        return actions.count
    }

    private func run() {
        while true {
            var due: [@Sendable () -> Void] = []
            condition.lock()
            while true {
                let now = DispatchTime.now().uptimeNanoseconds
                while let top = heap.first, top.at <= now || actions[top.id] == nil {
                    popTop()
                    if let action = actions.removeValue(forKey: top.id) { due.append(action) }
                }
                if !due.isEmpty {
                    wakeAt = heap.first?.at
                    break
                }
                guard let top = heap.first else {
                    wakeAt = nil
                    condition.wait()
                    continue
                }
                wakeAt = top.at
                let sleep = min(top.at - now, Self.longestSleep)
                _ = condition.wait(until: Date(timeIntervalSinceNow: Double(sleep) / 1e9))
            }
            condition.unlock()
            for action in due { action() }
        }
    }

    /// The uptime, in nanoseconds, `limit` from now: at once for a negative limit,
    /// never (the far end of the clock) for one past a century.
    static func uptime(after limit: Duration) -> UInt64 {
        let now = DispatchTime.now().uptimeNanoseconds
        let (seconds, attoseconds) = limit.components
        guard seconds >= 0, attoseconds >= 0 else { return now }
        guard seconds < 3_153_600_000 else { return .max }
        let (sum, overflow) = now.addingReportingOverflow(UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000))
        return overflow ? .max : sum
    }

    // MARK: - The heap

    private func push(_ entry: (at: UInt64, id: UInt64)) {
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].at < heap[parent].at else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private func popTop() {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        heap[0] = last
        siftDown(from: 0)
    }

    private func siftDown(from start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { return }
            var least = left
            if left + 1 < heap.count, heap[left + 1].at < heap[left].at { least = left + 1 }
            guard heap[least].at < heap[parent].at else { return }
            heap.swapAt(least, parent)
            parent = least
        }
    }

    /// Drops every cancelled limit from the heap and orders it again.
    private func compact() {
        heap.removeAll { actions[$0.id] == nil }
        for index in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(from: index) }
    }
}
