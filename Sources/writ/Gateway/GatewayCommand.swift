import ArgumentParser
import Foundation
import Logging
import WritCore
import WritMCP

/// `writ gateway`: an MCP server on standard input and output that decides every tool
/// call with Writ, in process, before passing it to an upstream MCP server
/// (docs/GATEWAY.md).
struct GatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway",
        abstract: "Enforce Writ between an agent and its MCP servers (MCP over standard input and output, or HTTP).",
        discussion: """
            Speaks MCP to the agent on standard input and output (or, with --listen, over \
            Streamable HTTP), and starts each --upstream NAME=COMMAND as a subprocess speaking MCP \
            on its pipes (an --upstream NAME=https://… is reached over Streamable HTTP). Tools are named <upstream>___<tool>; every \
            call is decided as the `call` checkpoint inside the agent's task, whose credential \
            the agent passes in $\(credentialVariable) (never passed on to upstreams). Decisions \
            are made in process on the data directory (--from DIR is loaded on first start, as \
            for `writ serve`) and recorded in its audit log. Stops when the agent closes standard \
            input. Logs go to standard error. resources/read and prompts/get are decided as the \
            `retrieve` and `prompt` checkpoints; tool definitions are pinned to the inventory (a \
            changed one is quarantined until its owner approves it). docs/GATEWAY.md has the rest.
            """
    )

    /// The environment variable holding the agent's task credential.
    static let credentialVariable = "WRIT_TASK_TOKEN"

    @OptionGroup var services: ServiceOptions

    @Option(
        name: .customLong("upstream"),
        help: ArgumentHelp(
            "An upstream MCP server, NAME=COMMAND [ARGS…] in one argument (repeatable), e.g. 'docs=python3 docs.py'.",
            valueName: "name=command"))
    var upstreams: [String] = []

    @Option(help: "The issuer of task credentials, when the data directory records none yet (see `writ serve --public-url`).")
    var publicURL: String?

    @Option(help: "Decide with a running `writ serve` at this URL (http://HOST:PORT) instead of in process; its API key (scope decide) in $WRIT_API_KEY. --from and --data are then not used.")
    var server: String?

    @Option(help: "Milliseconds a decision may take; past it the call is denied (decision_timeout).")
    var decisionTimeout = 5000

    @Option(help: "Seconds an upstream may take to list its tools or answer a call.")
    var upstreamTimeout = 60

    @Option(help: "The longest MCP message read from the agent or an upstream, in bytes.")
    var maxMessageBytes = 1 << 20

    @Option(help: "Seconds a call a person must approve waits for the approval (0: answer at once with an error naming the approval).")
    var approvalWait = 0

    @Option(help: "Release every tool result and resource's contents to this Writ::Destination first (the release checkpoint, with its redactions applied).")
    var releaseTo: String?

    @Option(help: "Serve MCP over Streamable HTTP at http://HOST:PORT/mcp instead of standard input and output (a bare PORT listens on 127.0.0.1; port 0 picks a free one); each agent's task credential comes in `Authorization: Bearer`.")
    var listen: String?

    @Option(name: .customLong("allowed-origin"), help: "An Origin accepted over HTTP (repeatable); requests with any other Origin are refused (403).")
    var allowedOrigins: [String] = []

    @Option(help: "The most HTTP sessions open at once.")
    var maxSessions = 1000

    @Option(help: "How HTTP answers are sent: json, or sse (one event, when the agent accepts it).")
    var httpResponses: GatewayHTTPConfiguration.Responses = .json

    @Option(
        name: .customLong("upstream-audience"),
        help: ArgumentHelp(
            "Send the HTTP upstream NAME a credential issued for AUDIENCE inside the agent's task, as Authorization: Bearer (repeatable).",
            valueName: "name=audience"))
    var upstreamAudiences: [String] = []

    func validate() throws {
        guard !upstreams.isEmpty else { throw ValidationError("give at least one --upstream NAME=COMMAND") }
        guard (1...600_000).contains(decisionTimeout) else { throw ValidationError("--decision-timeout must be 1 to 600000 ms") }
        guard (0...3600).contains(approvalWait) else { throw ValidationError("--approval-wait must be 0 to 3600 s") }
        guard (1...3600).contains(upstreamTimeout) else { throw ValidationError("--upstream-timeout must be 1 to 3600 s") }
        guard (1024...(64 << 20)).contains(maxMessageBytes) else {
            throw ValidationError("--max-message-bytes must be 1024 to 67108864")
        }
        guard (1...100_000).contains(maxSessions) else { throw ValidationError("--max-sessions must be 1 to 100000") }
        if server != nil, !upstreamAudiences.isEmpty {
            throw ValidationError(
                "--upstream-audience needs decisions in process: with --server the gateway holds no signing key to issue upstream credentials")
        }
    }

    func run() async throws {
        let logger = Logger(label: "writ.gateway", factory: { StreamLogHandler.standardError(label: $0) })
        // The credential stays in this process: upstreams get no WRIT_* variable.
        let credential = ProcessInfo.processInfo.environment[Self.credentialVariable].flatMap { $0.isEmpty ? nil : $0 }
        unsetenv(Self.credentialVariable)
        let key = ProcessInfo.processInfo.environment["WRIT_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        unsetenv("WRIT_API_KEY")
        var specs: [UpstreamSpec]
        let decider: any GatewayDecider
        var auditLog: AuditLog?
        var issuer: (any UpstreamCredentialIssuer)?
        var address: (host: String, port: Int)?
        do {
            specs = try upstreams.map { text throws(InputError) in
                do throws(WritError) { return try UpstreamSpec.parse(text) } catch { throw InputError(error.message) }
            }
            if let duplicate = Dictionary(grouping: specs, by: \.name).first(where: { $0.value.count > 1 })?.key {
                throw InputError("--upstream `\(duplicate)` is given twice")
            }
            try Self.setAudiences(upstreamAudiences, of: &specs)
            if let listen {
                // A bare port listens on loopback.
                address = try ServeCommand.parseListen(listen.allSatisfy(\.isNumber) ? "127.0.0.1:" + listen : listen)
                if let host = address?.host, !["127.0.0.1", "::1", "localhost"].contains(host) {
                    logger.warning("listening on \(host), not loopback: credentials cross the network in clear unless TLS fronts the gateway")
                }
            }
            if let server {
                do throws(UpstreamFailure) {
                    decider = try RemoteDecider(server: server, key: key, timeout: .milliseconds(decisionTimeout))
                } catch {
                    throw InputError(error.message)
                }
            } else {
                let embedded = try await embedded(logger: logger, auditLog: &auditLog)
                decider = embedded.decider
                if specs.contains(where: { $0.audience != nil }) {
                    issuer = EmbeddedUpstreamCredentials(tasks: embedded.decider.tasks, ring: embedded.ring)
                }
            }
        } catch let error as InputError {
            printError(error.description)
            throw WritExit.badInput
        }
        if credential == nil, address == nil {
            logger.warning("no task credential in $\(Self.credentialVariable): every call is denied and tools/list is empty")
        }
        let gateway = WritGateway(
            decider: decider, upstreams: specs, credential: address == nil ? credential : nil,
            configuration: .init(
                decisionTimeout: .milliseconds(decisionTimeout), upstreamTimeout: .seconds(upstreamTimeout),
                maxMessageBytes: maxMessageBytes, approvalWait: approvalWait > 0 ? .seconds(approvalWait) : nil,
                releaseDestination: releaseTo),
            upstreamCredentials: issuer)
        if let address {
            let http = GatewayHTTPConfiguration(
                host: address.host, port: address.port, allowedOrigins: Set(allowedOrigins), maxSessions: maxSessions,
                responses: httpResponses)
            try await ServiceOptions.running("the gateway", closing: auditLog) {
                try await gateway.runHTTP(http, logger: logger) { host, port in
                    let shown = host.contains(":") ? "[\(host)]" : host
                    // Unbuffered, so a supervisor (or a test) sees it as soon as the socket is bound.
                    FileHandle.standardOutput.write(Data("writ gateway: listening on http://\(shown):\(port)/mcp\n".utf8))
                }
            }
        } else {
            try await ServiceOptions.running("the gateway", closing: auditLog) { try await gateway.runOnStandardIO() }
        }
        await (decider as? RemoteDecider)?.shutdown()
    }

    /// Decisions in process on the data directory, recorded in its audit log.
    private func embedded(
        logger: Logger, auditLog: inout AuditLog?
    ) async throws -> (decider: EmbeddedDecider, ring: CredentialKeyRing) {
        let service: DecisionService
        (service, auditLog) = try await services.start(logger: logger)
        let issuer = try services.data.credentialIssuer(publicURL: publicURL, otherwise: nil, logger: logger)
        let (tasks, ring) = try await services.startTasks(service, issuer: issuer, audit: auditLog, logger: logger)
        let decider = EmbeddedDecider(
            service: service, tasks: tasks, approvals: ApprovalService(store: service.store, audit: auditLog), audit: auditLog)
        return (decider, ring)
    }

    /// Applies each `NAME=AUDIENCE` to the HTTP upstream NAME.
    static func setAudiences(_ given: [String], of specs: inout [UpstreamSpec]) throws {
        for text in given {
            guard let equals = text.firstIndex(of: "="), !text[text.index(after: equals)...].isEmpty else {
                throw InputError("--upstream-audience `\(text)` is not NAME=AUDIENCE")
            }
            let name = String(text[..<equals])
            guard let index = specs.firstIndex(where: { $0.name == name }) else {
                throw InputError("--upstream-audience names `\(name)`, which no --upstream gives")
            }
            guard specs[index].url != nil else {
                throw InputError("--upstream-audience `\(name)`: only an HTTP upstream (NAME=https://…) can be sent a credential")
            }
            specs[index].audience = String(text[text.index(after: equals)...])
        }
    }
}

extension GatewayHTTPConfiguration.Responses: ExpressibleByArgument {}
