import Testing
@testable import WritMCP

@Suite struct UpstreamSpecTests {
    @Test func anUpstreamIsANameACommandAndItsArguments() async throws {
        let spec = try UpstreamSpec.parse("docs=python3 -u 'my server.py' --flag")
        #expect(spec == UpstreamSpec(name: "docs", command: "python3", arguments: ["-u", "my server.py", "--flag"]))
    }

    @Test func aNamespacedNameSplitsAtTheFirstSeparator() {
        #expect(UpstreamSpec.splitNamespaced("docs___lookup")! == ("docs", "lookup"))
        #expect(UpstreamSpec.splitNamespaced("docs____lookup")! == ("docs", "_lookup"))
        #expect(UpstreamSpec.splitNamespaced("docs___a___b")! == ("docs", "a___b"))
        #expect(UpstreamSpec.splitNamespaced("docs___")! == ("docs", ""))
    }

    @Test func aNameWithoutTheSeparatorDoesNotSplit() {
        #expect(UpstreamSpec.splitNamespaced("docs__lookup") == nil)
        #expect(UpstreamSpec.splitNamespaced("") == nil)
    }

    @Test func aNamespacedNameSplitsByItsBytesNotItsCharacters() {
        // A combining accent after the separator stays with the tool's name.
        #expect(UpstreamSpec.splitNamespaced("docs___\u{301}x")! == ("docs", "\u{301}x"))
        #expect(UpstreamSpec.splitNamespaced("caf\u{E9}___lookup")! == ("caf\u{E9}", "lookup"))
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
