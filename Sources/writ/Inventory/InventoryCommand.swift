import ArgumentParser

/// `writ inventory …`: the registered agents, servers, tools, prompts, datasets and
/// destinations (docs/INVENTORY.md).
struct InventoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inventory",
        abstract: "Apply, list and approve the inventory: what agents can reach, each with an owner.",
        discussion: """
            These work on the data directory (--data). A running server reads the \
            inventory when it starts; to change it while it runs, use PUT /v1/inventory.
            """,
        subcommands: [InventoryApply.self, InventoryList.self, InventoryApprove.self]
    )
}
