import Foundation
import Testing

/// `writ inventory import --mcp --url URL`: the tools of an MCP server at a Streamable
/// HTTP endpoint (the Python `MCPServer` of Fixtures/upstream.py on uvicorn) registered
/// as a stdio import registers them.
@Suite(.serialized) struct InventoryImportURLTests {
    static let owner = #"Writ::User::"alice""#

    /// `writ inventory import --mcp` into the harness's data directory, as `server`.
    static func importing(_ harness: GatewayHarness, server: String, _ source: [String]) async throws -> GatewayHarness.Run {
        try await GatewayHarness.run(
            harness.writ,
            ["inventory", "import", "--mcp", "--owner", owner, "--server", server, "--schema-out", "/dev/null",
             "--data", harness.data] + source)
    }

    /// The `registered Writ::Tool::"<server>___<tool>" sha256:…` lines, as tool → hash.
    static func registered(_ output: String, server: String) -> [String: String] {
        var hashes: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let words = line.split(separator: " ")
            let prefix = #"Writ::Tool::""# + server + "___"
            guard words.count == 3, words[0] == "registered", words[1].hasPrefix(prefix) else { continue }
            hashes[String(words[1].dropFirst(prefix.count).dropLast())] = String(words[2])
        }
        return hashes
    }

    @Test func aURLImportRegistersEachToolWithTheHashAStdioImportGives() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let (upstream, url) = try GatewayHarness.httpUpstream("docs")
        defer { _ = upstream.stop() }
        // A generous limit: this machine may be busy with other suites' processes.
        let overHTTP = try await Self.importing(harness, server: "viahttp", ["--url", url, "--timeout", "120"])
        let script = GatewayHarness.fixtures.appendingPathComponent("upstream.py").path
        let overStdio = try await Self.importing(harness, server: "viastdio", ["--", "python3", script, "docs"])
        #expect(overHTTP.status == 0, "\(overHTTP.stderr)")
        #expect(overStdio.status == 0, "\(overStdio.stderr)")
        let http = Self.registered(overHTTP.stdout, server: "viahttp")
        #expect(http.keys.sorted() == ["admin", "env_seen", "lookup", "search"])
        #expect(http == Self.registered(overStdio.stdout, server: "viastdio"))
    }

    @Test func aURLThatIsNotHTTPIsBadInputAndRegistersNothing() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let run = try await Self.importing(harness, server: "bad", ["--url", "ftp://127.0.0.1/mcp"])
        #expect(run.status == 1)
        #expect(run.stderr == "error: `ftp://127.0.0.1/mcp` is not an http:// or https:// URL without user, query or fragment\n")
        let listed = try await GatewayHarness.run(harness.writ, ["inventory", "list", "--data", harness.data])
        #expect(!listed.stdout.contains(#"Writ::McpServer::"bad""#))
    }

    @Test func aURLAndACommandTogetherAreBadInput() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let run = try await Self.importing(harness, server: "both", ["--url", "http://127.0.0.1:9/mcp", "--", "true"])
        #expect(run.status == 1)
        #expect(run.stderr == "error: give either --url or a command after `--`, not both\n")
    }

    @Test func anEndpointNobodyListensOnIsBadInputNamingIt() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let run = try await Self.importing(harness, server: "gone", ["--url", "http://127.0.0.1:9/mcp", "--timeout", "5"])
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("error: cannot list the tools of `http://127.0.0.1:9/mcp`: "))
    }
}
