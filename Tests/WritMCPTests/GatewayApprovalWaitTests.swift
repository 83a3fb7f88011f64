import Foundation
import Testing

/// `writ gateway --approval-wait S`: a call a person must approve waits for the
/// approval, then goes ahead or is denied (docs/GATEWAY.md, "Waiting for approvals").
@Suite(.serialized) struct GatewayApprovalWaitTests {
    static var secret: [String: Any] { ["op": "call", "name": "flaky___echo", "arguments": ["text": "secret"]] }

    /// Runs the agent on a thread of its own while `person` decides, then its results.
    func waiting(
        _ harness: GatewayHarness, wait: Int, person: (String) async throws -> Void
    ) async throws -> [[String: Any]] {
        let command = harness.gatewayCommand(["flaky"], extra: ["--approval-wait", String(wait)])
        let agent = AgentRun {
            try GatewayHarness.agentBlocking([Self.secret], command: command, credential: harness.credential)
        }
        try await person(try await pendingApproval(harness))
        return try await agent.wait()
    }

    /// The id of the first pending approval, once there is one.
    func pendingApproval(_ harness: GatewayHarness) async throws -> String {
        for _ in 0..<600 {
            let listed = try await GatewayHarness.run(
                harness.writ, ["approvals", "list", "--state", "pending", "--json", "--data", harness.data])
            if let object = try? JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any],
                let first = (object["approvals"] as? [[String: Any]])?.first, let id = first["id"] as? String
            {
                return id
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw HarnessError("no pending approval appeared")
    }

    func decide(_ harness: GatewayHarness, _ verb: String, _ id: String) async throws {
        let run = try await GatewayHarness.run(harness.writ, ["approvals", verb, id, "--data", harness.data])
        guard run.status == 0 else { throw HarnessError("approvals \(verb) failed: \(run.stderr)") }
    }

    @Test func aWaitingCallGoesThroughOnceAPersonApprovesIt() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let results = try await waiting(harness, wait: 120) { try await decide(harness, "approve", $0) }
        #expect(results[0].text == ["echo secret"])
    }

    @Test func aWaitingCallIsDeniedOnceAPersonRefusesIt() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        let results = try await waiting(harness, wait: 120) { try await decide(harness, "refuse", $0) }
        #expect(results[0].errorCode == -32001)
        #expect(results[0].errorMessage?.hasPrefix(
            "Server error: Writ denied the call to `flaky___echo`: approval_refused (decision dec_") == true)
    }

    @Test func whenTheWaitEndsUndecidedTheErrorNamesTheApproval() async throws {
        let harness = try await GatewayHarness()
        defer { harness.remove() }
        var pending = ""
        let results = try await waiting(harness, wait: 1) { pending = $0 }
        #expect(results[0].errorCode == -32001)
        #expect(results[0].errorMessage?.contains("approval_required; a person must approve it: approval \(pending) (decision dec_") == true)
    }
}

/// A blocking piece of work run on a thread of its own.
final class AgentRun: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<[[String: Any]], any Error> = .success([])

    private let work: () throws -> [[String: Any]]

    init(_ work: @escaping () throws -> [[String: Any]]) {
        self.work = work
        Thread { [self] in
            result = Result { try self.work() }
            done.signal()
        }.start()
    }

    /// Its result, once it is done; waits on a thread of its own, not one of the shared pool.
    func wait() async throws -> [[String: Any]] {
        try await offThePool { [self] in done.wait() }
        return try result.get()
    }
}
