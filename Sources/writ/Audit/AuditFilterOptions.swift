import ArgumentParser
import Foundation
import WritCore
import WritSQLite

/// The filters `writ audit query` and `writ audit export` share, checked like the
/// query parameters of `GET /v1/audit`.
struct AuditFilterOptions: ParsableArguments {
    @Option(help: "Only records of this task id.") var task: String?
    @Option(help: "Only records of this agent id.") var agent: String?
    @Option(help: "Only records of this user.") var user: String?
    @Option(help: "Only records about this resource, as a Cedar uid: Tool::\"search\".") var resource: String?
    @Option(help: "Only records of this action, as a Cedar uid: Action::\"call\".") var action: String?
    @Option(help: "Only records caused by this API key id (or `writ`).") var actor: String?
    @Option(help: "Only the record of this decision id.") var decision: String?
    @Option(help: "Only decisions with this outcome: allow, deny or ask.") var outcome: String?
    @Option(help: "Only records of this kind: decision, task.opened, approval.granted …") var kind: String?
    @Option(help: "Only records at or after this RFC 3339 time.") var since: String?
    @Option(help: "Only records before this RFC 3339 time.") var until: String?

    /// The filters as query parameters, in their documented names.
    var parameters: [(name: String, value: String)] {
        let all: [(String, String?)] = [
            ("task", task), ("agent", agent), ("user", user), ("resource", resource), ("action", action),
            ("actor", actor), ("decision", decision), ("outcome", outcome), ("kind", kind), ("since", since),
            ("until", until),
        ]
        return all.compactMap { name, value in value.map { (name: name, value: $0) } }
    }

    /// The query these filters and `extra` parameters make; prints the problem and
    /// exits 1 when one is bad.
    func query(_ extra: [(name: String, value: String)]) throws -> AuditQuery {
        do {
            return try AuditQuery(parameters: parameters + extra)
        } catch {
            printError(error.message)
            throw WritExit.badInput
        }
    }
}

extension DataOptions {
    /// Opens the store of an existing data directory without creating anything;
    /// prints the problem and exits 1 when there is none.
    func existingStore() throws -> SQLiteStore {
        let path = URL(fileURLWithPath: data).appendingPathComponent(SQLiteStore.fileName).path
        guard FileManager.default.fileExists(atPath: path) else {
            printError("no Writ store in `\(data)` (no \(SQLiteStore.fileName)); pass --data DIR")
            throw WritExit.badInput
        }
        do {
            return try SQLiteStore(path: path)
        } catch {
            printError("cannot open the store in `\(data)`: \(error.message)")
            throw WritExit.badInput
        }
    }

    /// The default audit signing key file: `audit-signing-key` in the data directory.
    var auditSigningKeyPath: String {
        URL(fileURLWithPath: data).appendingPathComponent(AuditSigningKey.defaultFileName).path
    }
}

extension SQLiteStore {
    /// One page of `query`; prints the problem and exits 1 when the log cannot be read.
    func auditPageOrExit(_ query: AuditQuery) async throws -> AuditPage {
        do {
            return try await auditPage(query)
        } catch {
            printError("cannot read the audit log: \(error.message)")
            throw WritExit.badInput
        }
    }
}
