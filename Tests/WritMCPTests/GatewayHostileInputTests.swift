import Foundation
import Testing

/// What the gateway does with input no well-behaved agent sends: it answers an error
/// and keeps serving.
@Suite(.serialized) struct GatewayHostileInputTests {
    @Test func malformedJSONIsAParseErrorAndTheGatewayKeepsServing() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let gateway = try RawGateway(harness.gatewayCommand(["docs"]), credential: harness.credential)
        #expect(try await gateway.initialize()?["result"] != nil)
        try gateway.send(#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"#)
        #expect((await gateway.next()?["error"] as? [String: Any])?["code"] as? Int == -32700)
        try gateway.send(#"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"docs___search","arguments":{"query":"q"}}}"#)
        let answer = await gateway.next()
        #expect(answer?["id"] as? Int == 2)
        #expect(((answer?["result"] as? [String: Any])?["content"] as? [[String: Any]])?.first?["text"] as? String == "docs found q")
        #expect(try await gateway.stop() == 0)
    }

    @Test func anUnknownToolNameIsDenied() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let gateway = try RawGateway(harness.gatewayCommand(["docs"]), credential: harness.credential)
        _ = try await gateway.initialize()
        try gateway.send(#"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"nowhere___thing","arguments":{}}}"#)
        let error = await gateway.next()?["error"] as? [String: Any]
        #expect(error?["code"] as? Int == -32001)
        #expect((error?["message"] as? String)?.hasPrefix("Server error: Writ denied the call to `nowhere___thing`: unregistered (decision dec_") == true)
        #expect(try await gateway.stop() == 0)
    }

    @Test func hugeArgumentsAreRefusedWithoutBeingReadWhole() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let gateway = try RawGateway(harness.gatewayCommand(["docs"]), credential: harness.credential)
        _ = try await gateway.initialize()
        let huge = String(repeating: "a", count: 3 << 20)
        try gateway.send(#"{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"docs___search","arguments":{"query":"\#(huge)"}}}"#)
        let answer = await gateway.next()
        #expect(answer?["id"] as? Int == 4)
        #expect((answer?["error"] as? [String: Any])?["code"] as? Int == -32600)
        try gateway.send(#"{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"docs___search","arguments":{"query":"small"}}}"#)
        #expect(await gateway.next()?["id"] as? Int == 5)
        #expect(try await gateway.stop() == 0)
    }

    @Test func argumentsJustUnderTheMessageLimitButOverTheDecisionLimitAreDenied() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let gateway = try RawGateway(
            harness.gatewayCommand(["docs"], extra: ["--max-message-bytes", "4194304"]), credential: harness.credential)
        _ = try await gateway.initialize()
        let large = String(repeating: "b", count: 2 << 20)
        try gateway.send(#"{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"docs___search","arguments":{"query":"\#(large)"}}}"#)
        let error = await gateway.next()?["error"] as? [String: Any]
        #expect(error?["code"] as? Int == -32001)
        #expect(error?["message"] as? String == "Server error: Writ denied the call to `docs___search`: too_large")
        #expect(try await gateway.stop() == 0)
    }

    @Test func aCallInFlightWhenTheAgentClosesItsInputIsStillAnswered() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let gateway = try RawGateway(harness.gatewayCommand(["docs"]), credential: harness.credential)
        _ = try await gateway.initialize()
        try gateway.send(#"{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"docs___search","arguments":{"query":"last"}}}"#)
        try gateway.closeInput()
        let answer = await gateway.next()
        #expect(answer?["id"] as? Int == 8)
        #expect(((answer?["result"] as? [String: Any])?["content"] as? [[String: Any]])?.first?["text"] as? String == "docs found last")
        #expect(try await gateway.stop() == 0)
    }

    @Test func aMethodTheGatewayDoesNotServeIsRefused() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let gateway = try RawGateway(harness.gatewayCommand(["docs"]), credential: harness.credential)
        _ = try await gateway.initialize()
        try gateway.send(#"{"jsonrpc":"2.0","id":7,"method":"resources/subscribe","params":{"uri":"file:///etc/passwd"}}"#)
        #expect((await gateway.next()?["error"] as? [String: Any])?["code"] as? Int == -32601)
        #expect(try await gateway.stop() == 0)
    }

    @Test func anOversizedResourceURIIsRefusedWithoutAsking() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let gateway = try RawGateway(harness.gatewayCommand(["docs"]), credential: harness.credential)
        _ = try await gateway.initialize()
        let uri = "file:///" + String(repeating: "x", count: 9000)
        try gateway.send(#"{"jsonrpc":"2.0","id":9,"method":"resources/read","params":{"uri":"\#(uri)"}}"#)
        let error = await gateway.next()?["error"] as? [String: Any]
        #expect(error?["code"] as? Int == -32602)
        #expect(error?["message"] as? String
            == "Invalid params: the resource URI is empty, longer than 8192 bytes, or holds control characters")
        #expect(try await gateway.stop() == 0)
    }

    @Test func aResourceURIWithControlCharactersIsRefused() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let gateway = try RawGateway(harness.gatewayCommand(["docs"]), credential: harness.credential)
        _ = try await gateway.initialize()
        try gateway.send(#"{"jsonrpc":"2.0","id":10,"method":"resources/read","params":{"uri":"file:///kb/refunds.md\n"}}"#)
        #expect((await gateway.next()?["error"] as? [String: Any])?["code"] as? Int == -32602)
        try gateway.send(#"{"jsonrpc":"2.0","id":11,"method":"resources/read","params":{"uri":42}}"#)
        let malformed = await gateway.next()
        #expect(malformed?["id"] as? Int == 11)
        #expect(malformed?["error"] != nil)
        #expect(try await gateway.stop() == 0)
    }

    @Test func aPromptGetWithTooManyArgumentsIsRefused() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let gateway = try RawGateway(harness.gatewayCommand(["docs"]), credential: harness.credential)
        _ = try await gateway.initialize()
        let arguments = (0..<65).map { #""a\#($0)":"v""# }.joined(separator: ",")
        try gateway.send(#"{"jsonrpc":"2.0","id":12,"method":"prompts/get","params":{"name":"docs___greet","arguments":{\#(arguments)}}}"#)
        let error = await gateway.next()?["error"] as? [String: Any]
        #expect(error?["code"] as? Int == -32602)
        #expect(error?["message"] as? String == "Invalid params: prompt `docs___greet` has 65 arguments; at most 64")
        try gateway.send(#"{"jsonrpc":"2.0","id":13,"method":"prompts/get","params":{"name":"docs___greet","arguments":{"customer":1}}}"#)
        let wrong = await gateway.next()
        #expect(wrong?["id"] as? Int == 13)
        #expect(wrong?["error"] != nil)
        #expect(try await gateway.stop() == 0)
    }
}
