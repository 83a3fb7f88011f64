import Foundation
import Testing

/// `writ serve --audit on|off`: the default records every decision; `off` serves
/// decisions, records none and says so at start.
@Suite struct ServeAuditSwitch {
    /// Serves with `arguments`, asks for one decision, stops, and returns the body
    /// of the answer, what the server wrote to standard error and the decision records
    /// `writ audit export` finds in the data directory.
    static func serveOneDecision(_ arguments: [String]) async throws -> (decision: String, stderr: String, decisions: Int) {
        let data = FileManagerHelpers.temporaryDirectory()
        let server = try ServerProcess(["--from", try ServeCommand.policyDirectory(), "--data", data] + arguments)
        let answer = try await server.request("POST", "/access/v1/evaluation", json: ServeCommand.aliceReads)
        let stopped = server.stop()
        let export = try CLI.run(["audit", "export", "--data", data, "--kind", "decision"])
        let lines = export.stdout.split(separator: "\n").count
        return (answer.body, stopped.stderr, lines)
    }

    @Test func auditOffServesDecisionsRecordsNoneAndWarnsAtStart() async throws {
        let run = try await Self.serveOneDecision(["--audit", "off"])
        #expect(run.decision.contains(#""decision":true"#))
        #expect(run.decisions == 0)
        #expect(run.stderr.contains("warning: --audit off: decisions and events are NOT recorded in the audit log."))
    }

    @Test func auditIsOnByDefaultAndRecordsTheDecision() async throws {
        let run = try await Self.serveOneDecision([])
        #expect(run.decision.contains(#""decision":true"#))
        #expect(run.decisions == 1)
        #expect(!run.stderr.contains("--audit off"))
    }
}
