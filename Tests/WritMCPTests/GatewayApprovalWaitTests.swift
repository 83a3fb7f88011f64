import Foundation
import Testing

/// `writ gateway --approval-wait S`: a call a person must approve waits for the
/// approval, then goes ahead or is denied (docs/GATEWAY.md, "Waiting for approvals").
@Suite(.serialized) struct GatewayApprovalWaitTests {
    static var secret: [String: Any] { ["op": "call", "name": "flaky___echo", "arguments": ["text": "secret"]] }

    /// Runs the agent on a thread of its own while `person` decides, then its results.
    func waiting(_ harness: GatewayHarness, wait: Int, person: (String) throws -> Void) throws -> [[String: Any]] {
        let command = harness.gatewayCommand(["flaky"], extra: ["--approval-wait", String(wait)])
        let agent = AgentRun { try GatewayHarness.agent([Self.secret], command: command, credential: harness.credential) }
        try person(try pendingApproval(harness))
        return try agent.wait()
    }

    /// The id of the first pending approval, once there is one.
    func pendingApproval(_ harness: GatewayHarness) throws -> String {
        for _ in 0..<600 {
            let listed = try GatewayHarness.run(
                harness.writ, ["approvals", "list", "--state", "pending", "--json", "--data", harness.data])
            if let object = try? JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any],
                let first = (object["approvals"] as? [[String: Any]])?.first, let id = first["id"] as? String
            {
                return id
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw HarnessError("no pending approval appeared")
    }

    func decide(_ harness: GatewayHarness, _ verb: String, _ id: String) throws {
        let run = try GatewayHarness.run(harness.writ, ["approvals", verb, id, "--data", harness.data])
        guard run.status == 0 else { throw HarnessError("approvals \(verb) failed: \(run.stderr)") }
    }

    @Test func aWaitingCallGoesThroughOnceAPersonApprovesIt() throws {
        let harness = try GatewayHarness()
        defer { harness.remove() }
        let results = try waiting(harness, wait: 120) { try decide(harness, "approve", $0) }
        #expect(results[0].text == ["echo secret"])
    }

    @Test func aWaitingCallIsDeniedOnceAPersonRefusesIt() throws {
        let harness = try GatewayHarness()
        defer { harness.remove() }
        let results = try waiting(harness, wait: 120) { try decide(harness, "refuse", $0) }
        #expect(results[0].errorCode == -32001)
        #expect(results[0].errorMessage?.hasPrefix(
            "Server error: Writ denied the call to `flaky___echo`: approval_refused (decision dec_") == true)
    }

    @Test func whenTheWaitEndsUndecidedTheErrorNamesTheApproval() throws {
        let harness = try GatewayHarness()
        defer { harness.remove() }
        var pending = ""
        let results = try waiting(harness, wait: 1) { pending = $0 }
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

    func wait() throws -> [[String: Any]] {
        done.wait()
        return try result.get()
    }
}
