import Foundation
import WritCore
import WritSQLite

extension DataOptions {
    /// Who acts from this command line on a local data directory, for the record:
    /// `local:<user>` (the OS user, when it is a plain name), else `local`.
    static var localActor: String {
        let user = ProcessInfo.processInfo.environment["USER"] ?? ""
        let plain = !user.isEmpty && user.utf8.count <= 64
            && user.unicodeScalars.allSatisfy {
                $0.properties.isAlphabetic || $0.properties.numericType != nil || "-._".unicodeScalars.contains($0)
            }
        return plain ? "local:\(user)" : "local"
    }

    /// The data directory's audit log over `store`, signing checkpoints with the key
    /// `writ serve` uses (DATA/audit-signing-key, made when missing). No checkpoint
    /// timer: the command closes the log (a final checkpoint) before it exits.
    func openAuditLog(_ store: any WritStore) async throws(WritError) -> AuditLog {
        let key = try AuditSigningKey.load(path: auditSigningKeyPath, create: true)
        return try await AuditLog.open(store: store, signingKey: key, configuration: .init(checkpointInterval: nil))
    }

    /// Makes a change on the store and records its events: opens the store and the
    /// audit log (when either cannot be opened, nothing is changed), runs `change`,
    /// records the events it returns, and closes the log. A failure to change prints
    /// `cannot <what>: …`; a failure to record after the change was stored prints that
    /// it was stored but not recorded. Both exit with `badInput`.
    func withAuditedStore<T>(
        _ what: String, _ change: (SQLiteStore) async throws(WritError) -> (result: T, events: [AuditEvent])
    ) async throws -> T {
        let (store, log) = try await openAudited(what)
        defer { try? store.close() }
        let changed: (result: T, events: [AuditEvent])
        do {
            changed = try await change(store)
        } catch {
            try? await log.close()
            printError("cannot \(what): \(error.message)")
            throw WritExit.badInput
        }
        do {
            try await log.record(changed.events)
        } catch {
            printError("\(what): done and stored, but its audit record could not be written: \(error.message)")
            throw WritExit.badInput
        }
        do {
            try await log.close()
        } catch {
            printError("\(what): done and recorded, but the audit checkpoint could not be written: \(error.message)")
            throw WritExit.badInput
        }
        return changed.result
    }

    /// The store and its audit log; a failure to open either prints `cannot <what>: …`
    /// and exits with `badInput`. The caller closes both.
    func openAudited(_ what: String) async throws -> (SQLiteStore, AuditLog) {
        let store = try withInputErrorExit { try openStore() }
        do {
            return (store, try await openAuditLog(store))
        } catch {
            try? store.close()
            printError("cannot \(what): the audit log in `\(data)` cannot be opened: \(error.message)")
            throw WritExit.badInput
        }
    }

    private func withInputErrorExit<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as InputError {
            printError(error.description)
            throw WritExit.badInput
        }
    }
}
