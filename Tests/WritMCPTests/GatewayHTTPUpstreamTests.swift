import Foundation
import Testing

/// HTTP upstreams (`--upstream NAME=http://…`): Python MCPServers serving Streamable
/// HTTP on loopback, reached by the gateway's client on AsyncHTTPClient; and the
/// credentials issued for an upstream's audience (`--upstream-audience`).
@Suite(.serialized) struct GatewayHTTPUpstreamTests {
    @Test func anHTTPUpstreamAnsweringWithEventsIsListedAndCalled() async throws {
        try await listedAndCalled(json: false)
    }

    @Test func anHTTPUpstreamAnsweringWithJSONIsListedAndCalled() async throws {
        try await listedAndCalled(json: true)
    }

    private func listedAndCalled(json: Bool) async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let (upstream, url) = try GatewayHarness.httpUpstream("docs", json: json)
        defer { upstream.stop() }
        let results = try await GatewayHarness.agent(
            [["op": "list"], ["op": "call", "name": "docs___search", "arguments": ["query": "remote"]]],
            command: [harness.writ.path, "gateway", "--data", harness.data, "--upstream", "docs=\(url)"],
            credential: harness.credential)
        #expect(results[0].tools == ["docs___lookup", "docs___env_seen", "docs___search"])
        #expect(results[1].text == ["docs found remote"])
    }

    /// Runs `steps` (by default: list and call `docs___search`) through a gateway with
    /// the recording HTTP upstream `docs` (and `extra` flags); the agent's results and
    /// the `Authorization` headers the upstream received.
    private func recorded(
        _ harness: GatewayHarness, extra: [String] = [],
        steps: [[String: Any]] = [["op": "list"], ["op": "call", "name": "docs___search", "arguments": ["query": "q"]]]
    ) async throws -> (results: [[String: Any]], seen: [String]) {
        let record = harness.data + "-auth.txt"
        defer { try? FileManager.default.removeItem(atPath: record) }
        let (upstream, url) = try GatewayHarness.httpUpstream("docs", record: record)
        defer { upstream.stop() }
        let results = try await GatewayHarness.agent(
            steps,
            command: [harness.writ.path, "gateway", "--data", harness.data, "--upstream", "docs=\(url)"] + extra,
            credential: harness.credential)
        // No file: the upstream received no request at all.
        let text = FileManager.default.fileExists(atPath: record) ? try String(contentsOfFile: record, encoding: .utf8) : ""
        let seen = text.split(separator: "\n").map(String.init)
        return (results, seen)
    }

    @Test func anHTTPUpstreamWithoutAnAudienceIsSentNoCredential() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let (_, seen) = try await recorded(harness)
        #expect(!seen.isEmpty)
        #expect(seen.allSatisfy { $0 == "-" })
    }

    @Test func anHTTPUpstreamWithAnAudienceIsSentACredentialForItNeverTheAgents() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let (results, seen) = try await recorded(harness, extra: ["--upstream-audience", "docs=https://docs.example"])
        #expect(results[1].text == ["docs found q"])
        #expect(!seen.isEmpty)
        #expect(!seen.contains { $0.contains(harness.credential) })
        let agent = try Self.claims(harness.credential)
        for header in seen {
            #expect(header.hasPrefix("Bearer "))
            let claims = try Self.claims(String(header.dropFirst(7)))
            #expect(claims["aud"] as? [String] == ["https://docs.example"])
            #expect(claims["sub"] as? String == "bot")
            #expect(claims["jti"] as? String == agent["jti"] as? String)
            #expect(claims["iss"] as? String == "http://writ.test")
        }
    }

    @Test func resourcesAndPromptsAreRequestedWithTheCredentialForTheUpstreamsAudience() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let (results, seen) = try await recorded(
            harness, extra: ["--upstream-audience", "docs=https://docs.example"],
            steps: [
                ["op": "resources"], ["op": "read", "uri": "file:///kb/refunds.md"],
                ["op": "prompts"], ["op": "prompt", "name": "docs___greet", "arguments": ["customer": "Ann"]],
            ])
        #expect(results[1].text == ["Refunds within 30 days."])
        #expect(results[3].text == ["Greet Ann politely."])
        #expect(!seen.isEmpty)
        for header in seen {
            #expect(header.hasPrefix("Bearer "))
            let claims = try Self.claims(String(header.dropFirst(7)))
            #expect(claims["aud"] as? [String] == ["https://docs.example"])
        }
    }

    /// Without a credential the upstream cannot even be asked what it lists, so the
    /// gateway does not know the resource: the read is denied, and nothing is sent.
    @Test func aReadFromAnUpstreamWhoseAudienceIsWritsOwnIssuerIsDeniedAndNothingSent() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let (results, seen) = try await recorded(
            harness, extra: ["--upstream-audience", "docs=http://writ.test"],
            steps: [["op": "resources"], ["op": "read", "uri": "file:///kb/refunds.md"]])
        #expect(results[0]["resources"] as? [String] == [])
        #expect(results[1].errorCode == -32001)
        #expect(results[1].errorMessage?.hasPrefix("Server error: Writ denied the read of `file:///kb/refunds.md`: ") == true)
        #expect(seen.isEmpty)
    }

    @Test func anUpstreamWhoseAudienceIsWritsOwnIssuerIsSentNothingAndTheCallDenied() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let (results, seen) = try await recorded(harness, extra: ["--upstream-audience", "docs=http://writ.test"])
        #expect(results[1].errorCode == -32001)
        #expect(results[1].errorMessage?.contains("upstream_credential_unavailable") == true)
        #expect(seen.isEmpty)
    }

    @Test func anUpstreamAudienceWithADecisionServerIsRefusedAtStart() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let run = try await GatewayHarness.run(
            harness.writ,
            ["gateway", "--server", "http://127.0.0.1:9", "--upstream", "docs=http://127.0.0.1:9/mcp",
             "--upstream-audience", "docs=https://docs.example"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("--upstream-audience needs decisions in process"))
    }

    /// The claims of a JWT, unverified.
    static func claims(_ token: String) throws -> [String: Any] {
        let parts = token.split(separator: ".")
        guard parts.count == 3 else { throw HarnessError("not a JWT: \(token)") }
        var base64 = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64),
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { throw HarnessError("unreadable claims: \(token)") }
        return object
    }
}
