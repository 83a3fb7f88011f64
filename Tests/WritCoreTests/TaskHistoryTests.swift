import Cedar
import Foundation
import Testing
import WritCore

/// History in conditions: policies count the task's earlier allowed decisions, of the
/// same action (`context.task.counters.sameTool`) or of any action by id (the tags of
/// `context.task.history`).
@Suite struct TaskHistoryTests {
    let clock = TestClock()

    static let policies = TaskFixtures.policies + """

        @id("at-most-three-refunds")
        forbid (principal, action == Writ::Action::"payments___refund", resource)
        when { context.task.counters.sameTool >= 3 };
        @id("no-mail-after-two-refunds")
        forbid (principal, action == Writ::Action::"mail___send_email", resource)
        when { context.task.history.hasTag("payments___refund") && context.task.history.getTag("payments___refund") >= 2 };
        """

    func service() async throws -> TaskService {
        let decisions = try await TaskFixtures.decisions(policies: Self.policies, entities: TaskFixtures.toolEntities)
        return try await TaskFixtures.service(clock: clock, decisions: decisions)
    }

    @Test func aPolicyAllowsAtMostThreeRefundsPerTask() async throws {
        let tasks = try await service()
        let task = try await tasks.open(TaskFixtures.opening()).record
        for _ in 0..<3 { #expect(await tasks.decide(taskID: task.id, request: TaskFixtures.refund(10)).allowed) }
        let fourth = await tasks.decide(taskID: task.id, request: TaskFixtures.refund(10))
        #expect(fourth.denial?.reason == .policyDenied)
        #expect(fourth.policies?.reasons == ["at-most-three-refunds"])
        #expect(try await tasks.task(id: task.id)?.counters.actions == ["payments___refund": 3])
        let other = try await tasks.open(TaskFixtures.opening()).record
        #expect(await tasks.decide(taskID: other.id, request: TaskFixtures.refund(10)).allowed)
    }

    @Test func aPolicyCountsAnotherActionThroughTheHistoryTags() async throws {
        let tasks = try await service()
        let task = try await tasks.open(TaskFixtures.opening()).record
        #expect(await tasks.decide(taskID: task.id, request: TaskFixtures.email("a@example.com")).allowed)
        #expect(await tasks.decide(taskID: task.id, request: TaskFixtures.refund(10)).allowed)
        #expect(await tasks.decide(taskID: task.id, request: TaskFixtures.email("a@example.com")).allowed)
        #expect(await tasks.decide(taskID: task.id, request: TaskFixtures.refund(20)).allowed)
        let mail = await tasks.decide(taskID: task.id, request: TaskFixtures.email("a@example.com"))
        #expect(mail.denial?.reason == .policyDenied)
        #expect(mail.policies?.reasons == ["no-mail-after-two-refunds"])
    }

    @Test func aChildsDecisionsCountInItsParentsHistory() async throws {
        let tasks = try await service()
        let parent = try await tasks.open(TaskFixtures.opening()).record
        let child = try await tasks.delegate(
            from: parent.id, TaskDelegation(agent: "refund-bot", purpose: "refund", mandate: TaskFixtures.everything)).record
        for _ in 0..<2 { #expect(await tasks.decide(taskID: child.id, request: TaskFixtures.refund(5, by: "refund-bot")).allowed) }
        let mail = await tasks.decide(taskID: parent.id, request: TaskFixtures.email("a@example.com"))
        #expect(mail.policies?.reasons == ["no-mail-after-two-refunds"])
    }

    @Test func aTaskEntityTheCallerSendsCannotHideTheHistory() async throws {
        let tasks = try await service()
        let task = try await tasks.open(TaskFixtures.opening()).record
        for _ in 0..<2 { #expect(await tasks.decide(taskID: task.id, request: TaskFixtures.refund(10)).allowed) }
        let forged = Entity(
            uid: EntityUID(type: BaseSchema.taskType, id: task.id), tags: Record([("payments___refund", .long(0))]))
        let mail = await tasks.decide(
            taskID: task.id, request: TaskFixtures.email("a@example.com"), requestEntities: [forged])
        #expect(mail.denial?.reason == .policyDenied)
    }
}
