import Testing
@testable import WritMCP

@Suite struct UpstreamSpecTests {
    @Test func anUpstreamIsANameACommandAndItsArguments() async throws {
        let spec = try UpstreamSpec.parse("docs=python3 -u 'my server.py' --flag")
        #expect(spec == UpstreamSpec(name: "docs", command: "python3", arguments: ["-u", "my server.py", "--flag"]))
    }

    @Test func aNameWithTheSeparatorIsRefused() {
        #expect(throws: (any Error).self) { try UpstreamSpec.parse("a___b=python3 x.py") }
    }
}

@Suite struct UpstreamURLSpecTests {
    @Test func anUpstreamGivenAsAURLIsReachedOverHTTP() throws {
        let spec = try UpstreamSpec.parse("docs=https://docs.example/mcp")
        #expect(spec == UpstreamSpec(name: "docs", command: "", arguments: [], url: "https://docs.example/mcp"))
    }

    @Test func aURLWithAUserIsRefused() {
        #expect(throws: (any Error).self) { try UpstreamSpec.parse("docs=https://me:pw@docs.example/mcp") }
    }
}

@Suite struct ServerSentEventsTests {
    @Test func eventsSplitAcrossChunksAreReadWhole() throws {
        var parser = ServerSentEvents(maxEventBytes: 1024)
        let first = try parser.feed(Array("event: message\nid: 1\ndata: {\"a\":".utf8))
        let second = try parser.feed(Array("1}\n\n: comment\ndata: x\r\ndata: y\r\n\r\n".utf8))
        #expect(first == [])
        #expect(second.map { String(decoding: $0, as: UTF8.self) } == [#"{"a":1}"#, "x\ny"])
    }

    @Test func anEventWithEmptyDataIsNotPassedOn() throws {
        var parser = ServerSentEvents(maxEventBytes: 1024)
        #expect(try parser.feed(Array("id: 0\ndata:\n\n".utf8)) == [])
    }

    @Test func anEventOverTheLimitIsRefused() {
        var parser = ServerSentEvents(maxEventBytes: 8)
        #expect(throws: ServerSentEvents.TooLarge.self) { try parser.feed(Array("data: 0123456789\n\n".utf8)) }
    }
}
