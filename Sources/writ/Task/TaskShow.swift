import ArgumentParser

/// `writ task show ID`: one task — who, for whom, state, budgets, what it used, and
/// its mandate.
struct TaskShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one task: state, budgets, counters and mandate.")

    @Argument(help: "The task id.")
    var id: String

    @Flag(help: "Print the task as JSON.")
    var json = false

    @OptionGroup var target: TaskTarget

    func run() async throws {
        try await target.run("show task `\(TaskOutput.printable(id))`", local: .read) { backend throws(TaskFailure) in
            let task = try await backend.task(id)
            guard !json else { return TaskOutput.printJSON(task) }
            let (rows, mandate) = TaskOutput.fields(task)
            TextTable.print(rows)
            for file in mandate {
                print("\nmandate \(file.name):")
                // The mandate as written; only control characters but newline and tab are replaced.
                var lines = file.text.split(separator: "\n", omittingEmptySubsequences: false)
                if lines.last?.isEmpty == true { lines.removeLast() }
                print(lines.map { "  " + TaskOutput.printable(String($0)) }.joined(separator: "\n"))
            }
        }
    }
}
