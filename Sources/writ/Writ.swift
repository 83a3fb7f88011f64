import ArgumentParser

@main
struct Writ: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "writ",
        abstract: "Runtime authorization for AI agents.",
        subcommands: [ServeCommand.self, GatewayCommand.self, KeysCommand.self, TaskCommand.self, ApprovalsCommand.self, InventoryCommand.self, AnalyzeCommand.self, AuditCommand.self, CedarCommand.self, CedarValidate.self, SchemaCommand.self]
    )
}
