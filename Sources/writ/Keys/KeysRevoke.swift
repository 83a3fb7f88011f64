import ArgumentParser
import Foundation
import WritCore
import WritSQLite

/// `writ keys revoke ID`: the key authenticates nothing from then on.
struct KeysRevoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke", abstract: "Revoke an API key by id.",
        discussion: "Exits 1 when no unrevoked key has this id.")

    @Argument(help: "The key id (the part after writ_, as `writ keys list` shows it).")
    var id: String

    @OptionGroup var data: DataOptions

    func run() async throws {
        let revoked = try await data.withStore("revoke the key") { store throws(WritError) in
            // TODO(lead, issue 7): record `key.revoked` (key id and name, never the secret) through the
            // AuditLog of the data directory once it can be opened here; this command writes the store directly.
            try await store.revokeAPIKey(id: id, at: Date())
        }
        guard revoked else {
            printError("no unrevoked key has the id `\(id)`")
            throw WritExit.badInput
        }
        print("revoked \(id)")
    }
}
