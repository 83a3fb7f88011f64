import ArgumentParser
import Foundation
import WritCore
import WritSQLite

/// `writ keys list`: every key, revoked ones included, oldest first.
struct KeysList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List API keys: id, name, scopes, created, revoked.")

    @OptionGroup var data: DataOptions

    func run() async throws {
        let keys = try await data.withStore("read the keys") { store throws(WritError) in try await store.allAPIKeys() }
        let format = Date.ISO8601FormatStyle()
        let rows = [["ID", "NAME", "SCOPES", "CREATED", "REVOKED"]] + keys.map { key in
            [
                key.id, key.name, key.scopes.map(\.rawValue).sorted().joined(separator: ","),
                key.createdAt.formatted(format), key.revokedAt.map { $0.formatted(format) } ?? "-",
            ]
        }
        TextTable.print(rows)
    }
}
