import Foundation
import Testing

/// `writ gateway --release-to DESTINATION`: resource contents pass the `release`
/// checkpoint as tool results do, with its redactions applied (docs/GATEWAY.md,
/// "Releasing results"). Reading `people.*` gives the task `pii`, under which the
/// fixture's release policy redacts numbers like social security numbers.
@Suite(.serialized) struct GatewayReleaseContentsTests {
    func read(_ uri: String, destination: String?) async throws -> [String: Any] {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let extra = destination.map { ["--release-to", $0] } ?? []
        let results = try await GatewayHarness.agent(
            [["op": "read", "uri": uri]], command: harness.gatewayCommand(["docs"], extra: extra),
            credential: harness.credential)
        return results[0]
    }

    @Test func contentsTheReleasePolicyAllowsReachTheAgentUnchanged() async throws {
        #expect(try await read("file:///kb/refunds.md", destination: "agent").text == ["Refunds within 30 days."])
    }

    @Test func textContentsAreRedactedAsTheReleaseObligationsSay() async throws {
        #expect(try await read("file:///kb/people.md", destination: "agent").text == ["bob: SSN [REDACTED]"])
    }

    @Test func jsonContentsHaveTheirStringsRedacted() async throws {
        #expect(try await read("file:///kb/people.json", destination: "agent").text == [#"{"name":"bob","ssn":"[REDACTED]"}"#])
    }

    @Test func binaryContentsUnderARedactionAreWithheld() async throws {
        let result = try await read("file:///kb/badge.png", destination: "agent")
        #expect(result.errorCode == -32001)
        #expect(result.errorMessage?.hasPrefix(
            "Server error: Writ denied the release of `file:///kb/badge.png`: obligations_unsupported (decision dec_") == true)
    }

    @Test func contentsWhoseReleaseIsDeniedAreWithheld() async throws {
        let result = try await read("file:///kb/refunds.md", destination: "nowhere")
        #expect(result.errorCode == -32001)
        #expect(result.errorMessage?.hasPrefix(
            "Server error: Writ denied the release of `file:///kb/refunds.md`: unregistered (decision dec_") == true)
    }

    @Test func withoutReleaseToContentsAreNotRedacted() async throws {
        #expect(try await read("file:///kb/people.md", destination: nil).text == ["bob: SSN 987-65-4321"])
    }
}
