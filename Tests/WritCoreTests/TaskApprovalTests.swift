import Cedar
import Foundation
import Testing
import WritCore

/// Approvals inside tasks, through AuthZEN: the trifecta's approvable forbid asks once a
/// task carries `pii` and `untrusted`; mandates and budgets are never lifted.
@Suite struct TaskApprovalTests {
    let clock = TestClock()

    static let email = TaskAuthZENTests.body(tool: "mail___send_email", input: #"{"to": "a@example.com"}"#)

    struct Desk {
        let tasks: TaskService
        let approvals: ApprovalService

        /// `decision`, `context.reason` and `context.evaluation_id`.
        func decide(_ body: String, credential: String?) async throws -> ApprovalAnswer {
            let outcome = try await tasks.decisions.authzen(
                .evaluation, body: Array(body.utf8), taskCredential: credential, tasks: tasks, approvals: approvals)
            return try ApprovalAnswer(outcome.body)
        }
    }

    func desk() async throws -> Desk {
        let tasks = try await TaskLabelFixtures.service(clock: clock)
        return Desk(tasks: tasks, approvals: ApprovalService(store: tasks.decisions.store, now: clock.now))
    }

    @Test func concurrentIdenticalCallsUnderOneSingleUseApprovalAllowExactlyOneAndChargeOnce() async throws {
        let desk = try await desk()
        let opened = try await desk.tasks.open(TaskLabelFixtures.opening(labels: ["pii", "untrusted"]))
        let credential = try #require(opened.credential)
        let asked = try await desk.decide(Self.email, credential: credential)
        #expect(asked.reason == "approval_required")
        let askedID = try #require(asked.approval)
        let stored = try #require(try await desk.approvals.approval(id: askedID))
        #expect(stored.taskID == opened.record.id)
        _ = try await desk.approvals.approve(id: stored.id, by: "key-1")
        let allowed = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<20 { group.addTask { try await desk.decide(Self.email, credential: credential).allowed } }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(allowed == 1)
        #expect(try await desk.tasks.task(id: opened.record.id)?.counters.decisions == 1)
        #expect(try await desk.approvals.approval(id: stored.id)?.state == .consumed)
    }

    @Test func anApprovalInOneTaskDoesNotAllowTheSameCallInAnother() async throws {
        let desk = try await desk()
        let first = try await desk.tasks.open(TaskLabelFixtures.opening(labels: ["pii", "untrusted"]))
        let second = try await desk.tasks.open(TaskLabelFixtures.opening(labels: ["pii", "untrusted"]))
        let id = try #require(try await desk.decide(Self.email, credential: first.credential).approval)
        _ = try await desk.approvals.approve(id: id, scope: .task, by: "key-1")
        let other = try await desk.decide(Self.email, credential: second.credential)
        #expect(other.allowed == false)
        #expect(other.reason == "approval_required")
        #expect(other.approval != id)
        #expect(try await desk.decide(Self.email, credential: first.credential).allowed == true)
    }

    @Test func aMandateDenialNeverAsks() async throws {
        let desk = try await desk()
        let searchOnly = TaskFixtures.mandate(#"permit (principal, action == Writ::Action::"docs___search", resource);"#)
        let opened = try await desk.tasks.open(TaskFixtures.opening(mandate: searchOnly, labels: ["pii", "untrusted"]))
        let answer = try await desk.decide(Self.email, credential: opened.credential)
        #expect(answer.reason == "mandate_denied")
        #expect(answer.approval == nil)
        #expect(try await desk.approvals.approvals(state: nil).isEmpty)
    }

    @Test func aUsedUpBudgetNeverAsks() async throws {
        let desk = try await desk()
        let opening = TaskFixtures.opening(
            mandate: TaskLabelFixtures.mandate, budgets: TaskBudgets(maxCalls: ["mail___send_email": 0]),
            labels: ["pii", "untrusted"])
        let opened = try await desk.tasks.open(opening)
        let answer = try await desk.decide(Self.email, credential: opened.credential)
        #expect(answer.reason == "budget_exhausted:calls:mail___send_email")
        #expect(answer.approval == nil)
    }

    @Test func aClosedTaskIsDeniedWhateverItsApproval() async throws {
        let desk = try await desk()
        let opened = try await desk.tasks.open(TaskLabelFixtures.opening(labels: ["pii", "untrusted"]))
        let id = try #require(try await desk.decide(Self.email, credential: opened.credential).approval)
        _ = try await desk.approvals.approve(id: id, scope: .task, by: "key-1")
        _ = try await desk.tasks.close(opened.record.id, closedBy: "key ops")
        let answer = try await desk.decide(Self.email, credential: opened.credential)
        #expect(answer.allowed == false)
        #expect(answer.reason == "task_closed")
    }
}
