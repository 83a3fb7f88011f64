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
