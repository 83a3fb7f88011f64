import Cedar
import Foundation
import Testing
import WritCore

/// Approvals in a filter: a candidate only the trifecta's approvable forbid denies is
/// answered with the approval a person must decide, as an evaluation is, and allowed
/// once a person approved it.
@Suite struct FilterApprovalTests {
    let clock = TestClock()

    /// Sending mail through each tool: `mail___send_email` has egress, `docs___search` not.
    static let body = Array(#"""
        {"subject": {"type": "agent", "id": "support-bot"}, "action": {"name": "mail___send_email"},
         "context": {"input": {"to": "a@example.com"}},
         "resources": [{"type": "tool", "id": "mail___send_email"}, {"type": "tool", "id": "docs___search"}]}
        """#.utf8)

    static func reply(_ outcome: AuthZENOutcome) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(outcome.body)) as? [String: Any])
    }

    static func ids(_ list: Any?) -> [String] { (list as? [[String: Any]] ?? []).compactMap { $0["id"] as? String } }

    /// The desk with data, its approvals, and a task carrying `pii` and `untrusted`.
    func desk() async throws -> (tasks: TaskService, approvals: ApprovalService, opened: OpenedTask) {
        let tasks = try await TaskLabelFixtures.service(clock: clock)
        let approvals = ApprovalService(store: tasks.decisions.store, now: clock.now)
        return (tasks, approvals, try await tasks.open(TaskLabelFixtures.opening(labels: ["pii", "untrusted"])))
    }

    static func filter(_ desk: (tasks: TaskService, approvals: ApprovalService, opened: OpenedTask)) async throws -> [String: Any] {
        try reply(try await desk.tasks.decisions.filter(
            body: body, taskCredential: desk.opened.credential, tasks: desk.tasks, approvals: desk.approvals))
    }

    @Test func aCandidateOnlyAnApprovableForbidDeniesAsksForAnApprovalBoundToTheTask() async throws {
        let desk = try await desk()
        let (approvals, opened) = (desk.approvals, desk.opened)
        let reply = try await Self.filter(desk)
        #expect(Self.ids(reply["allowed"]) == ["docs___search"])
        let denied = try #require((reply["denied"] as? [[String: Any]])?.first)
        #expect(denied["id"] as? String == "mail___send_email")
        #expect(denied["reason"] as? String == "approval_required")
        #expect(denied["access_request"] is [String: Any])
        let id = try #require(denied["evaluation_id"] as? String)
        let stored = try #require(try await approvals.approval(id: id))
        #expect(stored.taskID == opened.record.id)
        #expect(stored.state == .pending)
    }

    @Test func aCandidateAPersonApprovedIsAllowedOnceAndCharged() async throws {
        let desk = try await desk()
        let (tasks, approvals, opened) = desk
        let asked = try await Self.filter(desk)
        let id = try #require((asked["denied"] as? [[String: Any]])?.first?["evaluation_id"] as? String)
        _ = try await approvals.approve(id: id, by: "key-1")
        let approved = try await Self.filter(desk)
        #expect(Self.ids(approved["allowed"]) == ["mail___send_email", "docs___search"])
        #expect(try await approvals.approval(id: id)?.state == .consumed)
        // One allow in the first filter, two in the second.
        #expect(try await tasks.task(id: opened.record.id)?.counters.decisions == 3)
        let again = try await Self.filter(desk)
        #expect(Self.ids(again["allowed"]) == ["docs___search"])
    }
}
