import ArgumentParser

/// `writ approvals refuse ID`: refuses the exact request an approval names.
struct ApprovalsRefuse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refuse",
        abstract: "Refuse a pending approval: its exact request is denied (approval_refused) until the approval expires.")

    @Argument(help: "The approval id (apr_…).")
    var id: String

    @Flag(help: "Print the whole JSON reply.")
    var json = false

    @OptionGroup var target: TaskTarget

    func run() async throws {
        try await target.run("refuse `\(TaskOutput.printable(id))`", local: .approve) { backend throws(TaskFailure) in
            let reply = try await backend.refuse(id)
            guard !json else { return TaskOutput.printJSON(reply) }
            print(ApprovalsOutput.line(reply))
        }
    }
}
