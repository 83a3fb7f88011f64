import ArgumentParser
import Cedar
import WritCore

/// `writ inventory approve TYPE::ID --by USER`: pins a quarantined tool's new definition.
struct InventoryApprove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve", abstract: "Approve the changed definition of a quarantined tool (its owner only).",
        discussion: "Exits 1 when the tool is not registered, not quarantined, or not owned by --by.")

    @Argument(help: "The tool, as a Cedar uid: 'Writ::Tool::\"mail___send_email\"'.")
    var tool: String

    @Option(help: "The owner approving, as a Cedar uid: 'Writ::User::\"ops\"'.")
    var by: String

    @Option(help: "The pending hash the owner looked at (sha256:…); approval fails if the definition changed again.")
    var hash: String?

    @OptionGroup var data: DataOptions

    func run() async throws {
        let uid = try InventoryCommand.uid(tool, "TOOL")
        let owner = try InventoryCommand.uid(by, "--by", type: BaseSchema.userType)
        let item = try await data.withInventory("approve \(uid)") { inventory throws(WritError) in
            try await inventory.approve(uid, hash: hash, by: owner.id, actor: DataOptions.localActor)
        }
        print("approved \(item.uid): pinned \(item.pinnedHash ?? "-")")
    }
}
