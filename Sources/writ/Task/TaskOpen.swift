import ArgumentParser
import Foundation
import WritCore

/// `writ task open`: opens a task for an agent and prints its credential alone, so
/// that `CRED=$(writ task open …)` keeps it.
struct TaskOpen: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Open a task for an agent acting for a user; prints the task credential.",
        discussion: """
            The credential is printed alone on standard output (the task id and expiry go \
            to standard error); --json prints the whole reply instead. A mandate that does \
            not parse or validate is refused with file:line:column, and nothing is stored.
            """)

    @Option(help: "The Writ::User id the agent acts for.")
    var onBehalfOf: String

    @OptionGroup var inputs: TaskInputs

    @Option(parsing: .unconditional, help: ArgumentHelp("How long the task lives, in seconds (at most 43200).", valueName: "seconds"))
    var ttl = "3600"

    @Flag(help: "Print the whole JSON reply: the task and its credential.")
    var json = false

    @OptionGroup var target: TaskTarget

    func run() async throws {
        let opening = try checkedInput {
            TaskOpening(
                agent: inputs.agent, onBehalfOf: onBehalfOf, purpose: inputs.purpose, mandate: try inputs.mandateFiles(),
                ttl: try TaskInputs.ttl(ttl), budgets: try inputs.budgets(), labels: try inputs.labels(), openedBy: "")
        }
        try await target.run("open the task", local: .mint) { backend throws(TaskFailure) in
            let reply = try await backend.open(opening)
            if json {
                TaskOutput.printJSON(reply)
            } else {
                print(try TaskOutput.credential(reply))
                FileHandle.standardError.write(Data(TaskOutput.opened(reply).utf8))
            }
        }
    }
}
