import Cedar
import Foundation
import Testing
import WritCore

/// Decisions racing closes and each other. Ordering is read from the service's
/// sequence numbers, taken where each decision and close becomes final — never from
/// timing.
@Suite struct TaskConcurrencyTests {
    let clock = TestClock()

    @Test func noAllowInATreeIsOrderedAfterItsCloseCompletes() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let root = try await tasks.open(TaskFixtures.opening()).record
        let child = try await tasks.delegate(
            from: root.id, TaskDelegation(agent: "helper", purpose: "help", mandate: TaskFixtures.everything)).record
        let targets = [(root.id, "support-bot"), (child.id, "helper")]
        var before: [TaskDecision] = []
        for (id, agent) in targets { before.append(await tasks.decide(taskID: id, request: TaskFixtures.search(by: agent))) }

        let (racing, closure) = try await withThrowingTaskGroup(of: ([TaskDecision], TaskClosure?).self) { group in
            for worker in 0..<8 {
                group.addTask {
                    var decisions: [TaskDecision] = []
                    for round in 0..<40 {
                        let (id, agent) = targets[(worker + round) % 2]
                        decisions.append(await tasks.decide(taskID: id, request: TaskFixtures.search(by: agent)))
                    }
                    return (decisions, nil)
                }
            }
            group.addTask { ([], try await tasks.close(root.id, closedBy: "key ops")) }
            var decisions: [TaskDecision] = []
            var closure: TaskClosure?
            for try await (some, closed) in group {
                decisions += some
                closure = closure ?? closed
            }
            return (decisions, closure)
        }
        let close = try #require(closure)
        var after: [TaskDecision] = []
        for (id, agent) in targets { after.append(await tasks.decide(taskID: id, request: TaskFixtures.search(by: agent))) }

        #expect(before.allSatisfy { $0.allowed })
        #expect(after.allSatisfy { $0.denial?.reason == .taskClosed && $0.sequence > close.sequence })
        #expect(racing.count == 320)
        let lateAllows = racing.filter { $0.allowed && $0.sequence > close.sequence }
        #expect(lateAllows.count == 0)
        let denials = racing.filter { !$0.allowed }
        #expect(denials.allSatisfy { $0.denial?.reason == .taskClosed })
        #expect(Set((before + racing + after).map(\.sequence)).count == 324)
        // Every allow, and only those, reached the store's counters.
        let allows = (before + racing).filter(\.allowed)
        let childAllows = allows.filter { $0.taskID == child.id }.count
        #expect(try await tasks.task(id: root.id)?.counters.decisions == allows.count)
        #expect(try await tasks.task(id: child.id)?.counters.decisions == childAllows)
    }

    @Test func concurrentDecisionsNeverSpendMoreThanTheBudget() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let ceiling = SpendCeiling(argument: "amount", ceiling: 1_000)
        let task = try await tasks.open(TaskFixtures.opening(
            budgets: TaskBudgets(maxDecisions: 30, spend: ["payments___refund": ceiling]))).record
        let decisions = await withTaskGroup(of: TaskDecision.self) { group in
            for index in 0..<100 {
                group.addTask {
                    await tasks.decide(taskID: task.id, request: index % 2 == 0 ? TaskFixtures.refund(100) : TaskFixtures.search())
                }
            }
            var all: [TaskDecision] = []
            for await decision in group { all.append(decision) }
            return all
        }
        let allowed = decisions.filter(\.allowed)
        let refunds = allowed.filter { $0.policies?.reasons == ["agents-call-tools"] }.count
        #expect(allowed.count == 30)
        #expect(refunds <= 30)
        let stored = try #require(try await tasks.task(id: task.id)?.counters)
        #expect(stored.decisions == 30)
        #expect(stored.spend["payments___refund", default: 0] <= 1_000)
        #expect(stored.spend["payments___refund", default: 0] == Int64(stored.actions["payments___refund", default: 0]) * 100)
        #expect(decisions.filter { !$0.allowed }.allSatisfy {
            $0.denial?.reason == .decisionsExhausted || $0.denial?.reason == .spendExhausted("payments___refund")
        })
    }

    @Test func aMandateReadingCountersSeesEveryEarlierAllowEvenUnderContention() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let task = try await tasks.open(TaskFixtures.opening(mandate: TaskFixtures.mandate("""
            permit (principal, action, resource) when { context.task.counters.sameTool < 5 };
            """))).record
        let allowed = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<60 { group.addTask { await tasks.decide(taskID: task.id, request: TaskFixtures.search()).allowed } }
            var count = 0
            for await allow in group where allow { count += 1 }
            return count
        }
        #expect(allowed == 5)
        #expect(try await tasks.task(id: task.id)?.counters.actions == ["docs___search": 5])
    }

    @Test func aCloseRacingDelegationsLeavesNoOpenTaskBelowIt() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let root = try await tasks.open(TaskFixtures.opening()).record
        let closure = try await withThrowingTaskGroup(of: TaskClosure?.self) { group in
            for index in 0..<30 {
                group.addTask {
                    if index == 10 { return try await tasks.close(root.id, closedBy: "key ops") }
                    let delegation = TaskDelegation(agent: "helper", purpose: "p", mandate: TaskFixtures.everything)
                    _ = try? await tasks.delegate(from: root.id, delegation)
                    return nil
                }
            }
            var closure: TaskClosure?
            for try await result in group { closure = closure ?? result }
            return closure
        }
        let children = try await tasks.tasks(matching: TaskFilter(now: clock.now())).filter { $0.parentID == root.id }
        let closed = try #require(closure)
        // Every delegation the gate let in before the close was closed with it; none after succeeded.
        #expect(Set(closed.closedIDs) == Set([root.id] + children.map(\.id)))
        for child in children {
            #expect(child.closedAt != nil)
            #expect(await tasks.decide(taskID: child.id, request: TaskFixtures.search(by: "helper")).denial?.reason == .taskClosed)
        }
    }
}
