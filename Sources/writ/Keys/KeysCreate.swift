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
        // Stored, then recorded as `key.created` (never the secret); the key is printed only once both are done.
        try await data.withAuditedStore("store the key \(record.id)") { store throws(WritError) in
            try await store.insertAPIKey(record)
            return ((), [.keyCreated(record, actor: DataOptions.localActor)])
        }
        print(token.description)
        let scopes = record.scopes.map(\.rawValue).sorted().joined(separator: ",")
        FileHandle.standardError.write(Data("created key \(record.id) `\(name)` (\(scopes)); the secret is not shown again\n".utf8))
    }
}

extension APIKeyScope: ExpressibleByArgument {}
