import Cedar
import Foundation
import Testing
import WritCore

/// Every decision answered through the AuthZEN path carries an audit event, whose id
/// the response names.
@Suite struct AuditDecisionRecordTests {
    let clock = TestClock()

    func desk(sensitive: [AuditConfiguration.SensitiveValue] = []) async throws -> (DecisionService, TaskService, String, String) {
        let decisions = try await AuditFixtures.decisions(sensitive: sensitive)
        let tasks = AuditFixtures.tasks(decisions, clock: clock)
        let opened = try await tasks.open(TaskFixtures.opening())
        return (decisions, tasks, opened.record.id, try #require(opened.credential))
    }

    @Test func anEvaluationInATaskIsOneEventNamedByTheResponse() async throws {
        let (decisions, tasks, taskID, token) = try await desk()
        let (body, events) = try await AuditFixtures.answer(
            .evaluation, TaskAuthZENTests.body(token: token), decisions: decisions, tasks: tasks)
        let event = try #require(events.first)
        #expect(events.count == 1)
        #expect(AuditFixtures.decisionIDs(body) == [try #require(event.decisionID)])
        #expect(event.decisionID?.hasPrefix("dec_") == true)
        #expect(event.kind == .decision)
        #expect(event.actor == "key_pep")
        #expect(event.taskID == taskID)
        #expect(event.agent == "support-bot")
        #expect(event.user == "alice")
        #expect(event.resource == #"Writ::Tool::"docs___search""#)
        #expect(event.action == #"Writ::Action::"docs___search""#)
        #expect(event.outcome == .allow)
        #expect(event.detailsText == #"{"operation":"evaluation","request_id":"req-1","request":{"subject":{"type":"agent","id":"support-bot"},"action":{"name":"docs___search"},"resource":{"type":"tool","id":"docs___search"},"context":{"input":{"query":"refunds"}}},"policy_set_version":1,"mode":"strict","checkpoint":"call","reasons":["agents-call-tools"],"policies":{"allowed":true,"reasons":["agents-call-tools"]}}"#)
    }

    @Test func aDenyRecordsThePoliciesThatDeniedAndTheTaskDenial() async throws {
        let (decisions, tasks, _, token) = try await desk()
        let (_, events) = try await AuditFixtures.answer(
            .evaluation, TaskAuthZENTests.body(tool: "payments___refund", input: #"{"amount": 5000}"#, token: token),
            decisions: decisions, tasks: tasks)
        let event = try #require(events.first)
        #expect(event.outcome == .deny)
        #expect(event.detail("reasons") == JSON.array([.string("no-big-refunds")]))
        #expect(event.detail("denial")?.encoded() == #"{"reason":"policy_denied","message":"the organisation's policies do not allow the request"}"#)
    }

    @Test func anAgentWithoutATaskIsRecordedAsADenyWithoutATask() async throws {
        let (decisions, tasks, _, _) = try await desk()
        let (_, events) = try await AuditFixtures.answer(
            .evaluation, TaskAuthZENTests.body(), decisions: decisions, tasks: tasks)
        let event = try #require(events.first)
        #expect(event.outcome == .deny)
        #expect(event.taskID == nil)
        #expect(event.detail("denial").map { $0.encoded().contains(#""reason":"no_task""#) } == true)
    }

    @Test func everyItemOfABatchIsOneEventWithItsOwnID() async throws {
        let (decisions, tasks, _, token) = try await desk()
        let body = #"{"subject": {"type": "agent", "id": "support-bot"}, "context": {"task_token": "\#(token)", "input": {"query": "q"}}, "evaluations": [{"action": {"name": "docs___search"}, "resource": {"type": "tool", "id": "docs___search"}}, {"action": {"name": "docs___search"}, "resource": {"type": "tool", "id": "docs___search"}}, {"action": {"name": "docs___search"}, "resource": {"type": "tool", "id": "docs___search"}}]}"#
        let (text, events) = try await AuditFixtures.answer(.evaluations, body, decisions: decisions, tasks: tasks)
        #expect(events.count == 3)
        #expect(AuditFixtures.decisionIDs(text) == events.compactMap(\.decisionID))
        #expect(Set(events.compactMap(\.decisionID)).count == 3)
        #expect(events.map { $0.detail("index") } == [JSON.number(JSONNumber(0)), .number(JSONNumber(1)), .number(JSONNumber(2))])
    }

    @Test func aBatchThatStopsRecordsOnlyTheItemsAnswered() async throws {
        let (decisions, tasks, _, token) = try await desk()
        let body = #"{"subject": {"type": "agent", "id": "support-bot"}, "options": {"evaluations_semantic": "deny_on_first_deny"}, "evaluations": [{"action": {"name": "payments___refund"}, "resource": {"type": "tool", "id": "payments___refund"}, "context": {"task_token": "\#(token)", "input": {"amount": 5000}}}, {"action": {"name": "docs___search"}, "resource": {"type": "tool", "id": "docs___search"}, "context": {"task_token": "\#(token)", "input": {"query": "q"}}}]}"#
        let (text, events) = try await AuditFixtures.answer(.evaluations, body, decisions: decisions, tasks: tasks)
        #expect(events.map(\.outcome) == [.deny])
        #expect(AuditFixtures.decisionIDs(text) == events.compactMap(\.decisionID))
    }

    @Test func everyFilterCandidateIsOneEventNamedInItsEntry() async throws {
        let (decisions, tasks, _, token) = try await desk()
        let body = #"{"subject": {"type": "agent", "id": "support-bot"}, "action": {"name": "docs___search"}, "context": {"task_token": "\#(token)", "input": {"query": "q"}}, "resources": [{"type": "tool", "id": "docs___search"}, {"type": "tool", "id": "mail___send_email"}]}"#
        let outcome = try await decisions.filter(
            body: Array(body.utf8), taskCredential: nil, tasks: tasks, audit: AuditFixtures.requester)
        let text = String(decoding: outcome.body, as: UTF8.self)
        #expect(outcome.events.map(\.resource) == [#"Writ::Tool::"docs___search""#, #"Writ::Tool::"mail___send_email""#])
        #expect(outcome.events.map { $0.detail("operation") } == [JSON.string("filter"), .string("filter")])
        #expect(AuditFixtures.decisionIDs(text).sorted() == outcome.events.compactMap(\.decisionID).sorted())
        #expect(outcome.events.allSatisfy { !$0.detailsText.contains("task_token") })
    }

    @Test func withoutAuditThereAreNoEventsAndNoDecisionIDs() async throws {
        let (decisions, tasks, _, token) = try await desk()
        let outcome = try await decisions.authzen(
            .evaluation, body: Array(TaskAuthZENTests.body(token: token).utf8), taskCredential: nil, tasks: tasks)
        #expect(outcome.events.isEmpty)
        #expect(!String(decoding: outcome.body, as: UTF8.self).contains("decision_id"))
    }

    @Test func aSensitiveArgumentIsRecordedAsItsSaltedHash() async throws {
        let (decisions, tasks, _, token) = try await desk(
            sensitive: [.init(resource: #"Writ::Tool::"payments___refund""#, path: ["input", "amount"])])
        let (_, events) = try await AuditFixtures.answer(
            .evaluation, TaskAuthZENTests.body(tool: "payments___refund", input: #"{"amount": 1200}"#, token: token),
            decisions: decisions, tasks: tasks)
        let event = try #require(events.first)
        #expect(event.detail("request")?.encoded() == #"{"subject":{"type":"agent","id":"support-bot"},"action":{"name":"payments___refund"},"resource":{"type":"tool","id":"payments___refund"},"context":{"input":{"amount":{"sha256":"f4612b9e4d6b8b3b1568e8ff5856e6ba5fc9f88cceeccb5f0c772754ee81f099"}}}}"#)
        #expect(event.detail("hashed") == JSON.array([.string("input.amount")]))
    }

    @Test func anApprovableDenyIsRecordedAsAskWithItsApproval() async throws {
        let decisions = try await TestService.make(policies: ApprovalTests.policies)
        let approvals = ApprovalService(store: decisions.store, now: clock.now)
        let (text, events) = try await AuditFixtures.answer(
            .evaluation, ApprovalTests.pay(500), decisions: decisions, tasks: nil, approvals: approvals)
        let event = try #require(events.first)
        #expect(event.outcome == .ask)
        let approval = try ApprovalAnswer(Array(text.utf8)).approval
        #expect(event.detail("approval") == approval.map { JSON.string($0) })
        #expect(event.detail("checkpoint") == nil)
    }
}
