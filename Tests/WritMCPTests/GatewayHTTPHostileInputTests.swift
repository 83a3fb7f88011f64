import Foundation
import NIOHTTP1
import Testing

/// What `writ gateway --listen` does with HTTP requests no well-behaved MCP client
/// sends: it refuses them with the status the Streamable HTTP transport names and
/// keeps serving.
@Suite(.serialized) struct GatewayHTTPHostileInputTests {
    /// One gateway (upstream `docs`) for the requests of `body`.
    private func withGateway(_ body: (GatewayHarness, String) async throws -> Void) async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let gateway = try harness.httpGateway(["docs"], extra: ["--max-message-bytes", "4096"])
        defer { gateway.stop() }
        try await body(harness, gateway.address)
    }

    private static func call(_ id: Int, query: String) -> String {
        #"{"jsonrpc":"2.0","id":\#(id),"method":"tools/call","params":{"name":"docs___search","arguments":{"query":"\#(query)"}}}"#
    }

    @Test func aBodyOverTheMessageLimitIsRefusedWith413AndTheSessionKeepsServing() async throws {
        try await withGateway { harness, url in
            let session = try #require(try await RawHTTP.session(url, credential: harness.credential))
            let headers = ["Authorization": "Bearer \(harness.credential)", "Mcp-Session-Id": session]
            let huge = try await RawHTTP.send(url, body: Self.call(1, query: String(repeating: "a", count: 8192)), headers: headers)
            #expect(huge.status == 413)
            #expect(huge.errorCode == -32600)
            let small = try await RawHTTP.send(url, body: Self.call(2, query: "small"), headers: headers)
            #expect(small.status == 200)
            #expect(small.body.contains("docs found small"))
        }
    }

    @Test func aBodyThatIsNotJSONIsAParseError() async throws {
        try await withGateway { harness, url in
            let answer = try await RawHTTP.send(url, body: #"{"jsonrpc":"2.0","id":1,"method":"#)
            #expect(answer.status == 400)
            #expect(answer.errorCode == -32700)
        }
    }

    @Test func aBodyThatIsNotDeclaredJSONIsRefusedWith415() async throws {
        try await withGateway { harness, url in
            let answer = try await RawHTTP.send(url, body: RawHTTP.initialize, headers: ["Content-Type": "text/plain"])
            #expect(answer.status == 415)
        }
    }

    @Test func aBatchIsRefusedWith400() async throws {
        try await withGateway { harness, url in
            let answer = try await RawHTTP.send(url, body: "[" + RawHTTP.initialize + "," + Self.call(1, query: "x") + "]")
            #expect(answer.status == 400)
            #expect(answer.errorCode == -32600)
        }
    }

    @Test func anUnknownSessionIDIsRefusedWith404() async throws {
        try await withGateway { harness, url in
            let answer = try await RawHTTP.send(
                url, body: Self.call(1, query: "x"),
                headers: ["Authorization": "Bearer \(harness.credential)", "Mcp-Session-Id": "mcp_guessed"])
            #expect(answer.status == 404)
        }
    }

    @Test func aRequestWithoutASessionIDIsRefusedWith400() async throws {
        try await withGateway { harness, url in
            let answer = try await RawHTTP.send(
                url, body: Self.call(1, query: "x"), headers: ["Authorization": "Bearer \(harness.credential)"])
            #expect(answer.status == 400)
        }
    }

    @Test func aSessionUsedWithAnotherCredentialIsRefusedWith403() async throws {
        try await withGateway { harness, url in
            let session = try #require(try await RawHTTP.session(url, credential: nil))
            let answer = try await RawHTTP.send(
                url, body: Self.call(1, query: "x"),
                headers: ["Authorization": "Bearer \(harness.credential)", "Mcp-Session-Id": session])
            #expect(answer.status == 403)
        }
    }

    @Test func aSessionEndedWithDELETEIsThenUnknown() async throws {
        try await withGateway { harness, url in
            let session = try #require(try await RawHTTP.session(url, credential: harness.credential))
            let headers = ["Authorization": "Bearer \(harness.credential)", "Mcp-Session-Id": session]
            let ended = try await RawHTTP.send(url, method: .DELETE, headers: headers)
            #expect(ended.status == 204)
            let after = try await RawHTTP.send(url, body: Self.call(1, query: "x"), headers: headers)
            #expect(after.status == 404)
        }
    }

    @Test func aRequestFromAnotherOriginIsRefusedWith403() async throws {
        try await withGateway { harness, url in
            let answer = try await RawHTTP.send(url, body: RawHTTP.initialize, headers: ["Origin": "http://evil.example"])
            #expect(answer.status == 403)
        }
    }

    @Test func anAuthorizationThatIsNotABearerCredentialIsRefusedWith401() async throws {
        try await withGateway { harness, url in
            let answer = try await RawHTTP.send(url, body: RawHTTP.initialize, headers: ["Authorization": "Basic YTpi"])
            #expect(answer.status == 401)
            #expect(answer.headers.first(name: "WWW-Authenticate") == #"Bearer error="invalid_request""#)
        }
    }

    @Test func getIsNotOfferedAndAnswers405() async throws {
        try await withGateway { harness, url in
            let answer = try await RawHTTP.send(url, method: .GET, headers: ["Accept": "text/event-stream", "Content-Type": ""])
            #expect(answer.status == 405)
        }
    }

    @Test func anUnsupportedProtocolVersionIsRefusedWith400() async throws {
        try await withGateway { harness, url in
            let session = try #require(try await RawHTTP.session(url, credential: harness.credential))
            let answer = try await RawHTTP.send(
                url, body: Self.call(1, query: "x"),
                headers: [
                    "Authorization": "Bearer \(harness.credential)", "Mcp-Session-Id": session,
                    "MCP-Protocol-Version": "1999-01-01",
                ])
            #expect(answer.status == 400)
        }
    }
}
