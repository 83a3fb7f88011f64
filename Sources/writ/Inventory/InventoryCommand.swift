import ArgumentParser
import Cedar
import WritCore

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
        subcommands: [InventoryApply.self, InventoryImport.self, InventoryList.self, InventoryApprove.self, InventoryReportCommand.self]
    )
}

extension InventoryCommand {
    /// `text` as a Cedar uid (of `type` when given); otherwise prints why, naming
    /// `flag`, and exits with `badInput`.
    static func uid(_ text: String, _ flag: String, type: EntityType? = nil) throws -> EntityUID {
        let uid: EntityUID
        do {
            uid = try PolicyParser.parseEntityUID(text)
        } catch {
            printError("\(flag): \(error)")
            throw WritExit.badInput
        }
        if let type, uid.type != type {
            printError("\(flag) is \(uid); it must be a `\(type)`")
            throw WritExit.badInput
        }
        return uid
    }
}
