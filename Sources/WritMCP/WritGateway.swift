import Foundation
import MCP

/// `writ gateway`: an MCP server to the agent and an MCP client to each upstream
/// server, deciding every tool call with Writ before it passes (docs/GATEWAY.md).
///
/// - `tools/list` gathers the upstreams' tools, names each `<upstream>___<tool>`, and
///   answers only those the agent's task might allow (`GatewayDecider.callable`).
/// - `tools/call` is the `call` checkpoint: action and resource `<upstream>___<tool>`,
///   the arguments as `context.input`. An allow forwards the call and passes the
///   upstream's result through; anything else is a JSON-RPC error (`GatewayRefusal`).
/// - Every other request is refused (`method not found`): nothing passes unchecked.
public final class WritGateway: Sendable {
    /// The version the gateway reports to agents and upstreams.
    public static let version = "0.1.0"

    public struct Configuration: Sendable {
        /// The longest a decision may take; past it the call is denied (`decision_timeout`).
        public var decisionTimeout: Duration
        /// The longest an upstream may take to answer a call or a listing.
        public var upstreamTimeout: Duration
        /// The longest message read from the agent or an upstream, in bytes.
        public var maxMessageBytes: Int
        /// How long a call a person must approve waits for the approval; nil answers
        /// the ask at once with an error naming the approval.
        public var approvalWait: Duration?
        /// The `Writ::Destination` tool results and resource contents are released to
        /// (the `release` checkpoint, WritGateway+Release.swift); nil releases them unchecked.
        public var releaseDestination: String?

        public init(
            decisionTimeout: Duration = .seconds(5), upstreamTimeout: Duration = .seconds(60),
            maxMessageBytes: Int = 1 << 20, approvalWait: Duration? = nil, releaseDestination: String? = nil
        ) {
            self.decisionTimeout = decisionTimeout
            self.upstreamTimeout = upstreamTimeout
            self.maxMessageBytes = maxMessageBytes
            self.approvalWait = approvalWait
            self.releaseDestination = releaseDestination
        }
    }

    let decider: any GatewayDecider
    let configuration: Configuration
    let upstreams: [String: Upstream]
    let upstreamOrder: [String]
    /// The agent's task credential, and the agent it names; nil when none was given.
    let credential: AgentCredential?
    /// The inventory's say on each upstream tool's definition (GatewayPinning.swift);
    /// one for the gateway, shared by its HTTP sessions.
    let pins: PinLedger
    /// Which upstream lists each resource URI (WritGateway+Content.swift).
    let contentRoutes: ContentRoutes
    /// Upstream `notifications/tools/list_changed`, relayed to the agent (ListChangedRelay.swift).
    let relay: ListChangedRelay
    /// Issues the credentials upstreams with an audience are sent; nil when none can be issued.
    let upstreamCredentials: (any UpstreamCredentialIssuer)?

    /// - Parameters:
    ///   - credential: the agent's task credential on standard input and output; nil for
    ///     none (and for a gateway serving HTTP, where each session brings its own).
    ///   - upstreamCredentials: issues the credentials of upstreams with an audience.
    public init(
        decider: any GatewayDecider, upstreams: [UpstreamSpec], credential: String?,
        configuration: Configuration = Configuration(), upstreamCredentials: (any UpstreamCredentialIssuer)? = nil
    ) {
        self.decider = decider
        self.configuration = configuration
        self.upstreamOrder = upstreams.map(\.name)
        self.upstreams = Dictionary(
            upstreams.map {
                ($0.name, Upstream(
                    spec: $0, maxMessageBytes: configuration.maxMessageBytes, timeout: configuration.upstreamTimeout))
            },
            uniquingKeysWith: { first, _ in first })
        self.credential = credential.map(AgentCredential.init)
        self.upstreamCredentials = upstreamCredentials
        pins = PinLedger()
        contentRoutes = ContentRoutes()
        relay = ListChangedRelay()
    }

    /// The same gateway (decider, upstreams, configuration) acting for another agent
    /// credential: one per HTTP session.
    init(sharing gateway: WritGateway, credential: String?) {
        decider = gateway.decider
        configuration = gateway.configuration
        upstreams = gateway.upstreams
        upstreamOrder = gateway.upstreamOrder
        upstreamCredentials = gateway.upstreamCredentials
        pins = gateway.pins
        contentRoutes = gateway.contentRoutes
        relay = gateway.relay
        self.credential = credential.map(AgentCredential.init)
    }

    /// Serves the agent on standard input and output until it closes its input, then
    /// stops the upstreams.
    public func runOnStandardIO() async throws {
        let transport = LineTransport(
            input: STDIN_FILENO, output: STDOUT_FILENO, maxLineBytes: configuration.maxMessageBytes,
            answersOversized: true, label: "writ.gateway.agent")
        await transport.offer { [self] message, reply in shortcut(message, reply: reply) }
        let server = await makeServer()
        try await server.start(transport: transport)
        await server.waitUntilCompleted()
        // End of input: answer the calls in flight, then stop the upstreams.
        await transport.settled(
            within: configuration.decisionTimeout + configuration.upstreamTimeout + (configuration.approvalWait ?? .zero))
        await stopUpstreams()
    }

    /// The MCP server the agent talks to, its handlers bound to this gateway's credential.
    func makeServer() async -> Server {
        let server = Server(
            name: "writ-gateway", version: Self.version,
            capabilities: .init(
                prompts: .init(listChanged: false), resources: .init(subscribe: false, listChanged: false),
                tools: .init(listChanged: true)))
        await serveContent(on: server)
        relay.attach(server)
        await server.withMethodHandler(ListTools.self) { [self] _ in
            ListTools.Result(tools: await listing())
        }
        await server.withMethodHandler(CallTool.self) { [self] parameters in
            try await call(parameters)
        }
        return server
    }

    /// Stops every upstream (when the gateway shuts down).
    func stopUpstreams() async {
        for name in upstreamOrder { await upstreams[name]?.stop() }
    }

    // MARK: - tools/list

    /// Every upstream's tools, namespaced, that the agent might call in its task.
    func listing() async -> [Tool] {
        guard let credential, credential.agent != nil else { return [] }
        var tools: [Tool] = []
        for name in upstreamOrder {
            guard let upstream = upstreams[name] else { continue }
            switch await listTools(of: upstream) {
            case .success(let found): tools += await pinning(found.map { Self.namespaced($0, upstream: name) }, upstream: name)
            case .failure(let failure): Self.log("tools/list: \(failure.message); its tools are not listed")
            }
        }
        let callable = await decider.callable(tools.map(\.name), credential: credential.token)
        return tools.filter { callable.contains($0.name) }
    }

    static func namespaced(_ tool: Tool, upstream: String) -> Tool {
        Tool(
            name: upstream + UpstreamSpec.separator + tool.name, title: tool.title, description: tool.description,
            inputSchema: tool.inputSchema, annotations: tool.annotations, outputSchema: tool.outputSchema,
            icons: tool.icons, _meta: tool._meta)
    }

    // MARK: - tools/call

    func call(_ parameters: CallTool.Parameters) async throws -> CallTool.Result {
        let (upstream, tool, issued) = try await authorized(parameters)
        let arguments = parameters.arguments
        let answer = try await forwarded(tool, to: upstream) { () async throws(UpstreamFailure) in
            try await upstream.call(tool, arguments: arguments, credential: issued)
        }
        return try await released(answer, tool: parameters.name)
    }

    /// The upstream, its own name of the tool and the credential to send it, once the
    /// call `parameters` asks for is allowed; throws the refusal otherwise.
    func authorized(_ parameters: CallTool.Parameters) async throws -> (Upstream, String, String?) {
        let name = parameters.name
        if credential?.agent != nil, let refusal = await pinRefusal(name) { throw GatewayRefusal.denied(refusal, tool: name) }
        let outcome = await waitingForApproval(
            await decide(name, arguments: parameters.arguments), tool: name, arguments: parameters.arguments)
        // The call checkpoint has no output to redact: an allow with obligations is refused.
        try Self.enforce(outcome, what: "the call to `\(name)`")
        guard let (upstream, tool) = route(name) else {
            throw GatewayRefusal.unknownTool(name)
        }
        do throws(UpstreamFailure) {
            return (upstream, tool, try await upstreamCredential(for: upstream, agentCredential: credential?.token))
        } catch {
            throw GatewayRefusal.denied(
                GatewayOutcome(decision: .deny, reason: "upstream_credential_unavailable", decisionID: outcome.decisionID),
                tool: name)
        }
    }

    /// What `work` (a call of `tool` at `upstream`) answers within the upstream timeout;
    /// throws the -32010 refusal when it fails or is late.
    func forwarded<T: Sendable>(
        _ tool: String, to upstream: Upstream, _ work: @escaping @Sendable () async throws(UpstreamFailure) -> T
    ) async throws -> T {
        let result = await Deadline.run(
            within: configuration.upstreamTimeout,
            late: {
                Result<T, UpstreamFailure>.failure(UpstreamFailure(
                    message: "upstream `\(upstream.spec.name)` did not answer the call to `\(tool)` in time"))
            }
        ) {
            do throws(UpstreamFailure) {
                return .success(try await work())
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let answer): return answer
        case .failure(let failure): throw GatewayRefusal.upstream(failure)
        }
    }

    /// The decision on calling `name` with `arguments`, within the decision timeout.
    func decide(_ name: String, arguments: [String: Value]?) async -> GatewayOutcome {
        await decide { agent in try Self.evaluation(agent: agent, tool: name, arguments: arguments ?? [:]) }
    }

    /// The decision on the AuthZEN evaluation `evaluation` writes for the agent, within
    /// the decision timeout.
    func decide(_ evaluation: (String) throws -> [UInt8]) async -> GatewayOutcome {
        guard let credential else { return .refused("no_task") }
        guard let agent = credential.agent else { return .refused("no_task") }
        let body: [UInt8]
        do {
            body = try evaluation(agent)
        } catch {
            return .refused("invalid_request")
        }
        guard body.count <= configuration.maxMessageBytes else { return .refused("too_large") }
        let question = GatewayQuestion(body: body, credential: credential.token)
        let decider = self.decider
        return await Deadline.run(within: configuration.decisionTimeout, late: { .refused("decision_timeout") }) {
            await decider.decide(question)
        }
    }

    /// The AuthZEN evaluation of the `call` checkpoint (docs/CHECKPOINTS.md).
    static func evaluation(agent: String, tool: String, arguments: [String: Value]) throws -> [UInt8] {
        try evaluation(agent: agent, action: tool, resource: ("tool", tool), context: ["input": .object(arguments)])
    }

    /// An AuthZEN evaluation: subject the agent, `action`, `resource` (AuthZEN type and id), `context`.
    static func evaluation(
        agent: String, action: String, resource: (type: String, id: String), context: [String: Value]
    ) throws -> [UInt8] {
        var request: [String: Value] = [
            "subject": ["type": "agent", "id": .string(agent)],
            "action": ["name": .string(action)],
            "resource": ["type": .string(resource.type), "id": .string(resource.id)],
        ]
        if !context.isEmpty { request["context"] = .object(context) }
        // Writ's writer, unless the request holds what only the SDK's encoder writes as it does.
        if let written = Value.writtenJSON(request) { return written }
        return Array(try JSONEncoder().encode(Value.object(request)))
    }

    /// The credential to send `upstream`: nil when it has no audience; otherwise one
    /// issued for its audience inside the agent's task (never the agent's own).
    func upstreamCredential(for upstream: Upstream, agentCredential: String?) async throws(UpstreamFailure) -> String? {
        guard let audience = upstream.spec.audience else { return nil }
        guard let upstreamCredentials, let agentCredential else {
            throw UpstreamFailure(message: "no credential can be issued for upstream `\(upstream.spec.name)`")
        }
        return try await upstreamCredentials.credential(audience: audience, agentCredential: agentCredential)
    }

    /// The upstream and its own tool name for a namespaced tool name.
    func route(_ name: String) -> (Upstream, String)? {
        guard let (upstream, tool) = UpstreamSpec.splitNamespaced(name), !tool.isEmpty, let found = upstreams[upstream] else {
            return nil
        }
        return (found, tool)
    }

    static func log(_ line: String) {
        FileHandle.standardError.write(Data("writ gateway: \(line)\n".utf8))
    }
}

/// The agent's task credential, and the agent it names (its `sub` claim, read without
/// verifying: the decider verifies the credential and that it names this agent).
struct AgentCredential: Sendable {
    let token: String
    let agent: String?

    init(_ token: String) {
        self.token = token
        self.agent = Self.subject(of: token)
    }

    private static func subject(of token: String) -> String? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[1].utf8.count <= 16_384 else { return nil }
        var base64 = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64),
            let claims = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let subject = claims["sub"] as? String, !subject.isEmpty
        else { return nil }
        return subject
    }
}
