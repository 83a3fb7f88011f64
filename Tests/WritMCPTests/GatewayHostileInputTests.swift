import Foundation
import Testing

/// What the gateway does with input no well-behaved agent sends: it answers an error
/// and keeps serving.
@Suite(.serialized) struct GatewayHostileInputTests {
    @Test func malformedJSONIsAParseErrorAndTheGatewayKeepsServing() throws {
        let harness = try GatewayHarness()
        defer { harness.remove() }
        let gateway = try RawGateway(harness.gatewayCommand(["docs"]), credential: harness.credential)
        #expect(try gateway.initialize()?["result"] != nil)
        try gateway.send(#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"#)
        #expect((gateway.next()?["error"] as? [String: Any])?["code"] as? Int == -32700)
        try gateway.send(#"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"docs___search","arguments":{"query":"q"}}}"#)
        let answer = gateway.next()
        #expect(answer?["id"] as? Int == 2)
        #expect(((answer?["result"] as? [String: Any])?["content"] as? [[String: Any]])?.first?["text"] as? String == "docs found q")
        #expect(try gateway.stop() == 0)
    }

    @Test func anUnknownToolNameIsDenied() throws {
        let harness = try GatewayHarness()
        defer { harness.remove() }
        let gateway = try RawGateway(harness.gatewayCommand(["docs"]), credential: harness.credential)
        _ = try gateway.initialize()
        try gateway.send(#"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"nowhere___thing","arguments":{}}}"#)
        let error = gateway.next()?["error"] as? [String: Any]
        #expect(error?["code"] as? Int == -32001)
        #expect((error?["message"] as? String)?.hasPrefix("Server error: Writ denied the call to `nowhere___thing`: unregistered (decision dec_") == true)
        #expect(try gateway.stop() == 0)
    }

    @Test func hugeArgumentsAreRefusedWithoutBeingReadWhole() throws {
        let harness = try GatewayHarness()
        defer { harness.remove() }
        let gateway = try RawGateway(harness.gatewayCommand(["docs"]), credential: harness.credential)
        _ = try gateway.initialize()
        let huge = String(repeating: "a", count: 3 << 20)
        try gateway.send(#"{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"docs___search","arguments":{"query":"\#(huge)"}}}"#)
        let answer = gateway.next()
        #expect(answer?["id"] as? Int == 4)
        #expect((answer?["error"] as? [String: Any])?["code"] as? Int == -32600)
        try gateway.send(#"{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"docs___search","arguments":{"query":"small"}}}"#)
        #expect(gateway.next()?["id"] as? Int == 5)
        #expect(try gateway.stop() == 0)
    }

    @Test func argumentsJustUnderTheMessageLimitButOverTheDecisionLimitAreDenied() throws {
        let harness = try GatewayHarness()
        defer { harness.remove() }
        let gateway = try RawGateway(
            harness.gatewayCommand(["docs"], extra: ["--max-message-bytes", "4194304"]), credential: harness.credential)
        _ = try gateway.initialize()
        let large = String(repeating: "b", count: 2 << 20)
        try gateway.send(#"{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"docs___search","arguments":{"query":"\#(large)"}}}"#)
        let error = gateway.next()?["error"] as? [String: Any]
        #expect(error?["code"] as? Int == -32001)
        #expect(error?["message"] as? String == "Server error: Writ denied the call to `docs___search`: too_large")
        #expect(try gateway.stop() == 0)
    }

    @Test func aCallInFlightWhenTheAgentClosesItsInputIsStillAnswered() throws {
        let harness = try GatewayHarness()
        defer { harness.remove() }
        let gateway = try RawGateway(harness.gatewayCommand(["docs"]), credential: harness.credential)
        _ = try gateway.initialize()
        try gateway.send(#"{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"docs___search","arguments":{"query":"last"}}}"#)
        try gateway.closeInput()
        let answer = gateway.next()
        #expect(answer?["id"] as? Int == 8)
        #expect(((answer?["result"] as? [String: Any])?["content"] as? [[String: Any]])?.first?["text"] as? String == "docs found last")
        #expect(try gateway.stop() == 0)
    }

    @Test func aMethodTheGatewayDoesNotServeIsRefused() throws {
        let harness = try GatewayHarness()
        defer { harness.remove() }
        let gateway = try RawGateway(harness.gatewayCommand(["docs"]), credential: harness.credential)
        _ = try gateway.initialize()
        try gateway.send(#"{"jsonrpc":"2.0","id":7,"method":"resources/read","params":{"uri":"file:///etc/passwd"}}"#)
        #expect((gateway.next()?["error"] as? [String: Any])?["code"] as? Int == -32601)
        #expect(try gateway.stop() == 0)
    }
}
