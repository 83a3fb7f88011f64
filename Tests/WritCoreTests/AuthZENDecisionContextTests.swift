import Cedar
import Testing
import WritCore

/// What a decision's `context` reports, and strict against cedar-compat mode on a
/// guardrail that fails (RELIABILITY A3).
@Suite struct AuthZENDecisionContextTests {
    /// Everyone may read; a forbid guards secret documents, but document 2 has no
    /// `secret` attribute, so the guardrail fails when evaluated.
    static let policies = """
        @id("everyone-reads") permit (principal, action == Action::"read", resource);
        @id("no-secrets") forbid (principal, action == Action::"read", resource) when { resource.secret };
        """
    static let entities = """
        [{"uid": {"type": "doc", "id": "1"}, "attrs": {"secret": false}, "parents": []},
         {"uid": {"type": "doc", "id": "2"}, "attrs": {}, "parents": []}]
        """

    private func read(_ document: String) -> String {
        #"{"subject": {"type": "user", "id": "a"}, "action": {"name": "read"}, "resource": {"type": "doc", "id": "\#(document)"}}"#
    }

    @Test func anAllowNamesTheVersionModeAndDecidingPolicies() async throws {
        let service = try await TestService.make(policies: Self.policies, entities: Self.entities)
        let text = try service.authzenText(.evaluation, read("1"))
        #expect(text == #"{"decision":true,"context":{"policy_set_version":1,"mode":"strict","reasons":["everyone-reads"]}}"#)
    }

    @Test func strictModeDeniesWhenAGuardrailFails() async throws {
        let service = try await TestService.make(policies: Self.policies, entities: Self.entities, mode: .strict)
        let text = try service.authzenText(.evaluation, read("2"))
        #expect(text == #"{"decision":false,"context":{"policy_set_version":1,"mode":"strict","reasons":[],"errors":[{"policy":"no-secrets","message":"`doc::\"2\"` does not have the attribute `secret`"}],"failed_guardrails":["no-secrets"]}}"#)
    }

    @Test func cedarCompatModeSkipsTheFailedGuardrailAndReportsIt() async throws {
        let service = try await TestService.make(policies: Self.policies, entities: Self.entities, mode: .cedarCompat)
        let response = try service.authzenJSON(.evaluation, read("2"))
        #expect(response["decision"] == .bool(true))
        #expect(response["context"]?["mode"] == .string("cedar-compat"))
        #expect(response["context"]?["errors"]?.encoded().contains("no-secrets") == true)
        #expect(response["context"]?["failed_guardrails"] == nil)
    }

    @Test func aBatchItemReportsOnlyWhatWentWrong() async throws {
        let service = try await TestService.make(policies: Self.policies, entities: Self.entities)
        let body = #"{"subject": {"type": "user", "id": "a"}, "action": {"name": "read"}, "evaluations": [{"resource": {"type": "doc", "id": "1"}}, {"resource": {"type": "doc", "id": "2"}}]}"#
        let response = try service.authzenJSON(.evaluations, body)
        guard case .array(let items)? = response["evaluations"], items.count == 2 else {
            Issue.record("expected two items")
            return
        }
        #expect(items[0] == .object(["decision": true]))
        #expect(items[1]["decision"] == .bool(false))
        #expect(items[1]["context"]?["failed_guardrails"] == (try .literal(#"["no-secrets"]"#)))
    }
}
