import ArgumentParser
import WritCore

/// `writ inventory apply FILE`: makes the file the whole inventory.
struct InventoryApply: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply", abstract: "Make an inventory file (YAML or JSON) the whole inventory.",
        discussion: """
            Items are stored and written into the entity store as their Cedar entities; \
            items no longer listed are removed with their entities. All or none: an \
            error changes nothing. Exits 1 on any error, naming the item and field \
            (and, in YAML, its line:column).
            """)

    @Argument(help: "The inventory file: *.yaml, *.yml or *.json.")
    var file: String

    @OptionGroup var data: DataOptions

    func run() async throws {
        let document: InventoryDocument
        do {
            document = try InventoryFile.read(file)
        } catch let error as InputError {
            printError(error.description)
            throw WritExit.badInput
        }
        let applied = try await data.withInventory("apply the inventory") { inventory throws(WritError) in
            try await inventory.apply(document, actor: DataOptions.localActor)
        }
        print(
            "inventory revision \(applied.revision): \(applied.added) added, \(applied.changed) changed, "
                + "\(applied.removed) removed, \(applied.unchanged) unchanged")
    }
}
