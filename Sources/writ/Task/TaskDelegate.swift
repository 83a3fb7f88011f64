import ArgumentParser
import Foundation
import WritCore

/// `writ task delegate`: a child task for a sub-agent, authorised by the parent task's
/// credential alone; prints the child's credential.
struct TaskDelegate: AsyncParsableCommand {
    /// The environment variable the parent's credential is read from.
    static let credentialVariable = "WRIT_TASK_CREDENTIAL"

    static let configuration = CommandConfiguration(
        commandName: "delegate",
        abstract: "Delegate narrower work from a task to a sub-agent; prints the child's credential.",
        discussion: """
            The parent task's credential authorises the delegation (no API key is needed): \
            --credential -, to read it from standard input, or $WRIT_TASK_CREDENTIAL. The \
            child acts for the parent's user, expires with the parent (or sooner, --ttl), \
            and can never do more than the parent's mandate and budgets allow.
            """)

    @Argument(help: "The parent task's id; default: the task the credential names.")
    var parent: String?

    @Option(help: ArgumentHelp(
        "`-` reads the parent task's credential from standard input; default: $WRIT_TASK_CREDENTIAL. A credential given here is visible to other users.",
        valueName: "credential"))
    var credential: String?

    @OptionGroup var inputs: TaskInputs

    @Option(parsing: .unconditional, help: ArgumentHelp("How long the child lives, in seconds; default: as long as the parent.", valueName: "seconds"))
    var ttl: String?

    @Flag(help: "Print the whole JSON reply: the child task and its credential.")
    var json = false

    @OptionGroup var target: TaskTarget

    func run() async throws {
        let (delegation, token) = try checkedInput {
            let mandate = try inputs.mandateFiles()
            let delegation = TaskDelegation(
                agent: inputs.agent, purpose: inputs.purpose, mandate: mandate, ttl: try ttl.map(TaskInputs.ttl),
                budgets: try inputs.budgets(), labels: try inputs.labels())
            return (delegation, try parentCredential())
        }
        try await target.run("delegate the task", local: .mint) { backend throws(TaskFailure) in
            let reply = try await backend.delegate(from: parent, credential: token, delegation)
            if json {
                TaskOutput.printJSON(reply)
            } else {
                print(try TaskOutput.credential(reply))
                FileHandle.standardError.write(Data(TaskOutput.opened(reply).utf8))
            }
        }
    }

    /// The parent's credential: from standard input, the option, or the environment.
    private func parentCredential() throws -> String {
        var token: String
        if credential == "-" {
            guard !inputs.mandate.contains("-") else {
                throw InputError("--credential - and --mandate - cannot both read standard input")
            }
            token = try PolicyFiles.read("-")
        } else if let credential {
            token = credential
        } else if let fromEnvironment = ProcessInfo.processInfo.environment[Self.credentialVariable] {
            token = fromEnvironment
        } else {
            throw InputError("give the parent task's credential: --credential - (standard input) or $\(Self.credentialVariable)")
        }
        token = token.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw InputError("the parent task's credential is empty") }
        return token
    }
}
