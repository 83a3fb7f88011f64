import ArgumentParser

/// `writ schema …`: work with Cedar schemas.
struct SchemaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Work with Cedar schemas.",
        subcommands: [SchemaTranslate.self]
    )
}
