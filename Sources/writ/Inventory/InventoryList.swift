import ArgumentParser
import Cedar
import WritCore

/// `writ inventory list`: every item with its owner, labels and state.
struct InventoryList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the inventory: uid, owner, labels, state (and a tool's pinned hash).")

    @Flag(help: "Print the inventory document as JSON (what `writ inventory apply` reads).")
    var json = false

    @OptionGroup var data: DataOptions

    func run() async throws {
        let items = try await data.withInventory("read the inventory") { inventory throws(WritError) in
            try await inventory.items()
        }
        if json {
            print(InventoryDocument.json(of: items).encoded(pretty: true))
            return
        }
        let rows = [["UID", "OWNER", "LABELS", "STATE", "HASH"]] + items.map { item in
            [
                item.uid.description, item.ownerUID.description,
                item.labels.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }.joined(separator: ","),
                item.isQuarantined ? "quarantined" : "active", item.pinnedHash.map { String($0.prefix(19)) } ?? "-",
            ]
        }
        TextTable.print(rows)
    }
}
