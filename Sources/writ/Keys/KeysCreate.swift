import ArgumentParser
import Foundation
import WritCore
import WritSQLite

/// `writ keys create`: makes a key and prints it, the only time its secret is shown.
struct KeysCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create an API key; prints writ_<id>_<secret> once.",
        discussion: "The key is printed alone on standard output; only its SHA-256 digest is stored."
    )

    @Option(help: "A name for the key (recorded as the author of changes made with it).")
    var name: String

    @Option(help: "decide (the AuthZEN API), manage (the management API) tasks (open, close and list tasks for any user), approve (decide approvals) or audit (read the audit log); repeat for several.")
    var scope: [APIKeyScope]

    @OptionGroup var data: DataOptions

    func validate() throws {
        guard !name.isEmpty, name.count <= 100, !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { throw ValidationError("--name must be 1 to 100 characters without control characters") }
        guard !scope.isEmpty else { throw ValidationError("give at least one --scope (decide, manage, tasks, approve, audit)") }
    }

    func run() async throws {
        let (record, token) = APIKeys.generate(name: name, scopes: Set(scope))
        // TODO(lead, issue 7): record `key.created` (key id and name, never the secret) through the
        // AuditLog of the data directory once it can be opened here; this command writes the store directly.
        try await data.withStore("store the key") { store throws(WritError) in try await store.insertAPIKey(record) }
        print(token.description)
        let scopes = record.scopes.map(\.rawValue).sorted().joined(separator: ",")
        FileHandle.standardError.write(Data("created key \(record.id) `\(name)` (\(scopes)); the secret is not shown again\n".utf8))
    }
}

extension APIKeyScope: ExpressibleByArgument {}
