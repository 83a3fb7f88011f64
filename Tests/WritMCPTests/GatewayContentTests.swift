import Foundation
import Testing

/// Resources and prompts through the gateway: `resources/read` is the `retrieve`
/// checkpoint, `prompts/get` the `prompt` checkpoint, and the listings show only what
/// the task might use (docs/GATEWAY.md, "Resources and prompts").
@Suite(.serialized) struct GatewayContentTests {
    @Test func theResourceListingShowsOnlyTheDocumentsTheTaskMightRead() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let results = try await harness.agent([["op": "resources"]], upstreams: ["docs", "tickets"])
        // Hidden: salaries.md (a forbid on secret documents) and unregistered.md (in no dataset).
        #expect(results[0]["resources"] as? [String] == [
            "file:///kb/refunds.md", "file:///kb/people.md", "file:///kb/people.json", "file:///kb/badge.png",
        ])
    }

    @Test func anAllowedReadPassesTheUpstreamContentsThrough() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let results = try await harness.agent([["op": "read", "uri": "file:///kb/refunds.md"]], upstreams: ["docs"])
        #expect(results[0].text == ["Refunds within 30 days."])
    }

    @Test func aReadThePoliciesForbidIsDeniedWithItsReasonCode() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let results = try await harness.agent([["op": "read", "uri": "file:///kb/salaries.md"]], upstreams: ["docs"])
        #expect(results[0].errorCode == -32001)
        #expect(results[0].errorMessage?.hasPrefix(
            "Server error: Writ denied the read of `file:///kb/salaries.md`: policy_denied (decision dec_") == true)
    }

    @Test func aReadOfADocumentInNoRegisteredDatasetIsDeniedUnregistered() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let results = try await harness.agent([["op": "read", "uri": "file:///kb/unregistered.md"]], upstreams: ["docs"])
        #expect(results[0].errorMessage?.hasPrefix(
            "Server error: Writ denied the read of `file:///kb/unregistered.md`: unregistered (decision dec_") == true)
    }

    @Test func theSameURIListedByTwoUpstreamsIsNotRead() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let script = GatewayHarness.fixtures.appendingPathComponent("upstream.py").path
        let results = try await GatewayHarness.agent(
            [["op": "read", "uri": "file:///kb/refunds.md"]],
            command: harness.gatewayCommand(["docs"], extra: ["--upstream", "mirror=python3 '\(script)' docs"]),
            credential: harness.credential)
        #expect(results[0].errorCode == -32602)
        #expect(results[0].errorMessage == "Invalid params: resource `file:///kb/refunds.md` is listed by more than one upstream (docs, mirror); it is not read")
    }

    @Test func thePromptListingShowsOnlyThePromptsTheTaskMightUse() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let results = try await harness.agent([["op": "prompts"]], upstreams: ["docs", "tickets"])
        #expect(results[0]["prompts"] as? [String] == ["docs___greet"])
    }

    @Test func anAllowedPromptGetPassesTheUpstreamMessagesThrough() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let results = try await harness.agent(
            [["op": "prompt", "name": "docs___greet", "arguments": ["customer": "Bob"]]], upstreams: ["docs"])
        #expect(results[0].text == ["Greet Bob politely."])
    }

    @Test func aPromptThePoliciesDoNotAllowIsDenied() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let results = try await harness.agent([["op": "prompt", "name": "docs___draft"]], upstreams: ["docs"])
        #expect(results[0].errorCode == -32001)
        #expect(results[0].errorMessage?.hasPrefix(
            "Server error: Writ denied the prompt `docs___draft`: policy_denied (decision dec_") == true)
    }

    @Test func withoutATaskCredentialResourcesAndPromptsAreNeitherListedNorServed() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let results = try await GatewayHarness.agent(
            [["op": "resources"], ["op": "prompts"], ["op": "read", "uri": "file:///kb/refunds.md"],
             ["op": "prompt", "name": "docs___greet", "arguments": ["customer": "x"]]],
            command: harness.gatewayCommand(["docs"]), credential: nil)
        #expect(results[0]["resources"] as? [String] == [])
        #expect(results[1]["prompts"] as? [String] == [])
        #expect(results[2].errorMessage == "Server error: Writ denied the read of `file:///kb/refunds.md`: no_task")
        #expect(results[3].errorMessage == "Server error: Writ denied the prompt `docs___greet`: no_task")
    }
}
