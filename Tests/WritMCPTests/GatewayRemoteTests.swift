import Foundation
import WritProcess
import Testing

/// `writ gateway --server URL`: decisions from a running `writ serve` on the same data
/// directory, and what happens when it goes away.
@Suite(.serialized) struct GatewayRemoteTests {
    /// `writ serve` on the harness's data directory, started and waited for until it
    /// prints its address.
    final class Serve: @unchecked Sendable {
        let process: ChildProcess
        let url: String

        init(_ harness: GatewayHarness) throws {
            let output = Pipe()
            process = try ChildProcess(
                executable: harness.writ.path, arguments: ["serve", "--listen", "127.0.0.1:0", "--data", harness.data],
                standardOutput: .pipe(output), standardError: .null)
            var printed = ""
            while !printed.contains("\n") {
                let data = output.fileHandleForReading.readAvailableRetryingInterrupts()
                if data.isEmpty { break }
                printed += String(decoding: data, as: UTF8.self)
            }
            guard let range = printed.range(of: #"http://[0-9.]+:[0-9]+"#, options: .regularExpression) else {
                throw HarnessError("writ serve did not start: \(printed)")
            }
            url = String(printed[range])
        }

        func stop() {
            process.terminate()
            process.waitUntilExit()
        }
    }

    @Test func aRemoteDecisionServiceListsAndDecidesAsTheEmbeddedOne() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let serve = try Serve(harness)
        defer { serve.stop() }
        let results = try await GatewayHarness.agent(
            [
                ["op": "list"],
                ["op": "call", "name": "tickets___read", "arguments": ["ticket": 42]],
                ["op": "call", "name": "tickets___read", "arguments": ["ticket": 7]],
            ],
            command: harness.gatewayCommand(extra: ["--server", serve.url]), credential: harness.credential)
        #expect(results[0].tools == [
            "docs___lookup", "docs___env_seen", "docs___search", "tickets___lookup", "tickets___read",
            "flaky___crash", "flaky___echo",
        ])
        #expect(results[1].text == ["ticket 42 is open"])
        #expect(results[2].errorMessage?.hasPrefix(
            "Server error: Writ denied the call to `tickets___read`: mandate_denied (decision dec_") == true)
    }

    @Test func withTheDecisionServiceDownTheListingIsEmptyAndEveryCallDenied() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let serve = try Serve(harness)
        serve.stop()
        let results = try await GatewayHarness.agent(
            [["op": "list"], ["op": "call", "name": "docs___search", "arguments": ["query": "q"]]],
            command: harness.gatewayCommand(["docs"], extra: ["--server", serve.url]), credential: harness.credential)
        #expect(results[0].tools == [])
        #expect(results[1].errorCode == -32603)
        #expect(results[1].errorMessage
            == "Internal error: Authorization service unavailable: decision_unavailable; the call to `docs___search` is denied")
    }
}
