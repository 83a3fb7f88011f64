import ArgumentParser
import WritCore

/// `writ task list`: tasks, oldest first, filtered by agent, user and state.
struct TaskList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List tasks (at most 1,000, oldest first): id, agent, user, state, parent, expiry, decisions, purpose.")

    @Option(help: "Only the tasks of this agent.")
    var agent: String?

    @Option(help: "Only the tasks acting for this user.")
    var user: String?

    @Option(help: "Only tasks in this state: open, closed or expired.")
    var state: String?

    @Flag(help: "Print the reply as JSON.")
    var json = false

    @OptionGroup var target: TaskTarget

    func run() async throws {
        let filter = try checkedInput { () throws -> TaskState? in
            guard let state else { return nil }
            guard let parsed = TaskState(rawValue: state) else {
                throw InputError("--state must be open, closed or expired, not `\(TaskOutput.printable(state))`")
            }
            return parsed
        }
        try await target.run("list the tasks", local: .read) { backend throws(TaskFailure) in
            let reply = try await backend.tasks(agent: agent, user: user, state: filter)
            if json {
                TaskOutput.printJSON(reply)
            } else {
                TextTable.print(TaskOutput.table(reply))
            }
        }
    }
}
