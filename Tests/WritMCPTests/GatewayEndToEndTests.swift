import Foundation
import Testing

/// `writ gateway` end to end: the built binary, Python MCPServer upstreams and the
/// official Python MCP client as the agent (docs/GATEWAY.md).
@Suite(.serialized) struct GatewayEndToEndTests {
    @Test func listingShowsOnlyTheToolsTheTaskMightAllow() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let results = try await harness.agent([["op": "list"]])
        // Hidden: docs___admin (the mandate does not allow it), tickets___delete (an
        // organisation forbid), and the tools the policy set does not declare
        // (tickets___env_seen, flaky___lookup, flaky___env_seen). tickets___read is
        // listed: its permit depends on the arguments.
        #expect(results[0].tools == [
            "docs___lookup", "docs___env_seen", "docs___search",
            "tickets___lookup", "tickets___read",
            "flaky___crash", "flaky___echo",
        ])
    }

    @Test func anAllowedCallPassesTheUpstreamResultThroughUnchanged() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let step: [String: Any] = ["op": "call", "name": "docs___search", "arguments": ["query": "refunds"]]
        let through = try await harness.agent([step])
        var direct = step
        direct["name"] = "search"
        let script = GatewayHarness.fixtures.appendingPathComponent("upstream.py").path
        let straight = try await GatewayHarness.agent([direct], command: ["python3", script, "docs"], credential: nil)
        #expect(through[0].text == ["docs found refunds"])
        #expect(NSDictionary(dictionary: through[0]) == NSDictionary(dictionary: straight[0]))
    }

    @Test func aCallThePoliciesForbidIsDeniedWithItsReasonCodeAndDecisionID() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let results = try await harness.agent([["op": "call", "name": "tickets___delete", "arguments": ["ticket": 42]]])
        #expect(results[0].errorCode == -32001)
        let message = try #require(results[0].errorMessage)
        #expect(message.hasPrefix("Server error: Writ denied the call to `tickets___delete`: policy_denied (decision dec_"))
        #expect(!message.contains("no-ticket-deletion"))
    }

    @Test func aDeniedCallIsRecordedInTheAuditLogUnderItsDecisionID() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let results = try await harness.agent([["op": "call", "name": "docs___admin", "arguments": ["command": "drop"]]])
        let message = try #require(results[0].errorMessage)
        #expect(message.hasPrefix("Server error: Writ denied the call to `docs___admin`: mandate_denied (decision dec_"))
        let id = String(try #require(message.split(separator: " ").last?.dropLast()))
        let records = try await harness.auditRecords(decision: id)
        #expect(records.contains("\"decision_id\":\"\(id)\""))
        #expect(records.contains("\"actor\":\"gateway\""))
    }

    @Test func aCallAPersonMustApproveIsAnErrorNamingTheApproval() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let results = try await harness.agent([["op": "call", "name": "flaky___echo", "arguments": ["text": "secret"]]])
        #expect(results[0].errorCode == -32001)
        let message = try #require(results[0].errorMessage)
        #expect(message.range(
            of: #"^Server error: Writ denied the call to `flaky___echo`: approval_required; a person must approve it: approval apr_[A-Za-z0-9_-]+ \(decision dec_[A-Za-z0-9_-]+\)$"#,
            options: .regularExpression) != nil)
    }

    @Test func anAllowedCallIsRecordedInTheAuditLogAsTheGatewaysDecision() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        _ = try await harness.agent([["op": "call", "name": "docs___search", "arguments": ["query": "audited"]]])
        let records = try await harness.auditQuery(["--kind", "decision", "--outcome", "allow"])
        #expect(records.contains(#"\"docs___search\""#))
        #expect(records.contains("\"actor\":\"gateway\""))
    }

    @Test func theAuditLogTheGatewayWroteVerifies() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        _ = try await harness.agent([
            ["op": "call", "name": "docs___search", "arguments": ["query": "a"]],
            ["op": "call", "name": "docs___admin", "arguments": ["command": "b"]],
        ])
        let verified = try await harness.auditVerify()
        #expect(verified.status == 0)
        #expect(verified.stdout.hasPrefix("ok: "))
    }

    @Test func anArgumentConditionedCallIsAllowedForOneValueAndDeniedForAnother() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let results = try await harness.agent([
            ["op": "call", "name": "tickets___read", "arguments": ["ticket": 42]],
            ["op": "call", "name": "tickets___read", "arguments": ["ticket": 7]],
        ])
        #expect(results[0].text == ["ticket 42 is open"])
        #expect(results[1].errorCode == -32001)
        #expect(results[1].errorMessage?.hasPrefix("Server error: Writ denied the call to `tickets___read`: mandate_denied (decision dec_") == true)
    }

    @Test func twoUpstreamsWithTheSameToolNameAreBothReachable() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let results = try await harness.agent([
            ["op": "call", "name": "docs___lookup", "arguments": ["key": "k"]],
            ["op": "call", "name": "tickets___lookup", "arguments": ["key": "k"]],
        ])
        #expect(results[0].text == ["docs lookup k"])
        #expect(results[1].text == ["tickets lookup k"])
    }

    @Test func anUpstreamCrashingMidCallIsAClearErrorAndTheGatewayKeepsServing() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let results = try await harness.agent([
            ["op": "call", "name": "flaky___crash", "arguments": [:] as [String: Any]],
            ["op": "call", "name": "docs___search", "arguments": ["query": "after"]],
            ["op": "call", "name": "flaky___echo", "arguments": ["text": "again"]],
        ])
        #expect(results[0].errorCode == -32010)
        #expect(results[0].errorMessage == "Server error: upstream `flaky` failed during the call to `crash`: its process ended (exit status 3)")
        #expect(results[1].text == ["docs found after"])
        #expect(results[2].text == ["echo again"])
    }

    @Test func withoutATaskCredentialTheListingIsEmptyAndEveryCallDenied() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let results = try await GatewayHarness.agent(
            [["op": "list"], ["op": "call", "name": "docs___search", "arguments": ["query": "x"]]],
            command: harness.gatewayCommand(), credential: nil)
        #expect(results[0].tools == [])
        #expect(results[1].errorCode == -32001)
        #expect(results[1].errorMessage == "Server error: Writ denied the call to `docs___search`: no_task")
    }

    @Test func upstreamsNeverSeeTheTaskCredential() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let results = try await harness.agent([["op": "call", "name": "docs___env_seen", "arguments": [:] as [String: Any]]])
        #expect(results[0].text == ["none"])
    }
}
