import Foundation
import MCP
import Testing
@testable import WritMCP

/// A decision service that never answers: what a remote PDP that is down looks like
/// to the gateway (the embedded one cannot be made to hang).
private struct SilentDecider: GatewayDecider {
    func decide(_ question: GatewayQuestion) async -> GatewayOutcome {
        try? await Task.sleep(for: .seconds(3600))
        return GatewayOutcome(decision: .allow)
    }

    func callable(_ tools: [String], credential: String) async -> Set<String> { Set(tools) }
}

@Suite struct GatewayFailClosedTests {
    /// A credential-shaped token naming agent `bot` (`{"sub":"bot"}`); never verified here.
    static let token = "e30.eyJzdWIiOiJib3QifQ.c2ln"

    @Test func aDecisionThatDoesNotComeInTimeIsADeny() async {
        let gateway = WritGateway(
            decider: SilentDecider(), upstreams: [], credential: Self.token,
            configuration: .init(decisionTimeout: .milliseconds(50)))
        let outcome = await gateway.decide("docs___search", arguments: ["query": "q"])
        #expect(outcome == GatewayOutcome(decision: .deny, reason: "decision_timeout"))
    }

    @Test func aDecisionTimeoutIsAnsweredAsTheAuthorizationServiceUnavailable() {
        let error = GatewayRefusal.denied(.refused("decision_timeout"), tool: "docs___search")
        #expect(error.code == -32603)
        #expect(error.errorDescription
            == "Internal error: Authorization service unavailable: decision_timeout; the call to `docs___search` is denied")
    }

    @Test func theCallIsAskedAboutAsTheCallCheckpoint() async throws {
        let body = try WritGateway.evaluation(agent: "bot", tool: "docs___search", arguments: ["query": "q", "n": 2])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? NSDictionary)
        #expect(object == [
            "subject": ["type": "agent", "id": "bot"],
            "action": ["name": "docs___search"],
            "resource": ["type": "tool", "id": "docs___search"],
            "context": ["input": ["query": "q", "n": 2]],
        ] as NSDictionary)
    }

    @Test func aTokenThatIsNotAJWTNamesNoAgent() {
        #expect(AgentCredential("not a token").agent == nil)
        #expect(AgentCredential(Self.token).agent == "bot")
    }

    @Test func anAllowWithObligationsCarriesThem() {
        let outcome = GatewayOutcome.reading(authzen: Array(#"{"decision":true,"context":{"decision_id":"dec_1","obligations":[{"id":"redact-1"}]}}"#.utf8))
        #expect(outcome == GatewayOutcome(decision: .allow, decisionID: "dec_1", obligations: Array(#"[{"id":"redact-1"}]"#.utf8)))
    }

    @Test func anUnreadableDecisionIsADeny() {
        #expect(GatewayOutcome.reading(authzen: Array("[]".utf8)) == GatewayOutcome(decision: .deny, reason: "decision_unreadable"))
    }

    @Test func theIDOfAnOversizedRequestIsReadFromItsStart() {
        #expect(LineReader.requestID(ArraySlice(#"{"jsonrpc":"2.0","id":17,"method":"tools/call","params":{"#.utf8)) == "17")
        #expect(LineReader.requestID(ArraySlice(#"{"jsonrpc":"2.0", "id" : "a-1","method""#.utf8)) == #""a-1""#)
        #expect(LineReader.requestID(ArraySlice(#"{"jsonrpc":"2.0","method":"x"}"#.utf8)) == nil)
    }
}
