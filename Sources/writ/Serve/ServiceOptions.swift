import ArgumentParser
import Foundation
import Logging
import WritCore
import WritHTTP
import WritSQLite

/// What `writ serve` and `writ gateway` share to start deciding: the policy directory
/// loaded on first start, the data directory, the mode and the audit log.
struct ServiceOptions: ParsableArguments {
    @Option(help: "A directory of *.cedar policies, a schema, entities.json and authzen.json, loaded on first start.")
    var from: String?

    @OptionGroup var data: DataOptions

    @Option(help: "strict (a forbid that errors denies) or cedar-compat (Cedar's skip-on-error).")
    var mode: DecisionMode = .strict

    @Option(help: "on (every decision and event recorded before the answer), or off: nothing recorded, for benchmarks and throwaway setups only.")
    var audit: AuditSwitch = .on

    @Option(help: "A directory outside the data directory where every signed audit checkpoint is also written (one JSON file each).")
    var auditCheckpoints: String?

    @Option(help: "Seconds between signed audit checkpoints while the log grows (one is also written at shutdown).")
    var auditCheckpointInterval = 60

    @Option(help: "full (every commit fsynced before the answer; survives power loss) or normal (in the write-ahead log before the answer, fsynced every --sync-interval ms: power loss can lose that much).")
    var durability: DurabilitySwitch = .full

    @Option(help: "With --durability normal: milliseconds between fsyncs of the write-ahead log, the most an OS crash or power loss can lose.")
    var syncInterval = 100

    func validate() throws {
        guard (1...86_400).contains(auditCheckpointInterval) else {
            throw ValidationError("--audit-checkpoint-interval must be 1 to 86400 seconds")
        }
        guard (1...60_000).contains(syncInterval) else {
            throw ValidationError("--sync-interval must be 1 to 60000 milliseconds")
        }
    }

    /// The audit log over the store, signing checkpoints with DATA/audit-signing-key
    /// (generated on first start, mode 0600).
    private func openAudit(_ store: any WritStore) async throws -> AuditLog {
        do {
            let key = try AuditSigningKey.load(path: data.auditSigningKeyPath, create: true)
            return try await AuditLog.open(
                store: store, signingKey: key,
                configuration: .init(
                    checkpointInterval: .seconds(auditCheckpointInterval), checkpointDirectory: auditCheckpoints))
        } catch {
            throw InputError("cannot open the audit log: \(error.message)")
        }
    }

    /// Opens the store and loads the service: the first start bootstraps from the
    /// policy directory, later ones load what the store holds (and, if that fails,
    /// serve not-ready with the reason rather than exit).
    func start(logger: Logger) async throws -> (DecisionService, AuditLog?) {
        let store = try data.openStore(durability: durability.durability(syncInterval: syncInterval))
        if durability == .normal {
            logger.notice("durability normal: commits are fsynced every \(syncInterval) ms; an OS crash or power loss can lose the last \(syncInterval) ms of audit records and counters")
        }
        let auditLog: AuditLog?
        switch audit {
        case .on:
            auditLog = try await openAudit(store)
        case .off:
            auditLog = nil
            FileHandle.standardError.write(Data("\(AuditSwitch.offWarning)\n".utf8))
        }
        let latest: PolicySetRecord?
        do {
            latest = try await store.latestPolicySet()
        } catch {
            throw InputError("cannot read the store in `\(data.data)`: \(error.message)")
        }
        var source: PolicyDirectory?
        if let latest {
            if let from {
                logger.notice("--from \(from) ignored: the store in \(data.data) already holds policy set version \(latest.version)")
            }
        } else {
            guard let directory = from ?? PolicyDirectory.findExample() else {
                throw InputError("no --from DIR given and \(PolicyDirectory.example) not found; pass --from DIR")
            }
            let loaded = try PolicyDirectory.read(directory)
            try keepMapping(loaded.mapping)
            source = loaded
        }
        let mapping = try PolicyDirectory.loadMapping(data.data)
        let service = DecisionService(
            store: store, configuration: .init(mode: mode, authzen: mapping, audit: try data.auditConfiguration()),
            audit: auditLog)
        do {
            if let source {
                try await service.bootstrap(source.draft, entities: source.entities)
                logger.info("loaded \(source.files.count) policy files from \(source.path) as policy set version 1")
                if let inventory = source.inventory {
                    let applied = try await InventoryService(decisions: service, audit: auditLog).apply(inventory, actor: "bootstrap")
                    logger.info("registered \(applied.added) inventory items from \(source.path)")
                }
            } else {
                try await service.reload()
            }
        } catch {
            if source != nil { throw InputError(error.description) }
            logger.error("serving not ready: \(error.message)")
        }
        return (service, auditLog)
    }

    /// The signing keys (one generated and stored on first start), the key ring that
    /// mints task credentials with issuer and audience `issuer`, and the task service
    /// holding the store's open tasks.
    func startTasks(
        _ service: DecisionService, issuer: String, audit: AuditLog?, logger: Logger
    ) async throws -> (tasks: TaskService, ring: CredentialKeyRing) {
        let (keys, generated) = try await data.signingKeys(service.store)
        if let generated { logger.info("generated signing key \(generated.id)") }
        let (tasks, ring) = DataOptions.taskService(service, keys: keys, issuer: issuer, audit: audit)
        do {
            for failure in try await tasks.load() {
                logger.error("task not loaded: \(failure.message)")
            }
        } catch {
            logger.error("tasks not loaded: \(error.message)")
        }
        return (tasks, ring)
    }

    /// Runs `body` (the server, the gateway) to its end, then closes the audit log,
    /// writing its final checkpoint; a failure of either is printed (`what stopped`)
    /// and exits with `badInput`.
    static func running(
        _ what: String, closing auditLog: AuditLog?, _ body: () async throws -> Void
    ) async throws {
        do {
            try await body()
        } catch {
            try? await auditLog?.close()
            printError("\(what) stopped: \(error)")
            throw WritExit.badInput
        }
        do {
            try await auditLog?.close()
        } catch {
            printError("cannot write the final audit checkpoint: \(error.message)")
            throw WritExit.badInput
        }
    }

    /// Stores the policy directory's `authzen.json` in the data directory (removing a
    /// stale one when the directory has none), where every later start reads it.
    private func keepMapping(_ mapping: [UInt8]?) throws {
        let path = URL(fileURLWithPath: data.data).appendingPathComponent("authzen.json").path
        do {
            if let mapping {
                try Data(mapping).write(to: URL(fileURLWithPath: path), options: .atomic)
            } else if FileManager.default.fileExists(atPath: path) {
                try FileManager.default.removeItem(atPath: path)
            }
        } catch {
            throw InputError("cannot write `\(path)`: \(error.localizedDescription)")
        }
    }
}
