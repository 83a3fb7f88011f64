import Foundation
import Testing

/// `writ gateway --listen`: the official Python MCP client as the agent over
/// Streamable HTTP, its task credential in `Authorization: Bearer`.
@Suite(.serialized) struct GatewayHTTPTests {
    @Test func overHTTPTheListingShowsOnlyTheToolsTheTaskMightAllow() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let gateway = try harness.httpGateway()
        defer { gateway.stop() }
        let results = try await GatewayHarness.agent([["op": "list"]], url: gateway.address, credential: harness.credential)
        #expect(results[0].tools == [
            "docs___lookup", "docs___env_seen", "docs___search",
            "tickets___lookup", "tickets___read",
            "flaky___crash", "flaky___echo",
        ])
    }

    @Test func overHTTPAnAllowedCallIsAnsweredAndADeniedOneRefusedWithItsReason() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let gateway = try harness.httpGateway()
        defer { gateway.stop() }
        let results = try await GatewayHarness.agent(
            [
                ["op": "call", "name": "tickets___read", "arguments": ["ticket": 42]],
                ["op": "call", "name": "tickets___read", "arguments": ["ticket": 7]],
            ],
            url: gateway.address, credential: harness.credential)
        #expect(results[0].text == ["ticket 42 is open"])
        #expect(results[1].errorCode == -32001)
        #expect(results[1].errorMessage?.hasPrefix(
            "Server error: Writ denied the call to `tickets___read`: mandate_denied (decision dec_") == true)
    }

    @Test func overHTTPWithoutACredentialTheListingIsEmptyAndEveryCallDenied() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let gateway = try harness.httpGateway(["docs"])
        defer { gateway.stop() }
        let results = try await GatewayHarness.agent(
            [["op": "list"], ["op": "call", "name": "docs___search", "arguments": ["query": "x"]]],
            url: gateway.address, credential: nil)
        #expect(results[0].tools == [])
        #expect(results[1].errorMessage == "Server error: Writ denied the call to `docs___search`: no_task")
    }

    @Test func overHTTPWithServerSentEventsAnAllowedCallIsAnswered() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let gateway = try harness.httpGateway(["docs"], extra: ["--http-responses", "sse"])
        defer { gateway.stop() }
        let results = try await GatewayHarness.agent(
            [["op": "call", "name": "docs___search", "arguments": ["query": "events"]]],
            url: gateway.address, credential: harness.credential)
        #expect(results[0].text == ["docs found events"])
    }

    @Test func overHTTPTheGatewayStopsCleanlyOnSIGTERM() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let gateway = try harness.httpGateway(["docs"])
        _ = try await GatewayHarness.agent(
            [["op": "call", "name": "docs___search", "arguments": ["query": "a"]]], url: gateway.address,
            credential: harness.credential)
        #expect(gateway.stop() == 0)
        #expect(try await harness.auditVerify().status == 0)
    }
}
