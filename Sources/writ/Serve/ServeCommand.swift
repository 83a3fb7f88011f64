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

    @OptionGroup var services: ServiceOptions

    @Option(help: "The address to listen on, HOST:PORT (port 0 picks a free one).")
    var listen = "127.0.0.1:8180"

    @Option(help: "auto (keys required once one exists), required, or off.")
    var auth: WritServer.AuthMode = .auto

    @Option(help: "The PDP identifier published in /.well-known/authzen-configuration (default: http://HOST:PORT).")
    var publicURL: String?

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
            (service, auditLog) = try await services.start(logger: logger)
            let host = address.host.contains(":") ? "[\(address.host)]" : address.host
            let issuer = try services.data.credentialIssuer(
                publicURL: publicURL, otherwise: "http://\(host):\(address.port)", logger: logger)
            let started = try await services.startTasks(service, issuer: issuer, audit: auditLog, logger: logger)
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
        try await ServiceOptions.running("the server", closing: auditLog) { try await app.runService() }
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
