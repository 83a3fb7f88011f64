import Cedar
import Foundation
import Testing
import WritCore

/// AuthZEN requests about agents: decided inside the task their credential names,
/// or denied with `no_task`.
@Suite struct TaskAuthZENTests {
    let clock = TestClock()

    static func body(agent: String = "support-bot", tool: String = "docs___search", input: String = #"{"query": "refunds"}"#, token: String? = nil) -> String {
        let tokenMember = token.map { #", "task_token": "\#($0)""# } ?? ""
        return #"{"subject": {"type": "agent", "id": "\#(agent)"}, "action": {"name": "\#(tool)"}, "resource": {"type": "tool", "id": "\#(tool)"}, "context": {"input": \#(input)\#(tokenMember)}}"#
    }

    private func answer(
        _ tasks: TaskService?, _ decisions: DecisionService, _ body: String, operation: AuthZENOperation = .evaluation,
        credential: String? = nil
    ) async throws -> String {
        let outcome = try await decisions.authzen(operation, body: Array(body.utf8), taskCredential: credential, tasks: tasks)
        return String(decoding: outcome.body, as: UTF8.self)
    }

    @Test func anAgentWithoutACredentialIsDeniedNoTask() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        _ = try await tasks.open(TaskFixtures.opening())
        let text = try await answer(tasks, tasks.decisions, Self.body())
        #expect(text == #"{"decision":false,"context":{"policy_set_version":1,"mode":"strict","reasons":[],"reason":"no_task","message":"agent `support-bot` has no task: send its task credential in `context.task_token`"}}"#)
    }

    @Test func aCredentialInTheContextDecidesInItsTaskAndChargesIt() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let opened = try await tasks.open(TaskFixtures.opening())
        let token = try #require(opened.credential)
        let text = try await answer(tasks, tasks.decisions, Self.body(token: token))
        #expect(text == #"{"decision":true,"context":{"policy_set_version":1,"mode":"strict","reasons":["agents-call-tools"]}}"#)
        #expect(try await tasks.task(id: opened.record.id)?.counters.decisions == 1)
    }

    @Test func aCredentialFromTheTransportDecidesToo() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let opened = try await tasks.open(TaskFixtures.opening())
        let text = try await answer(tasks, tasks.decisions, Self.body(), credential: opened.credential)
        #expect(text.hasPrefix(#"{"decision":true"#))
    }

    @Test func anotherAgentsCredentialIsNoTask() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let opened = try await tasks.open(TaskFixtures.opening(agent: "other-bot"))
        let token = try #require(opened.credential)
        let text = try await answer(tasks, tasks.decisions, Self.body(token: token))
        #expect(text == #"{"decision":false,"context":{"policy_set_version":1,"mode":"strict","reasons":[],"reason":"no_task","message":"the task credential is agent `other-bot`'s, not `support-bot`'s"}}"#)
    }

    @Test func aForgedOrOddCredentialIsNoTask() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let opened = try await tasks.open(TaskFixtures.opening())
        let token = try #require(opened.credential)
        let forged = String(token.dropLast()) + (token.hasSuffix("0") ? "1" : "0")
        #expect(try await answer(tasks, tasks.decisions, Self.body(token: forged)).contains(#""reason":"no_task""#))
        #expect(try await answer(tasks, tasks.decisions, Self.body(token: "")).contains(#""reason":"no_task""#))
        let wrongType = Self.body().replacingOccurrences(of: #""input""#, with: #""task_token": 7, "input""#)
        let error = await #expect(throws: WritError.self) { try await answer(tasks, tasks.decisions, wrongType) }
        #expect(error?.message == "`context.task_token` must be a string, found a number")
    }

    @Test func aClosedTasksCredentialIsDeniedTaskClosed() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let opened = try await tasks.open(TaskFixtures.opening())
        _ = try await tasks.close(opened.record.id, closedBy: "key ops")
        let text = try await answer(tasks, tasks.decisions, Self.body(token: try #require(opened.credential)))
        #expect(text.contains(#""reason":"task_closed","message":"task `\#(opened.record.id)` is closed""#))
    }

    @Test func aCallOutsideTheMandateNamesTheMandateAndNoPolicy() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let opened = try await tasks.open(TaskFixtures.opening(mandate: []))
        let text = try await answer(tasks, tasks.decisions, Self.body(token: try #require(opened.credential)))
        #expect(text == #"{"decision":false,"context":{"policy_set_version":1,"mode":"strict","reasons":[],"reason":"mandate_denied","message":"the mandate of task `\#(opened.record.id)` does not allow the request"}}"#)
    }

    @Test func theEntryWithoutTasksDeniesAgentsAndDecidesOthersAsBefore() async throws {
        let decisions = try await TaskFixtures.decisions(policies: """
            permit (principal, action, resource);
            """, schema: nil)
        let agent = String(decoding: try decisions.authzen(.evaluation, body: Array(Self.body().utf8)).body, as: UTF8.self)
        #expect(agent.contains(#""decision":false"#) && agent.contains(#""reason":"no_task""#))
        let user = Self.body().replacingOccurrences(of: #""type": "agent""#, with: #""type": "user""#)
        #expect(String(decoding: try decisions.authzen(.evaluation, body: Array(user.utf8)).body, as: UTF8.self)
            == #"{"decision":true,"context":{"policy_set_version":1,"mode":"strict","reasons":["policy0"]}}"#)
    }

    @Test func aBatchChargesEachAllowAndStopsWhereTheBudgetRunsOut() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let opened = try await tasks.open(TaskFixtures.opening(budgets: TaskBudgets(maxDecisions: 1)))
        let token = try #require(opened.credential)
        let item = #"{"resource": {"type": "tool", "id": "docs___search"}}"#
        let batch = #"{"subject": {"type": "agent", "id": "support-bot"}, "action": {"name": "docs___search"}, "context": {"input": {"query": "q"}, "task_token": "\#(token)"}, "evaluations": [\#(item), \#(item)]}"#
        let text = try await answer(tasks, tasks.decisions, batch, operation: .evaluations)
        #expect(text == #"{"evaluations":[{"decision":true},{"decision":false,"context":{"reason":"budget_exhausted:decisions","message":"task `\#(opened.record.id)` has used 1 of its 1 decisions"}}],"context":{"policy_set_version":1,"mode":"strict"}}"#)
        #expect(try await tasks.task(id: opened.record.id)?.counters.decisions == 1)
    }

    @Test func aTaskDenialReplacesTheShortCircuitReason() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let opened = try await tasks.open(TaskFixtures.opening(mandate: []))
        let token = try #require(opened.credential)
        let batch = #"{"subject": {"type": "agent", "id": "support-bot"}, "action": {"name": "docs___search"}, "context": {"input": {"query": "q"}, "task_token": "\#(token)"}, "options": {"evaluations_semantic": "deny_on_first_deny"}, "evaluations": [{"resource": {"type": "tool", "id": "docs___search"}}, {"resource": {"type": "tool", "id": "mail___send_email"}}]}"#
        let text = try await answer(tasks, tasks.decisions, batch, operation: .evaluations)
        #expect(text == #"{"evaluations":[{"decision":false,"context":{"code":"200","reason":"mandate_denied","message":"the mandate of task `\#(opened.record.id)` does not allow the request"}}],"context":{"policy_set_version":1,"mode":"strict"}}"#)
    }

    @Test func theTokenNeverReachesCedarAndTheCallersTaskIsReplaced() async throws {
        let decisions = try await TaskFixtures.decisions(policies: """
            @id("all") permit (principal, action, resource);
            @id("no-token") forbid (principal, action, resource) when { context has task_token };
            @id("real-task") forbid (principal, action, resource) unless { context.task.purpose == "answer ticket 42" };
            """, schema: nil)
        let tasks = try await TaskFixtures.service(clock: clock, decisions: decisions)
        let opened = try await tasks.open(TaskFixtures.opening(mandate: TaskFixtures.mandate("permit (principal, action, resource);")))
        let token = try #require(opened.credential)
        let body = #"{"subject": {"type": "agent", "id": "support-bot"}, "action": {"name": "docs___search"}, "resource": {"type": "tool", "id": "docs___search"}, "context": {"task_token": "\#(token)", "task": {"purpose": "forged"}}}"#
        let text = try await answer(tasks, decisions, body)
        #expect(text == #"{"decision":true,"context":{"policy_set_version":1,"mode":"strict","reasons":["all"]}}"#)
    }

    @Test func aSearchAboutAnAgentChecksItsTaskWithoutChargingIt() async throws {
        let decisions = try await TaskFixtures.decisions(entities: TaskFixtures.toolEntities)
        let tasks = try await TaskFixtures.service(clock: clock, decisions: decisions)
        let opened = try await tasks.open(TaskFixtures.opening(budgets: TaskBudgets(maxDecisions: 1)))
        let search = #"{"subject": {"type": "agent", "id": "support-bot"}, "action": {"name": "docs___search"}, "resource": {"type": "tool"}, "context": {"input": {"query": "q"}}}"#
        let found = try await answer(tasks, decisions, search, operation: .resourceSearch, credential: opened.credential)
        #expect(found.hasSuffix(#""results":[{"type":"tool","id":"docs___search"},{"type":"tool","id":"mail___send_email"},{"type":"tool","id":"payments___refund"}]}"#))
        #expect(try await tasks.task(id: opened.record.id)?.counters == TaskCounters())
        let none = try await answer(tasks, decisions, search, operation: .resourceSearch)
        #expect(none.hasSuffix(#""results":[]}"#))
    }
}
