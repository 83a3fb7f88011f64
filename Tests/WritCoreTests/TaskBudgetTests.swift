import Cedar
import Foundation
import Testing
import WritCore

/// Budgets: each kind runs out with a reason naming it; counters are charged only by
/// allows, to the task and every task above it, and stored.
@Suite struct TaskBudgetTests {
    let clock = TestClock()

    @Test func maxDecisionsRunsOutWithTheDecisionsReason() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let task = try await tasks.open(TaskFixtures.opening(budgets: TaskBudgets(maxDecisions: 2))).record
        #expect(await tasks.decide(taskID: task.id, request: TaskFixtures.search()).allowed)
        #expect(await tasks.decide(taskID: task.id, request: TaskFixtures.refund(1)).allowed)
        let third = await tasks.decide(taskID: task.id, request: TaskFixtures.search())
        #expect(third.denial == TaskDenial(
            .decisionsExhausted, "task `\(task.id)` has used 2 of its 2 decisions", taskID: task.id))
        #expect(third.denial?.reason.rawValue == "budget_exhausted:decisions")
    }

    @Test func maxCallsRunsOutForThatToolOnly() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let task = try await tasks.open(TaskFixtures.opening(budgets: TaskBudgets(maxCalls: ["mail___send_email": 1]))).record
        #expect(await tasks.decide(taskID: task.id, request: TaskFixtures.email("a@example.com")).allowed)
        let second = await tasks.decide(taskID: task.id, request: TaskFixtures.email("b@example.com"))
        #expect(second.denial?.reason.rawValue == "budget_exhausted:calls:mail___send_email")
        #expect(second.denial?.message == "task `\(task.id)` has used 1 of its 1 calls of `mail___send_email`")
        #expect(await tasks.decide(taskID: task.id, request: TaskFixtures.search()).allowed)
    }

    @Test func aSpendCeilingCapsTheSumOfTheArgument() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let ceiling = SpendCeiling(argument: "amount", ceiling: 500)
        let task = try await tasks.open(TaskFixtures.opening(budgets: TaskBudgets(spend: ["payments___refund": ceiling]))).record
        #expect(await tasks.decide(taskID: task.id, request: TaskFixtures.refund(300)).allowed)
        #expect(await tasks.decide(taskID: task.id, request: TaskFixtures.refund(200)).allowed)
        let over = await tasks.decide(taskID: task.id, request: TaskFixtures.refund(1))
        #expect(over.denial == TaskDenial(
            .spendExhausted("payments___refund"),
            "task `\(task.id)` has spent 500 of its 500 `amount` on `payments___refund`; 1 more would exceed it",
            taskID: task.id))
        #expect(over.denial?.reason.rawValue == "budget_exhausted:spend:payments___refund")
        #expect(await tasks.decide(taskID: task.id, request: TaskFixtures.refund(0)).allowed)
        #expect(try await tasks.task(id: task.id)?.counters.spend == ["payments___refund": 500])
    }

    @Test func aSpendArgumentThatIsNegativeOrMissingIsDenied() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let ceiling = SpendCeiling(argument: "amount", ceiling: 500)
        let task = try await tasks.open(TaskFixtures.opening(budgets: TaskBudgets(spend: ["payments___refund": ceiling]))).record
        let negative = await tasks.decide(taskID: task.id, request: TaskFixtures.refund(-100))
        #expect(negative.denial == TaskDenial(
            .invalidSpendArgument,
            "`payments___refund` has a spend ceiling on `context.input.amount`, which must be a Long of 0 or more",
            taskID: task.id))
        let missing = await tasks.decide(
            taskID: task.id, request: TaskFixtures.call("payments___refund", input: [("sum", .long(5))]))
        #expect(missing.denial?.reason == .invalidSpendArgument)
        #expect(try await tasks.task(id: task.id)?.counters == TaskCounters())
    }

    @Test func deniedDecisionsChargeNothing() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let task = try await tasks.open(TaskFixtures.opening(budgets: TaskBudgets(maxDecisions: 1))).record
        #expect(await tasks.decide(taskID: task.id, request: TaskFixtures.refund(5000)).denial?.reason == .policyDenied)
        #expect(await tasks.decide(taskID: task.id, request: TaskFixtures.search(by: "other")).denial?.reason == .noTask)
        #expect(await tasks.decide(taskID: task.id, request: TaskFixtures.search()).allowed)
    }

    @Test func countersAreStoredBeforeTheAllowReturns() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let task = try await tasks.open(TaskFixtures.opening()).record
        #expect(await tasks.decide(taskID: task.id, request: TaskFixtures.refund(70)).allowed)
        #expect(try await tasks.task(id: task.id)?.counters == TaskCounters(decisions: 1, calls: 1, actions: ["payments___refund": 1]))
        #expect(await tasks.decide(taskID: task.id, request: TaskFixtures.search()).allowed)
        #expect(await tasks.decide(taskID: task.id, request: TaskFixtures.search()).allowed)
        #expect(try await tasks.task(id: task.id)?.counters == TaskCounters(
            decisions: 3, calls: 3, actions: ["payments___refund": 1, "docs___search": 2]))
    }

    @Test func aChildsDecisionsCountAgainstItsParentsBudget() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let parent = try await tasks.open(TaskFixtures.opening(budgets: TaskBudgets(maxDecisions: 3))).record
        let child = try await tasks.delegate(
            from: parent.id, TaskDelegation(agent: "helper", purpose: "help", mandate: TaskFixtures.everything)).record
        for _ in 0..<2 { #expect(await tasks.decide(taskID: child.id, request: TaskFixtures.search(by: "helper")).allowed) }
        #expect(await tasks.decide(taskID: parent.id, request: TaskFixtures.search()).allowed)
        let childOver = await tasks.decide(taskID: child.id, request: TaskFixtures.search(by: "helper"))
        #expect(childOver.denial == TaskDenial(
            .decisionsExhausted, "task `\(parent.id)` has used 3 of its 3 decisions", taskID: parent.id))
        #expect(try await tasks.task(id: parent.id)?.counters.decisions == 3)
        #expect(try await tasks.task(id: child.id)?.counters.decisions == 2)
    }

    @Test func aChildBudgetMayNotExceedWhatItsParentHasLeft() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let parent = try await tasks.open(TaskFixtures.opening(budgets: TaskBudgets(
            maxDecisions: 5, maxCalls: ["mail___send_email": 2],
            spend: ["payments___refund": SpendCeiling(argument: "amount", ceiling: 100)]))).record
        #expect(await tasks.decide(taskID: parent.id, request: TaskFixtures.refund(40)).allowed)
        func delegate(_ budgets: TaskBudgets) async -> WritError? {
            await #expect(throws: WritError.self) {
                try await tasks.delegate(
                    from: parent.id, TaskDelegation(agent: "h", purpose: "p", mandate: [], budgets: budgets))
            }
        }
        #expect(await delegate(TaskBudgets(maxDecisions: 5))?.message
            == "`budgets.maxDecisions` is 5, but task `\(parent.id)` has 4 decisions left")
        #expect(await delegate(TaskBudgets(maxCalls: ["mail___send_email": 3]))?.message
            == "`budgets.maxCalls[mail___send_email]` is 3, but task `\(parent.id)` has 2 calls of it left")
        #expect(await delegate(TaskBudgets(spend: ["payments___refund": SpendCeiling(argument: "amount", ceiling: 61)]))?.message
            == "`budgets.spend[payments___refund].ceiling` is 61, but task `\(parent.id)` has 60 of it left")
        #expect(await delegate(TaskBudgets(spend: ["payments___refund": SpendCeiling(argument: "total", ceiling: 1)]))?.message
            == "`budgets.spend[payments___refund]` sums `total`, but task `\(parent.id)` has a ceiling on `amount`")
        let within = try await tasks.delegate(
            from: parent.id,
            TaskDelegation(agent: "h", purpose: "p", mandate: [], budgets: TaskBudgets(
                maxDecisions: 4, spend: ["payments___refund": SpendCeiling(argument: "amount", ceiling: 60)])))
        #expect(within.record.budgets.maxDecisions == 4)
    }

    @Test func theContextShowsTheCountersSoFar() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let task = try await tasks.open(TaskFixtures.opening(mandate: TaskFixtures.mandate("""
            permit (principal, action, resource) when {
              context.task.counters.sameTool < 2 && context.task.counters.decisions < 3 && context.task.counters.calls < 3
            };
            """))).record
        #expect(await tasks.decide(taskID: task.id, request: TaskFixtures.search()).allowed)
        #expect(await tasks.decide(taskID: task.id, request: TaskFixtures.search()).allowed)
        #expect(await tasks.decide(taskID: task.id, request: TaskFixtures.search()).denial?.reason == .mandateDenied)
        #expect(await tasks.decide(taskID: task.id, request: TaskFixtures.refund(1)).allowed)
        #expect(await tasks.decide(taskID: task.id, request: TaskFixtures.refund(1)).denial?.reason == .mandateDenied)
    }

    @Test func theCallersOwnTaskContextIsReplacedNotTrusted() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let task = try await tasks.open(TaskFixtures.opening(mandate: TaskFixtures.mandate("""
            permit (principal, action, resource) when { context.task.purpose == "answer ticket 42" && !(context.task.labels.contains("vip")) };
            """))).record
        var forged = TaskFixtures.search()
        let fake = Record([("purpose", .string("anything")), ("labels", .set(CedarSet([.string("vip")])))])
        forged.context = Record(forged.context.fields.map { ($0.key, $0.value) } + [("task", .record(fake))])
        #expect(await tasks.decide(taskID: task.id, request: forged).allowed)
    }

    @Test func theSpendSoFarIsInTheContext() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let ceiling = SpendCeiling(argument: "amount", ceiling: 10_000)
        let task = try await tasks.open(TaskFixtures.opening(
            mandate: TaskFixtures.mandate("""
                permit (principal, action == Writ::Action::"payments___refund", resource)
                when { context.task.counters.spend + context.input.amount <= 300 };
                """),
            budgets: TaskBudgets(spend: ["payments___refund": ceiling]))).record
        #expect(await tasks.decide(taskID: task.id, request: TaskFixtures.refund(250)).allowed)
        #expect(await tasks.decide(taskID: task.id, request: TaskFixtures.refund(51)).denial?.reason == .mandateDenied)
        #expect(await tasks.decide(taskID: task.id, request: TaskFixtures.refund(50)).allowed)
    }
}
