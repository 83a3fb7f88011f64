import Cedar
import Foundation
import Testing
import WritCore

/// `DecisionService.explain`: a recorded decision decided again against the version it
/// names, with the current entities.
@Suite struct AuditExplainTests {
    static let policies = """
        @id("admins")
        permit (principal, action, resource) when { principal.role == "admin" };
        """
    static let entities = #"[{"uid": {"type": "User", "id": "alice"}, "attrs": {"role": "admin"}, "parents": []}]"#
    static let read = #"{"subject": {"type": "User", "id": "alice"}, "action": {"name": "read"}, "resource": {"type": "Doc", "id": "plan"}}"#

    func recorded(_ decisions: DecisionService, _ body: String = read, tasks: TaskService? = nil) async throws -> AuditEvent {
        try #require(try await AuditFixtures.answer(.evaluation, body, decisions: decisions, tasks: tasks).events.first)
    }

    @Test func anUnchangedDecisionMatches() async throws {
        let decisions = try await TestService.make(policies: Self.policies, entities: Self.entities)
        let event = try await recorded(decisions)
        let explanation = try await decisions.explain(event)
        #expect(explanation == AuditExplanation(
            decisionID: event.decisionID, policySetVersion: 1, recordedOutcome: .allow, recordedAllowed: true,
            recordedReasons: ["admins"], nowAllowed: true, nowReasons: ["admins"], nowInvalid: nil, matches: true, note: nil))
    }

    @Test func theVersionTheRecordNamesDecidesNotTheCurrentOne() async throws {
        let decisions = try await TestService.make(policies: Self.policies, entities: Self.entities)
        let event = try await recorded(decisions)
        _ = try await decisions.replacePolicies([SourceFile(name: "none.cedar", text: "")], author: "a")
        let explanation = try await decisions.explain(event)
        #expect(explanation.nowAllowed == true)
        #expect(explanation.matches == true)
    }

    @Test func anEntityChangedSinceChangesTheAnswer() async throws {
        let decisions = try await TestService.make(policies: Self.policies, entities: Self.entities)
        let event = try await recorded(decisions)
        _ = try await decisions.upsertEntities(
            Array(#"[{"uid": {"type": "User", "id": "alice"}, "attrs": {"role": "staff"}, "parents": []}]"#.utf8))
        let explanation = try await decisions.explain(event)
        #expect(explanation.recordedAllowed == true)
        #expect(explanation.nowAllowed == false)
        #expect(explanation.nowReasons == [])
        #expect(explanation.matches == false)
    }

    @Test func aDecisionInATaskIsDecidedAgainWithTheStoredTask() async throws {
        let decisions = try await AuditFixtures.decisions()
        let tasks = AuditFixtures.tasks(decisions, clock: TestClock())
        let opened = try await tasks.open(TaskFixtures.opening())
        let event = try await recorded(decisions, TaskAuthZENTests.body(token: try #require(opened.credential)), tasks: tasks)
        #expect(event.outcome == .allow)
        let explanation = try await decisions.explain(event)
        #expect(explanation.nowAllowed == true)
        #expect(explanation.nowReasons == ["agents-call-tools"])
        #expect(explanation.matches == true)
        #expect(explanation.note == "decided again with the task as stored now; mandates, budgets and approvals are not compared")
    }

    @Test func aRecordWithHashedValuesIsNotDecidedAgain() async throws {
        let decisions = try await AuditFixtures.decisions(sensitive: [.init(path: ["input", "query"])])
        let tasks = AuditFixtures.tasks(decisions, clock: TestClock())
        let opened = try await tasks.open(TaskFixtures.opening())
        let event = try #require(try await AuditFixtures.answer(
            .evaluation, TaskAuthZENTests.body(token: try #require(opened.credential)), decisions: decisions, tasks: tasks
        ).events.first)
        let explanation = try await decisions.explain(event)
        #expect(explanation.nowAllowed == nil)
        #expect(explanation.matches == nil)
        #expect(explanation.note == "the request has values stored as hashes, so it cannot be decided again")
    }

    @Test func anEventThatIsNotADecisionIsRefused() async throws {
        let decisions = try await TestService.make(policies: Self.policies, entities: Self.entities)
        var event = try await recorded(decisions)
        event.kind = .taskOpened
        await #expect(throws: WritError.self) { try await decisions.explain(event) }
    }
}
