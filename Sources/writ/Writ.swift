import ArgumentParser

@main
struct Writ: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "writ",
        abstract: "Runtime authorization for AI agents.",
        subcommands: [ServeCommand.self, KeysCommand.self, TaskCommand.self, ApprovalsCommand.self, AuditCommand.self, AnalyzeCommand.self, CedarCommand.self, CedarValidate.self, SchemaCommand.self]
    )
}
