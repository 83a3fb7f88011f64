import Cedar
import Testing
import WritCore

/// The bytes of a single evaluation's response, which Writ writes without building a
/// JSON tree: exactly the members and values docs/AUTHZEN.md lists, strings escaped
/// as Cedar's JSON writer escapes them. (AuthZENDecisionContextTests has the exact
/// bytes of a failed guardrail's report.)
@Suite struct AuthZENDecisionBytesTests {
    static let policies = #"""
        @id("b-reads") permit (principal, action == Action::"read", resource);
        @id("a-reads") permit (principal == User::"alice", action == Action::"read", resource);
        @id("q\"b\\s\u{1}\u{2028}") permit (principal, action == Action::"write", resource);
        """#
    static let schema = """
        entity User;
        entity Doc;
        action read, write, delete appliesTo { principal: User, resource: Doc };
        """

    private func body(subject: String = "alice", subjectType: String = "User", action: String) -> String {
        #"{"subject": {"type": "\#(subjectType)", "id": "\#(subject)"}, "action": {"name": "\#(action)"}, "resource": {"type": "Doc", "id": "1"}}"#
    }

    private func answer(_ body: String, mode: DecisionMode = .strict) async throws -> String {
        let service = try await TestService.make(
            policies: Self.policies, schema: Self.schema, entities: #"[{"uid": {"type": "Doc", "id": "1"}, "attrs": {}, "parents": []}]"#,
            mode: mode)
        return try service.authzenText(.evaluation, body)
    }

    @Test func anAllowListsEveryDecidingPolicyInOrder() async throws {
        let text = try await answer(body(action: "read"))
        #expect(text == #"{"decision":true,"context":{"policy_set_version":1,"mode":"strict","reasons":["a-reads","b-reads"]}}"#)
    }

    @Test func aDenyByDefaultHasEmptyReasons() async throws {
        let text = try await answer(body(action: "delete"))
        #expect(text == #"{"decision":false,"context":{"policy_set_version":1,"mode":"strict","reasons":[]}}"#)
    }

    @Test func aHostilePolicyIdIsEscapedAsJSONRequires() async throws {
        let text = try await answer(body(action: "write"))
        #expect(text == "{\"decision\":true,\"context\":{\"policy_set_version\":1,\"mode\":\"strict\",\"reasons\":[\"q\\\"b\\\\s\\u0001\u{2028}\"]}}")
    }

    @Test func cedarCompatModeIsNamed() async throws {
        let text = try await answer(body(action: "delete"), mode: .cedarCompat)
        #expect(text == #"{"decision":false,"context":{"policy_set_version":1,"mode":"cedar-compat","reasons":[]}}"#)
    }

    @Test func aRequestTheSchemaRefusesIsDeniedWithTheValidationMessage() async throws {
        let text = try await answer(body(subject: "1", subjectType: "Doc", action: "read"))
        #expect(text == #"{"decision":false,"context":{"policy_set_version":1,"mode":"strict","reasons":[],"error":{"status":400,"message":"principal type `Doc` is not valid for `Action::\"read\"`; it applies to principals of type `User`"}}}"#)
    }

    @Test(arguments: ["read", "write", "delete"]) func theBytesAreTheCanonicalJSONOfTheResponse(_ action: String) async throws {
        let bytes = Array(try await answer(body(action: action)).utf8)
        #expect(try JSON.parse(bytes).encodedBytes() == bytes)
    }
}
