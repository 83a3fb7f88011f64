import ArgumentParser

/// `writ keys …`: the API keys PEPs and administrators authenticate with.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create, list and revoke API keys (stored hashed in the data directory); rotate the task signing key.",
        discussion: """
            Keys work on a running server within a second. Until a key is created, \
            `writ serve --auth auto` (the default) needs none; the first key switches \
            authentication on for good (revoking every key does not switch it off).
            """,
        subcommands: [KeysCreate.self, KeysList.self, KeysRevoke.self, KeysRotate.self]
    )
}
