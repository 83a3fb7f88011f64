import ArgumentParser
import Foundation
import Hummingbird
import Logging
import WritCore
import WritHTTP
import WritSQLite

/// `writ serve`: the decision service over HTTP until SIGINT or SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve OpenID AuthZEN decisions and the management API over HTTP.",
        discussion: """
            On first start (an empty data directory) the policies, schema, entities.json, \
            inventory.yaml and authzen.json in --from DIR are loaded into the store; without --from, the \
            examples/authzen-todo example is. Later starts serve what the store holds and \
            ignore --from; authzen.json is kept in the data directory. Tasks (/v1/tasks) are \
            served too: the first start generates the signing key of task credentials and \
            records their issuer and audience in DIR/issuer (--public-url, else \
            http://HOST:PORT); later starts keep the recorded one unless --public-url \
            changes it, and `writ task` uses it too. Open tasks are loaded at every start. \
            Stops gracefully on \
            SIGINT and SIGTERM (exit 0). Exits 1 when the data directory, DIR or the \
            listen address cannot be used.
            """
    )

    @Option(help: "A directory of *.cedar policies, a schema, entities.json and authzen.json, loaded on first start.")
    var from: String?

    @Option(help: "The address to listen on, HOST:PORT (port 0 picks a free one).")
    var listen = "127.0.0.1:8180"

    @OptionGroup var data: DataOptions

    @Option(help: "strict (a forbid that errors denies) or cedar-compat (Cedar's skip-on-error).")
    var mode: DecisionMode = .strict

    @Option(help: "auto (keys required once one exists), required, or off.")
    var auth: WritServer.AuthMode = .auto

    @Option(help: "The PDP identifier published in /.well-known/authzen-configuration (default: http://HOST:PORT).")
    var publicURL: String?

    @Option(help: "on (every decision and event recorded before the answer), or off: nothing recorded, for benchmarks and throwaway setups only.")
    var audit: AuditSwitch = .on

    @Option(help: "A directory outside the data directory where every signed audit checkpoint is also written (one JSON file each).")
    var auditCheckpoints: String?

    @Option(help: "Seconds between signed audit checkpoints while the log grows (one is also written at shutdown).")
    var auditCheckpointInterval = 60

    func validate() throws {
        guard (1...86_400).contains(auditCheckpointInterval) else {
            throw ValidationError("--audit-checkpoint-interval must be 1 to 86400 seconds")
        }
    }

    func run() async throws {
        var logger = Logger(label: "writ")
        logger.logLevel = .info
        let service: DecisionService
        let address: (host: String, port: Int)
        let tasks: TaskService
        let ring: CredentialKeyRing
        let auditLog: AuditLog?
        do {
            address = try Self.parseListen(listen)
            (service, auditLog) = try await start(logger: logger)
            let issuer = try credentialIssuer(address: address, logger: logger)
            let started = try await startTasks(service, issuer: issuer, audit: auditLog, logger: logger)
            tasks = started.tasks
            ring = started.ring
        } catch let error as InputError {
            printError(error.description)
            throw WritExit.badInput
        }
        let server = WritServer(
            service: service, tasks: tasks, credentials: ring,
            configuration: .init(host: address.host, port: address.port, auth: auth, publicBaseURL: publicURL),
            audit: auditLog)
        let app = server.makeApplication(logger: logger) { host, port in
            let shown = host.contains(":") ? "[\(host)]" : host
            let state = switch service.readiness {
            case .ready(let version): "policy set version \(version.version)"
            case .notReady(let reason): "not ready: \(reason)"
            }
            // Unbuffered, so a supervisor (or a test) sees it as soon as the socket is bound.
            FileHandle.standardOutput.write(Data("writ: listening on http://\(shown):\(port) (\(state))\n".utf8))
        }
        do {
            try await app.runService()
        } catch {
            try? await auditLog?.close()
            printError("the server stopped: \(error)")
            throw WritExit.badInput
        }
        do {
            try await auditLog?.close()
        } catch {
            printError("cannot write the final audit checkpoint: \(error.message)")
            throw WritExit.badInput
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
    private func start(logger: Logger) async throws -> (DecisionService, AuditLog?) {
        let store = try data.openStore()
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

    /// The issuer and audience of task credentials: `--public-url` when given (recorded
    /// in the data directory), else the recorded one, else `http://HOST:PORT` (recorded).
    private func credentialIssuer(address: (host: String, port: Int), logger: Logger) throws -> String {
        let recorded = try data.recordedIssuer()
        if let publicURL {
            if let problem = DataOptions.issuerProblem(publicURL) {
                throw InputError("--public-url `\(publicURL)` cannot be the credential issuer: \(problem)")
            }
            guard publicURL != recorded else { return publicURL }
            if let recorded {
                logger.notice("task credentials are now issued by \(publicURL), not \(recorded): earlier ones no longer verify")
            }
            try data.recordIssuer(publicURL)
            return publicURL
        }
        if let recorded { return recorded }
        let issuer = "http://\(address.host.contains(":") ? "[\(address.host)]" : address.host):\(address.port)"
        try data.recordIssuer(issuer)
        return issuer
    }

    /// The signing keys (one generated and stored on first start), the key ring that
    /// mints task credentials with issuer and audience `issuer`, and the task service
    /// holding the store's open tasks.
    private func startTasks(
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

    /// `HOST:PORT`, with an IPv6 host in brackets (`[::1]:8180`).
    static func parseListen(_ text: String) throws -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":") else { throw InputError("--listen `\(text)` is not HOST:PORT") }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw InputError("--listen `\(text)` is not HOST:PORT with a port from 0 to 65535")
        }
        return (host, port)
    }
}

extension DecisionMode: ExpressibleByArgument {}
extension WritServer.AuthMode: ExpressibleByArgument {}
