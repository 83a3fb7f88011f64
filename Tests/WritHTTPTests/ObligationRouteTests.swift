import Foundation
import HTTPTypes
import Testing

/// Redactions reach the PEP as AuthZEN obligations in the decision's context.
@Suite struct ObligationRouteTests {
    static let policies = TestServer.policies + """

        @id("owners-read-without-ssn")
        @redact_fields("owner.ssn")
        @redact_text("\\\\d{3}-\\\\d{2}-\\\\d{4}")
        permit (principal, action == Action::"read", resource) when { resource.owner == principal };
        """

    static let bobReadsPlan = #"{"subject": {"type": "user", "id": "bob"}, "action": {"name": "read"}, "resource": {"type": "document", "id": "plan"}}"#

    @Test func anAllowDecidedByARedactingPolicyCarriesItsObligation() async throws {
        let reply = try await TestServer().run { client in
            let put = try await client.send(.put, "/v1/policies", json: PolicyRoutes.upload(Self.policies))
            #expect(put.status == 200)
            return try await client.send(.post, "/access/v1/evaluation", json: Self.bobReadsPlan)
        }
        #expect(reply.status == 200)
        #expect(reply.body == #"{"decision":true,"context":{"policy_set_version":2,"mode":"strict","reasons":["owners","owners-read-without-ssn"],"obligations":[{"id":"redact-1","type":"custom","properties":{"vendor":"writ","action":"redact","policy":"owners-read-without-ssn","replacement":"[REDACTED]","fields":["owner.ssn"],"text_pattern":"\\d{3}-\\d{2}-\\d{4}"}}]}}"#)
    }

    @Test func anAllowWithoutRedactingPoliciesCarriesNoObligations() async throws {
        let reply = try await TestServer().run { client in
            try await client.send(.post, "/access/v1/evaluation", json: Self.bobReadsPlan)
        }
        #expect(reply.body.contains("obligations") == false)
    }

    @Test func aPolicySetWithABadRedactionIsRefusedAndTheOldOneStays() async throws {
        let (put, after) = try await TestServer().run { client in
            let put = try await client.send(
                .put, "/v1/policies",
                json: PolicyRoutes.upload("@redact_text(\"a*\")\npermit (principal, action, resource);"))
            return (put, try await client.send(.post, "/access/v1/evaluation", json: Self.bobReadsPlan))
        }
        #expect(put.status == 422)
        #expect(put.errorCode == "invalid_policy_set")
        #expect(after.body.contains(#""policy_set_version":1"#))
    }
}
