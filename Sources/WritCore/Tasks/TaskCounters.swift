/// What a task and the tasks delegated from it have used: every allowed decision in
/// the task or a descendant adds to the counters of the task and of each of its
/// ancestors. Denied decisions count nothing.
public struct TaskCounters: Sendable, Equatable, Codable {
    /// Allowed decisions.
    public var decisions: Int
    /// Allowed decisions of actions in the `Writ::Action::"call"` group (tool calls).
    public var calls: Int
    /// Allowed decisions, by action id.
    public var actions: [String: Int]
    /// The sum of each action's budgeted argument (see `SpendCeiling`), by action id.
    public var spend: [String: Int64]

    public init(decisions: Int = 0, calls: Int = 0, actions: [String: Int] = [:], spend: [String: Int64] = [:]) {
        self.decisions = decisions
        self.calls = calls
        self.actions = actions
        self.spend = spend
    }

    /// These counters plus `other`, or nil when a sum would overflow. Entries that sum
    /// to zero are left out, so equal usage gives equal counters.
    public func adding(_ other: TaskCounters) -> TaskCounters? {
        var sum = self
        return sum.add(other) ? sum : nil
    }

    /// Adds `other` to these counters in place, exactly as `adding(_:)` would sum them
    /// (without copying the per-action tables); false, changing nothing, when a sum
    /// would overflow.
    mutating func add(_ other: TaskCounters) -> Bool {
        if other.actions.count == 1, other.spend.isEmpty, let (action, count) = other.actions.first {
            // One action and no spend (most decisions' usage): its entry found once.
            let (decided, decisionsOverflow) = decisions.addingReportingOverflow(other.decisions)
            let (called, callsOverflow) = calls.addingReportingOverflow(other.calls)
            guard !decisionsOverflow, !callsOverflow else { return false }
            if let index = actions.index(forKey: action) {
                let (total, overflow) = actions.values[index].addingReportingOverflow(count)
                guard !overflow else { return false }
                if total == 0 { actions.remove(at: index) } else { actions.values[index] = total }
            } else if count != 0 {
                actions[action] = count
            }
            decisions = decided
            calls = called
            return true
        }
        guard canAdd(other) else { return false }
        decisions += other.decisions
        calls += other.calls
        for (action, count) in other.actions {
            let total = actions[action, default: 0] + count
            actions[action] = total == 0 ? nil : total
        }
        for (action, amount) in other.spend {
            let total = spend[action, default: 0] + amount
            spend[action] = total == 0 ? nil : total
        }
        return true
    }

    /// Makes these counters equal to `other`, writing the per-action tables in place
    /// rather than taking `other`'s: a copy kept beside the registry's (a filter's
    /// chain, brought up after each allow) then owns its tables alone, and neither it
    /// nor the registry copies them when the next allow adds to both.
    mutating func assign(_ other: TaskCounters) {
        decisions = other.decisions
        calls = other.calls
        Self.assign(&actions, from: other.actions)
        Self.assign(&spend, from: other.spend)
    }

    /// Makes `table` equal to `source`, entry by entry.
    private static func assign<Count: Equatable>(_ table: inout [String: Count], from source: [String: Count]) {
        for (key, value) in source {
            // Found once, and changed in place.
            if let index = table.index(forKey: key) {
                if table.values[index] != value { table.values[index] = value }
            } else {
                table[key] = value
            }
        }
        if table.count != source.count { table = table.filter { source[$0.key] != nil } }
    }

    /// These counters `count` times over (what `count` decisions of this usage add),
    /// or nil when a product would overflow.
    func times(_ count: Int) -> TaskCounters? {
        func times<Count: FixedWidthInteger>(_ value: Count) -> Count? {
            let (product, overflow) = value.multipliedReportingOverflow(by: Count(count))
            return overflow ? nil : product
        }
        guard count >= 0, let decided = times(decisions), let called = times(calls) else { return nil }
        var product = TaskCounters(decisions: decided, calls: called, actions: actions, spend: spend)
        for index in product.actions.indices {
            guard let total = times(product.actions.values[index]) else { return nil }
            product.actions.values[index] = total
        }
        for index in product.spend.indices {
            guard let total = times(product.spend.values[index]) else { return nil }
            product.spend.values[index] = total
        }
        return product
    }

    /// Whether `add(other)` would succeed: no sum overflows.
    func canAdd(_ other: TaskCounters) -> Bool {
        !decisions.addingReportingOverflow(other.decisions).overflow
            && !calls.addingReportingOverflow(other.calls).overflow
            && other.actions.allSatisfy { !actions[$0.key, default: 0].addingReportingOverflow($0.value).overflow }
            && other.spend.allSatisfy { !spend[$0.key, default: 0].addingReportingOverflow($0.value).overflow }
    }

    /// These counters less `other` (undoing `adding(other)`); entries that reach zero
    /// are removed.
    func subtracting(_ other: TaskCounters) -> TaskCounters {
        var result = TaskCounters(
            decisions: decisions - other.decisions, calls: calls - other.calls, actions: actions, spend: spend)
        for (action, count) in other.actions {
            let left = result.actions[action, default: 0] - count
            result.actions[action] = left == 0 ? nil : left
        }
        for (action, amount) in other.spend {
            let left = result.spend[action, default: 0] - amount
            result.spend[action] = left == 0 ? nil : left
        }
        return result
    }
}
