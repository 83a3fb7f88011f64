import Foundation
import Testing

/// The gateway's own path for `tools/call` (docs/GATEWAY.md, "The fast path"): requests
/// read with Writ's JSON reader, results of stdio upstreams passed through undecoded.
/// Its upstream (Fixtures/raw_upstream.py) writes MCP by hand and records each call it gets.
@Suite(.serialized) struct GatewayFastPathTests {
    /// A gateway whose `flaky` upstream is the hand-written one, and the file it records calls in.
    /// A request never answered keeps the gateway waiting at its end for the upstream timeout
    /// (`upstreamTimeout` seconds; a listing that takes longer is not waited for).
    private func withGateway(upstreamTimeout: Int = 60, _ body: (RawGateway, URL) async throws -> Void) async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let record = URL(fileURLWithPath: harness.data + "-calls")
        defer { try? FileManager.default.removeItem(at: record) }
        let script = GatewayHarness.fixtures.appendingPathComponent("raw_upstream.py").path
        let gateway = try RawGateway(
            [harness.writ.path, "gateway", "--data", harness.data, "--upstream", "flaky=python3 '\(script)' flaky '\(record.path)'",
             "--upstream-timeout", String(upstreamTimeout)],
            credential: harness.credential)
        _ = try await gateway.initialize()
        try await body(gateway, record)
        #expect(try await gateway.stop() == 0)
    }

    /// The `arguments` of each call the upstream got, as JSON objects.
    private func recorded(_ record: URL) throws -> [[String: Any]] {
        let text = (try? String(contentsOf: record, encoding: .utf8)) ?? ""
        return try text.split(separator: "\n").map {
            try #require((try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["arguments"] as? [String: Any])
        }
    }

    private static func call(_ id: String, arguments: String) -> String {
        #"{"jsonrpc":"2.0","id":\#(id),"method":"tools/call","params":{"name":"flaky___echo","arguments":\#(arguments)}}"#
    }

    @Test func aResultMemberMCPTypesDoNotDefineReachesTheAgentUnchanged() async throws {
        try await withGateway { gateway, _ in
            try gateway.send(Self.call("1", arguments: #"{"text":"hi"}"#))
            let result = try #require(await gateway.next()?["result"] as? [String: Any])
            let extra = try JSONSerialization.data(withJSONObject: try #require(result["extra"]), options: .sortedKeys)
            #expect(String(decoding: extra, as: UTF8.self) == #"{"kept":[1,2.5,"x"]}"#)
        }
    }

    @Test func aResultTextThatLooksLikeADataURLReachesTheAgentUnchanged() async throws {
        try await withGateway { gateway, _ in
            try gateway.send(Self.call("1", arguments: #"{"text":"hi"}"#))
            let result = try #require(await gateway.next()?["result"] as? [String: Any])
            #expect(result["content"] as? [[String: String]] == [["type": "text", "text": "data:,echo hi"]])
        }
    }

    @Test func aCallWhoseIdIsNeitherAStringNorAnIntegerIsNotAnsweredAndNotForwarded() async throws {
        try await withGateway(upstreamTimeout: 15) { gateway, record in
            try gateway.send(Self.call("true", arguments: #"{"text":"bool id"}"#))
            try gateway.send(Self.call("2.5", arguments: #"{"text":"float id"}"#))
            try gateway.send(Self.call(#""last""#, arguments: #"{"text":"last"}"#))
            #expect(await gateway.next()?["id"] as? String == "last")
            #expect(try recorded(record) as? [[String: String]] == [["text": "last"]])
        }
    }

    @Test func argumentsThatAreNotAnObjectAreAnInternalErrorAndNotForwarded() async throws {
        try await withGateway { gateway, record in
            try gateway.send(Self.call("4", arguments: #"["text"]"#))
            let error = try #require(await gateway.next()?["error"] as? [String: Any])
            #expect(error["code"] as? Int == -32603)
            #expect(error["message"] as? String == "Internal error: The operation could not be completed. The data isn’t in the correct format.")
            #expect(try recorded(record).isEmpty)
        }
    }

    @Test func deeplyNestedArgumentsAreDeniedTooDeepAndNotForwarded() async throws {
        try await withGateway { gateway, record in
            let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
            try gateway.send(Self.call("3", arguments: #"{"text":"deep","nested":\#(deep)}"#))
            let error = try #require(await gateway.next()?["error"] as? [String: Any])
            #expect(error["message"] as? String == "Server error: Writ denied the call to `flaky___echo`: too_deep")
            #expect(try recorded(record).isEmpty)
        }
    }

    @Test func anArgumentGivenTwiceIsReadAsTheSDKReadsIt() async throws {
        try await withGateway { gateway, record in
            try gateway.send(Self.call("5", arguments: #"{"text":"a","text":"b"}"#))
            #expect(await gateway.next()?["id"] as? Int == 5)
            #expect(try recorded(record) as? [[String: String]] == [["text": "a"]])
        }
    }

    @Test func anArgumentThatIsADataURLIsReadAsTheSDKReadsIt() async throws {
        try await withGateway { gateway, record in
            try gateway.send(Self.call("6", arguments: #"{"text":"data:,x"}"#))
            #expect(await gateway.next()?["id"] as? Int == 6)
            #expect(try recorded(record) as? [[String: String]] == [["text": "data:text/plain;base64,eA=="]])
        }
    }

    @Test func aNumberWithAFractionIsDecidedAsBefore() async throws {
        try await withGateway { gateway, record in
            try gateway.send(Self.call("8", arguments: #"{"text":"n","n":1.5}"#))
            let error = try #require(await gateway.next()?["error"] as? [String: Any])
            #expect(error["message"] as? String == "Server error: Writ denied the call to `flaky___echo`: invalid_number")
            #expect(try recorded(record).isEmpty)
        }
    }
}
