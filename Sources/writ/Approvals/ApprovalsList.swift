import ArgumentParser
import Cedar
import WritCore

/// `writ approvals list`: approvals, oldest first.
struct ApprovalsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List approvals (at most 1,000, oldest first): id, status, principal, action, resource, task, expiry.")

    @Option(help: "Only approvals in this state: pending (still decidable), approved, refused or consumed.")
    var state: String?

    @Flag(help: "Print the reply as JSON (with the arguments and the texts a person sees).")
    var json = false

    @OptionGroup var target: TaskTarget

    func run() async throws {
        let filter = try checkedInput { () throws -> ApprovalState? in
            guard let state else { return nil }
            guard let parsed = ApprovalState(rawValue: state) else {
                throw InputError("--state must be pending, approved, refused or consumed, not `\(TaskOutput.printable(state))`")
            }
            return parsed
        }
        try await target.run("list the approvals", local: .read) { backend throws(TaskFailure) in
            let reply = try await backend.approvals(state: filter)
            guard !json else { return TaskOutput.printJSON(reply) }
            let header = ["ID", "STATUS", "PRINCIPAL", "ACTION", "RESOURCE", "TASK", "EXPIRES"]
            let rows = (reply[member: "approvals"]?.arrayValue ?? []).map { approval in
                ["id", "status", "principal", "action", "resource", "task", "expires_at"].map {
                    TaskOutput.printable(approval[member: $0]?.stringValue ?? "-")
                }
            }
            TextTable.print([header] + rows)
        }
    }
}
