import Testing
@testable import WritCore

/// `TaskCounters.times(_:)`: what that many allows of one usage add, which a filter
/// charges in one addition when nothing reads the counters between its allows.
@Suite struct TaskCountersTimesTests {
    @Test func everyCounterIsMultiplied() {
        let usage = TaskCounters(decisions: 1, calls: 1, actions: ["payments___refund": 1], spend: ["payments___refund": 250])
        #expect(usage.times(3) == TaskCounters(
            decisions: 3, calls: 3, actions: ["payments___refund": 3], spend: ["payments___refund": 750]))
    }

    @Test func onceIsTheUsageItself() {
        let usage = TaskCounters(decisions: 1, calls: 0, actions: ["retrieve": 1])
        #expect(usage.times(1) == usage)
    }

    @Test func aProductThatWouldOverflowIsNil() {
        #expect(TaskCounters(decisions: Int.max / 2 + 1, actions: ["retrieve": 1]).times(2) == nil)
        #expect(TaskCounters(decisions: 1, actions: ["retrieve": Int.max]).times(2) == nil)
        #expect(TaskCounters(decisions: 1, spend: ["pay": Int64.max / 3 + 1]).times(3) == nil)
    }

    @Test func aNegativeCountIsNil() {
        #expect(TaskCounters(decisions: 1).times(-1) == nil)
    }
}
