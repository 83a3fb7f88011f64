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
        // Revoked, then recorded as `key.revoked` (id, name and scopes; never the secret).
        let revoked = try await data.withAuditedStore("revoke the key") { store throws(WritError) in
            let now = Date()
            let key = try await store.allAPIKeys().first { $0.id == id && $0.revokedAt == nil }
            guard let key, try await store.revokeAPIKey(id: id, at: now) else { return (false, []) }
            return (true, [.keyRevoked(key, at: now, actor: DataOptions.localActor)])
        }
        guard revoked else {
            printError("no unrevoked key has the id `\(id)`")
            throw WritExit.badInput
        }
        print("revoked \(id)")
    }
}
