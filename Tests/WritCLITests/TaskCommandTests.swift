import Foundation
import Testing

/// `writ task` on a data directory, in process: no server runs.
@Suite struct TaskCommand {
    /// A data directory `writ serve --from examples/agent-demo` initialised and left:
    /// a policy set, a signing key and the recorded issuer.
    static func dataDirectory() throws -> String {
        let data = FileManagerHelpers.temporaryDirectory()
        let server = try ServerProcess(["--from", "examples/agent-demo", "--data", data])
        #expect(server.stop().status == 0)
        return data
    }

    static let mandate = "examples/agent-demo/mandates/ticket-42.cedar"

    /// `writ task open` for support-bot acting for alice, with `extra` arguments.
    static func open(_ extra: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> CLIRun {
        try CLI.run(
            ["task", "open", "--agent", "support-bot", "--on-behalf-of", "alice", "--purpose", "answer ticket 42"] + extra,
            stdin: stdin, environment: environment)
    }

    static func isCredential(_ text: String) -> Bool {
        text.range(of: #"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\n$"#, options: .regularExpression) != nil
    }

    /// The task id on the `opened task …` line `open` writes to standard error.
    static func taskID(_ run: CLIRun) -> String {
        guard let range = run.stderr.range(of: #"t_[A-Za-z0-9_-]{22}"#, options: .regularExpression) else { return "" }
        return String(run.stderr[range])
    }

    @Test func openPrintsTheCredentialAloneAndTheTaskOnStandardError() throws {
        let data = try Self.dataDirectory()
        let opened = try Self.open(["--mandate", Self.mandate, "--ttl", "600", "--data", data])
        #expect(opened.status == 0)
        #expect(Self.isCredential(opened.stdout))
        #expect(opened.stderr.hasPrefix("opened task t_"))
        #expect(opened.stderr.contains("for agent support-bot, expires "))
    }

    @Test func showAndListDescribeTheTaskWithItsBudgetsAndMandate() throws {
        let data = try Self.dataDirectory()
        let opened = try Self.open([
            "--mandate", Self.mandate, "--max-decisions", "10", "--max-calls", "mail___send_email=2",
            "--spend-limit", "payments___refund.amount=200", "--label", "pii", "--data", data,
        ])
        let id = Self.taskID(opened)
        let shown = try CLI.run(["task", "show", id, "--data", data])
        let listed = try CLI.run(["task", "list", "--agent", "support-bot", "--state", "open", "--data", data])
        let none = try CLI.run(["task", "list", "--user", "bob", "--data", data])
        #expect(shown.status == 0)
        #expect(shown.stdout.contains("id            \(id)\n"))
        #expect(shown.stdout.contains("on behalf of  alice\n"))
        #expect(shown.stdout.contains("state         open\n"))
        #expect(shown.stdout.contains("labels        pii\n"))
        #expect(shown.stdout.contains("budgets       decisions ≤ 10, mail___send_email ≤ 2, payments___refund.amount ≤ 200\n"))
        #expect(shown.stdout.contains("used          decisions 0, calls 0\n"))
        #expect(shown.stdout.contains("mandate examples/agent-demo/mandates/ticket-42.cedar:\n  // The mandate alice's front end"))
        #expect(listed.stdout.hasPrefix("ID"))
        #expect(listed.stdout.contains("\(id)  support-bot  alice  open   -       "))
        #expect(none.stdout.split(separator: "\n").count == 1)
    }

    @Test func showWithJSONPrintsTheTaskAsTheServerWould() throws {
        let data = try Self.dataDirectory()
        let id = Self.taskID(try Self.open(["--mandate", Self.mandate, "--data", data]))
        let shown = try CLI.run(["task", "show", id, "--json", "--data", data])
        let object = try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any]
        #expect(object?["id"] as? String == id)
        #expect(object?["state"] as? String == "open")
        #expect(object?["opened_by"] as? String == "local:\(ProcessInfo.processInfo.environment["USER"] ?? "")"
            || object?["opened_by"] as? String == "local")
    }

    @Test func openWithJSONPrintsTheTaskAndItsCredential() throws {
        let data = try Self.dataDirectory()
        let opened = try Self.open(["--mandate", Self.mandate, "--json", "--data", data])
        let object = try JSONSerialization.jsonObject(with: Data(opened.stdout.utf8)) as? [String: Any]
        #expect(opened.status == 0)
        #expect(Self.isCredential((object?["credential"] as? String ?? "") + "\n"))
        #expect(object?["agent"] as? String == "support-bot")
    }

    @Test func delegateTakesTheParentsCredentialFromStandardInput() throws {
        let data = try Self.dataDirectory()
        let parent = try Self.open(["--mandate", Self.mandate, "--data", data])
        let child = try CLI.run(
            ["task", "delegate", "--credential", "-", "--agent", "refund-helper", "--purpose", "refund",
             "--mandate", "examples/agent-demo/mandates/refund-helper.cedar", "--ttl", "60", "--data", data],
            stdin: parent.stdout)
        let shown = try CLI.run(["task", "show", Self.taskID(child), "--data", data])
        #expect(child.status == 0)
        #expect(Self.isCredential(child.stdout))
        #expect(shown.stdout.contains("parent        \(Self.taskID(parent))\n"))
        #expect(shown.stdout.contains("depth         1\n"))
        #expect(shown.stdout.contains("opened by     task:\(Self.taskID(parent))\n"))
    }

    @Test func delegateTakesTheCredentialFromTheEnvironmentAndChecksTheParentID() throws {
        let data = try Self.dataDirectory()
        let parent = try Self.open(["--mandate", Self.mandate, "--data", data])
        let other = try Self.open(["--mandate", Self.mandate, "--data", data])
        let arguments = ["--agent", "refund-helper", "--purpose", "refund", "--mandate", "examples/agent-demo/mandates/refund-helper.cedar", "--data", data]
        let environment = ["WRIT_TASK_CREDENTIAL": parent.stdout]
        let delegated = try CLI.run(["task", "delegate", Self.taskID(parent)] + arguments, environment: environment)
        let mismatched = try CLI.run(["task", "delegate", Self.taskID(other)] + arguments, environment: environment)
        let forged = try CLI.run(["task", "delegate"] + arguments, environment: ["WRIT_TASK_CREDENTIAL": "a.b.c"])
        #expect(delegated.status == 0)
        #expect(mismatched.status == 1)
        #expect(mismatched.stderr == "error: cannot delegate the task: the task credential is for task `\(Self.taskID(parent))`, not `\(Self.taskID(other))`\n")
        #expect(forged.status == 1)
        #expect(forged.stderr.hasPrefix("error: cannot delegate the task: the task credential is not valid: "))
    }

    @Test func closeClosesTheTaskAndItsChildrenAndPrintsTheReceipt() throws {
        let data = try Self.dataDirectory()
        let parent = try Self.open(["--mandate", Self.mandate, "--data", data])
        let child = try CLI.run(
            ["task", "delegate", "--credential", "-", "--agent", "refund-helper", "--purpose", "refund",
             "--mandate", "examples/agent-demo/mandates/refund-helper.cedar", "--data", data],
            stdin: parent.stdout)
        let closed = try CLI.run(["task", "close", Self.taskID(parent), "--data", data])
        let again = try CLI.run(["task", "close", Self.taskID(parent), "--data", data])
        let listed = try CLI.run(["task", "list", "--state", "closed", "--data", data])
        let lines = closed.stdout.split(separator: "\n").map(String.init)
        #expect(closed.status == 0)
        #expect(lines.count == 3)
        #expect(lines.first == "closed \(Self.taskID(parent))")
        #expect(lines.dropFirst().first == "closed \(Self.taskID(child))")
        #expect(lines.last?.range(of: #"^receipt kid=\S+ payload=[A-Za-z0-9_-]+ signature=[A-Za-z0-9_-]{86}$"#, options: .regularExpression) != nil)
        #expect(again.status == 1)
        #expect(again.stderr == "error: cannot close task `\(Self.taskID(parent))`: task `\(Self.taskID(parent))` is already closed (conflict)\n")
        #expect(listed.stdout.split(separator: "\n").count == 3)
    }

    @Test func showingAnUnknownTaskIsBadInput() throws {
        let run = try CLI.run(["task", "show", "t_nope", "--data", try Self.dataDirectory()])
        #expect(run.status == 1)
        #expect(run.stderr == "error: cannot show task `t_nope`: no task `t_nope` (not_found)\n")
    }
}
