import Testing
@testable import WritCore

/// `TaskCounters.add(_:)` with the usage of one action and no spend, the usage of
/// nearly every allow: summed in place, all or nothing.
@Suite struct TaskCountersAddTests {
    @Test func oneActionsUsageIsAddedToItsEntryAndToTheTotals() {
        var counters = TaskCounters(decisions: 4, calls: 1, actions: ["retrieve": 3, "mail___send": 1])
        let added = counters.add(TaskCounters(decisions: 1, calls: 0, actions: ["retrieve": 1]))
        #expect(added)
        #expect(counters == TaskCounters(decisions: 5, calls: 1, actions: ["retrieve": 4, "mail___send": 1]))
    }

    @Test func oneActionsUsageForAnActionNotYetCountedAddsItsEntry() {
        var counters = TaskCounters(decisions: 1, actions: ["retrieve": 1])
        let added = counters.add(TaskCounters(decisions: 1, calls: 1, actions: ["tickets___update": 1]))
        #expect(added)
        #expect(counters == TaskCounters(decisions: 2, calls: 1, actions: ["retrieve": 1, "tickets___update": 1]))
    }

    @Test func anEntryThatSumsToZeroIsRemovedAsAddingRemovesIt() {
        var counters = TaskCounters(decisions: 2, actions: ["retrieve": 2])
        let usage = TaskCounters(decisions: -2, actions: ["retrieve": -2])
        let added = counters.add(usage)
        #expect(added)
        #expect(counters == TaskCounters())
        #expect(TaskCounters(decisions: 2, actions: ["retrieve": 2]).adding(usage) == TaskCounters())
    }

    @Test func anActionCountThatWouldOverflowIsRefusedAndChangesNothing() {
        let before = TaskCounters(decisions: 1, actions: ["retrieve": Int.max])
        var counters = before
        let added = counters.add(TaskCounters(decisions: 1, actions: ["retrieve": 1]))
        #expect(!added)
        #expect(counters == before)
    }

    @Test func aDecisionsTotalThatWouldOverflowIsRefusedAndChangesNothing() {
        let before = TaskCounters(decisions: Int.max, actions: ["retrieve": 1])
        var counters = before
        let added = counters.add(TaskCounters(decisions: 1, actions: ["retrieve": 1]))
        #expect(!added)
        #expect(counters == before)
    }

    @Test func aZeroCountForAnActionNotCountedAddsNoEntry() {
        var counters = TaskCounters(decisions: 1, actions: ["retrieve": 1])
        let added = counters.add(TaskCounters(decisions: 1, actions: ["prompt": 0]))
        #expect(added)
        #expect(counters == TaskCounters(decisions: 2, actions: ["retrieve": 1]))
    }
}
