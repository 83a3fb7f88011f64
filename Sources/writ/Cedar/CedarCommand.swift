import ArgumentParser

/// `writ cedar …`: the Cedar policy language on its own, without Writ's service.
struct CedarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cedar",
        abstract: "Work with Cedar policies directly: authorize, check, validate, format, conformance.",
        subcommands: [
            CedarAuthorize.self, CedarCheck.self, CedarValidate.self, CedarFormat.self, CedarConformanceCommand.self,
        ]
    )
}
