import Testing
@testable import WritCore

/// `TaskCounters.assign(_:)` makes counters equal to others entry by entry: what a
/// filter's chain uses to follow the registry after each allow.
@Suite struct TaskCountersAssignTests {
    @Test func assignedCountersEqualTheSourceWithEntriesItLacksRemoved() {
        var counters = TaskCounters(
            decisions: 3, calls: 2, actions: ["retrieve": 1, "mail___send": 2], spend: ["pay___send": 40])
        let source = TaskCounters(decisions: 5, calls: 1, actions: ["retrieve": 4], spend: ["pay___refund": 7])
        counters.assign(source)
        #expect(counters == source)
    }

    @Test func assigningCountersTheRegistryAddsToLeavesTheCopyUnchangedByTheNextAdd() {
        var registry = TaskCounters(decisions: 1, actions: ["retrieve": 1])
        var chain = registry
        let usage = TaskCounters(decisions: 1, actions: ["retrieve": 1])
        let first = registry.add(usage)
        chain.assign(registry)
        let second = registry.add(usage)
        #expect(first && second)
        #expect(chain == TaskCounters(decisions: 2, actions: ["retrieve": 2]))
        #expect(registry == TaskCounters(decisions: 3, actions: ["retrieve": 3]))
    }
}
