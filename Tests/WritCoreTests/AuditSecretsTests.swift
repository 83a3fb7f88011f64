import Cedar
import Foundation
import Testing
import WritCore

/// No credential, key or approval secret lands in an audit event.
@Suite struct AuditSecretsTests {
    @Test func tasksApprovalsAndDecisionsRecordNoCredentialOrKey() async throws {
        let sink = RecordingSink()
        let clock = TestClock()
        let policies = TaskFixtures.policies + """

            @id("big-refunds-ask")
            @approvable("Refunds over 100 need a person.")
            forbid (principal, action == Writ::Action::"payments___refund", resource) when { context.input.amount > 100 };
            """
        let decisions = try await AuditFixtures.decisions(audit: sink, policies: policies)
        let tasks = AuditFixtures.tasks(decisions, clock: clock, audit: sink)
        let approvals = ApprovalService(store: decisions.store, now: clock.now, audit: sink)
        let (apiKey, apiSecret) = APIKeys.generate(name: "pep", scopes: [.decide])
        let audit = DecisionAudit(actor: apiKey.id, requestID: "req-secret")

        let opened = try await tasks.open(TaskFixtures.opening())
        let token = try #require(opened.credential)
        let child = try await tasks.delegate(
            from: opened.record.id, TaskDelegation(agent: "sub-bot", purpose: "search", mandate: TaskFixtures.everything))
        let childToken = try #require(child.credential)
        let bodies = [
            TaskAuthZENTests.body(token: token),
            TaskAuthZENTests.body(agent: "sub-bot", token: childToken),
            TaskAuthZENTests.body(tool: "payments___refund", input: #"{"amount": 500}"#, token: token),
            #"{"subject": {"type": "agent", "id": "support-bot"}, "action": {"name": "docs___search"}, "resource": {"type": "tool", "id": "docs___search"}, "context": {"input": {"query": "q"}, "Authorization": "Bearer \#(apiSecret)", "headers": {"x-api-key": "\#(apiSecret)"}}}"#,
        ]
        var approvalIDs: [String] = []
        for body in bodies {
            let outcome = try await decisions.authzen(
                .evaluation, body: Array(body.utf8), taskCredential: token, tasks: tasks, approvals: approvals, audit: audit)
            try await sink.record(outcome.events)
            if let id = try ApprovalAnswer(outcome.body).approval { approvalIDs.append(id) }
        }
        let approvalID = try #require(approvalIDs.first)
        _ = try await approvals.approve(id: approvalID, by: apiKey.id)
        _ = try await tasks.close(opened.record.id, closedBy: "key ops")

        let events = await sink.events
        #expect(Set(events.map(\.kind)).isSuperset(of: [
            .decision, .taskOpened, .taskDelegated, .taskClosed, .approvalAsked, .approvalGranted, .policiesChanged,
        ]))
        let salt = AuditConfigurationTests.salt.map { String(format: "%02x", $0) }.joined()
        let secrets = [
            token, childToken, apiSecret.description, apiSecret.secret, apiKey.secretDigest, TestCredentials.macOf(token),
            TestCredentials.macOf(childToken), salt,
        ]
        for event in events {
            for secret in secrets {
                #expect(!event.allText.contains(secret), "\(event.kind.rawValue) holds a secret")
            }
        }
    }
}

extension TestCredentials {
    /// The MAC part of a test credential.
    static func macOf(_ token: String) -> String {
        String(token.split(separator: ".").last ?? "")
    }
}
