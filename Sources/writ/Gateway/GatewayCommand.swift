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
        abstract: "Enforce Writ between an agent and its MCP servers (MCP over standard input and output).",
        discussion: """
            Speaks MCP to the agent on standard input and output, and starts each --upstream \
            as a subprocess speaking MCP on its pipes. Tools are named <upstream>___<tool>; every \
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

    @Option(help: "Release every tool result to this Writ::Destination first (the release checkpoint, with its redactions applied).")
    var releaseTo: String?

    func validate() throws {
        guard !upstreams.isEmpty else { throw ValidationError("give at least one --upstream NAME=COMMAND") }
        guard (1...600_000).contains(decisionTimeout) else { throw ValidationError("--decision-timeout must be 1 to 600000 ms") }
        guard (0...3600).contains(approvalWait) else { throw ValidationError("--approval-wait must be 0 to 3600 s") }
        guard (1...3600).contains(upstreamTimeout) else { throw ValidationError("--upstream-timeout must be 1 to 3600 s") }
        guard (1024...(64 << 20)).contains(maxMessageBytes) else {
            throw ValidationError("--max-message-bytes must be 1024 to 67108864")
        }
    }

    func run() async throws {
        let logger = Logger(label: "writ.gateway", factory: { StreamLogHandler.standardError(label: $0) })
        // The credential stays in this process: upstreams get no WRIT_* variable.
        let credential = ProcessInfo.processInfo.environment[Self.credentialVariable].flatMap { $0.isEmpty ? nil : $0 }
        unsetenv(Self.credentialVariable)
        let key = ProcessInfo.processInfo.environment["WRIT_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        unsetenv("WRIT_API_KEY")
        let specs: [UpstreamSpec]
        let decider: any GatewayDecider
        var auditLog: AuditLog?
        do {
            specs = try upstreams.map { text throws(InputError) in
                do throws(WritError) { return try UpstreamSpec.parse(text) } catch { throw InputError(error.message) }
            }
            if let duplicate = Dictionary(grouping: specs, by: \.name).first(where: { $0.value.count > 1 })?.key {
                throw InputError("--upstream `\(duplicate)` is given twice")
            }
            if let server {
                do throws(UpstreamFailure) {
                    decider = try RemoteDecider(server: server, key: key, timeout: .milliseconds(decisionTimeout))
                } catch {
                    throw InputError(error.message)
                }
            } else {
                decider = try await embedded(logger: logger, auditLog: &auditLog)
            }
        } catch let error as InputError {
            printError(error.description)
            throw WritExit.badInput
        }
        if credential == nil {
            logger.warning("no task credential in $\(Self.credentialVariable): every call is denied and tools/list is empty")
        }
        let gateway = WritGateway(
            decider: decider, upstreams: specs, credential: credential,
            configuration: .init(
                decisionTimeout: .milliseconds(decisionTimeout), upstreamTimeout: .seconds(upstreamTimeout),
                maxMessageBytes: maxMessageBytes, approvalWait: approvalWait > 0 ? .seconds(approvalWait) : nil,
                releaseDestination: releaseTo))
        try await ServiceOptions.running("the gateway", closing: auditLog) { try await gateway.runOnStandardIO() }
        await (decider as? RemoteDecider)?.shutdown()
    }

    /// Decisions in process on the data directory, recorded in its audit log.
    private func embedded(logger: Logger, auditLog: inout AuditLog?) async throws -> EmbeddedDecider {
        let service: DecisionService
        (service, auditLog) = try await services.start(logger: logger)
        let issuer = try services.data.credentialIssuer(publicURL: publicURL, otherwise: nil, logger: logger)
        let (tasks, _) = try await services.startTasks(service, issuer: issuer, audit: auditLog, logger: logger)
        return EmbeddedDecider(
            service: service, tasks: tasks, approvals: ApprovalService(store: service.store, audit: auditLog), audit: auditLog)
    }
}
