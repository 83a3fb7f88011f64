import ArgumentParser
import Cedar
import WritCore

/// `writ approvals approve ID`: approves the exact request an approval names.
struct ApprovalsApprove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve a pending approval: its exact request is allowed once, or for the whole task.")

    @Argument(help: "The approval id (apr_…).")
    var id: String

    @Option(help: "once (the first identical request consumes it) or task (every identical request in the task).")
    var scope: String = "once"

    @Option(help: "Seconds the approval grants (default 3600, at most 86400).")
    var ttl: Int?

    @Flag(help: "Print the whole JSON reply.")
    var json = false

    @OptionGroup var target: TaskTarget

    func run() async throws {
        let grant = try checkedInput { () throws -> ApprovalScope in
            guard let parsed = ApprovalScope(rawValue: scope) else {
                throw InputError("--scope must be once or task, not `\(TaskOutput.printable(scope))`")
            }
            return parsed
        }
        try await target.run("approve `\(TaskOutput.printable(id))`", local: .approve) { backend throws(TaskFailure) in
            let reply = try await backend.approve(id, scope: grant, ttl: ttl)
            guard !json else { return TaskOutput.printJSON(reply) }
            print(ApprovalsOutput.line(reply))
        }
    }
}

/// One decided approval as a line: `approved apr_… scope=once until …`.
enum ApprovalsOutput {
    static func line(_ approval: JSON) -> String {
        let status = approval[member: "status"]?.stringValue ?? "-"
        let id = approval[member: "id"]?.stringValue ?? "-"
        let scope = approval[member: "scope"]?.stringValue.map { " scope=\($0)" } ?? ""
        let until = approval[member: "expires_at"]?.stringValue ?? "-"
        return TaskOutput.printable("\(status) \(id)\(scope) until \(until)")
    }
}
