import MCP
import Synchronization
import WritCore

/// Resources and prompts through the gateway (docs/GATEWAY.md, "Resources and prompts"):
///
/// - `resources/read` is the `retrieve` checkpoint on the document
///   `Writ::Document::"<upstream>___<uri>"`; the URI is the upstream's own, routed to
///   the one upstream that lists it (a URI two upstreams list is refused, so neither
///   shadows the other).
/// - `prompts/get` is the `prompt` checkpoint on `Writ::Prompt::"<upstream>___<name>"`;
///   prompts are named `<upstream>___<name>` to the agent, as tools are.
/// - `resources/list` and `prompts/list` answer only what the task might use
///   (`GatewayDecider.usable`).
extension WritGateway {
    /// The longest resource URI the gateway reads, in bytes.
    static let maxURIBytes = 8192
    /// The most arguments a `prompts/get` may carry.
    static let maxPromptArguments = 64

    /// Registers the `resources/*` and `prompts/*` handlers on `server`.
    func serveContent(on server: Server) async {
        await server.withMethodHandler(ListResources.self) { [self] _ in
            ListResources.Result(resources: await resourceListing())
        }
        await server.withMethodHandler(ReadResource.self) { [self] parameters in
            try await read(parameters.uri)
        }
        await server.withMethodHandler(ListPrompts.self) { [self] _ in
            ListPrompts.Result(prompts: await promptListing())
        }
        await server.withMethodHandler(GetPrompt.self) { [self] parameters in
            try await prompt(parameters.name, arguments: parameters.arguments)
        }
    }

    /// The Writ document id of `uri` at `upstream`.
    static func documentID(_ uri: String, upstream: String) -> String { upstream + UpstreamSpec.separator + uri }

    // MARK: - resources

    /// Every upstream's resources that the task might read.
    func resourceListing() async -> [Resource] {
        guard let credential, credential.agent != nil else { return [] }
        let found = await gatherResources()
        let ids = found.map { Self.documentID($0.resource.uri, upstream: $0.upstream) }
        let usable = await decider.usable(ids, action: "retrieve", resourceType: "Writ::Document", credential: credential.token)
        return found.filter { usable.contains(Self.documentID($0.resource.uri, upstream: $0.upstream)) }.map(\.resource)
    }

    /// Lists every upstream's resources and records which upstreams give each URI.
    private func gatherResources() async -> [(upstream: String, resource: Resource)] {
        var found: [(upstream: String, resource: Resource)] = []
        for name in upstreamOrder {
            guard let upstream = upstreams[name] else { continue }
            let listed = await withinUpstreamTimeout(upstream, what: "list its resources") { [self] upstream in
                try await upstream.resources(credential: try await upstreamCredential(for: upstream, agentCredential: credential?.token))
            }
            switch listed {
            case .success(let resources): found += resources.map { (name, $0) }
            case .failure(let failure): Self.log("resources/list: \(failure.message); its resources are not listed")
            }
        }
        contentRoutes.record(found.map { ($0.resource.uri, $0.upstream) })
        return found
    }

    /// `resources/read`: the `retrieve` checkpoint, then the upstream's contents.
    func read(_ uri: String) async throws -> ReadResource.Result {
        guard !uri.isEmpty, uri.utf8.count <= Self.maxURIBytes, !uri.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
        else {
            throw MCPError.invalidParams("the resource URI is empty, longer than \(Self.maxURIBytes) bytes, or holds control characters")
        }
        var owners = contentRoutes.upstreams(of: uri)
        if owners.isEmpty, credential?.agent != nil {
            _ = await gatherResources()
            owners = contentRoutes.upstreams(of: uri)
        }
        guard owners.count <= 1 else {
            throw MCPError.invalidParams("resource `\(uri)` is listed by more than one upstream (\(owners.joined(separator: ", "))); it is not read")
        }
        let upstreamName = owners.first
        let subject = "the read of `\(uri)`"
        let id = Self.documentID(uri, upstream: upstreamName ?? "")
        let outcome = await decide { agent in
            try Self.evaluation(agent: agent, action: "retrieve", resource: ("document", id), context: [:])
        }
        try Self.enforce(outcome, what: subject)
        guard let upstreamName, let upstream = upstreams[upstreamName] else {
            throw MCPError.invalidParams("unknown resource `\(uri)`: no upstream lists it")
        }
        let issued = try await issuedCredential(for: upstream, subject: subject, decisionID: outcome.decisionID)
        let contents = try Self.answer(await withinUpstreamTimeout(upstream, what: "read `\(uri)`") {
            try await $0.read(uri, credential: issued)
        })
        return ReadResource.Result(contents: try await released(contents, resource: uri))
    }

    // MARK: - prompts

    /// Every upstream's prompts, named `<upstream>___<name>`, that the task might use.
    func promptListing() async -> [Prompt] {
        guard let credential, credential.agent != nil else { return [] }
        var found: [Prompt] = []
        for name in upstreamOrder {
            guard let upstream = upstreams[name] else { continue }
            let listed = await withinUpstreamTimeout(upstream, what: "list its prompts") { [self] upstream in
                try await upstream.prompts(credential: try await upstreamCredential(for: upstream, agentCredential: credential.token))
            }
            switch listed {
            case .success(let prompts):
                found += prompts.map {
                    Prompt(
                        name: name + UpstreamSpec.separator + $0.name, title: $0.title, description: $0.description,
                        arguments: $0.arguments, icons: $0.icons, meta: $0._meta)
                }
            case .failure(let failure): Self.log("prompts/list: \(failure.message); its prompts are not listed")
            }
        }
        let usable = await decider.usable(
            found.map(\.name), action: "prompt", resourceType: "Writ::Prompt", credential: credential.token)
        return found.filter { usable.contains($0.name) }
    }

    /// `prompts/get`: the `prompt` checkpoint, then the upstream's prompt.
    func prompt(_ name: String, arguments: [String: String]?) async throws -> GetPrompt.Result {
        if let arguments, arguments.count > Self.maxPromptArguments {
            throw MCPError.invalidParams("prompt `\(name)` has \(arguments.count) arguments; at most \(Self.maxPromptArguments)")
        }
        let subject = "the prompt `\(name)`"
        let outcome = await decide { agent in
            try Self.evaluation(agent: agent, action: "prompt", resource: ("prompt", name), context: [:])
        }
        try Self.enforce(outcome, what: subject)
        guard let (upstream, own) = route(name) else {
            throw MCPError.invalidParams("unknown prompt `\(name)`: prompts are named <upstream>___<prompt>")
        }
        let issued = try await issuedCredential(for: upstream, subject: subject, decisionID: outcome.decisionID)
        return try Self.answer(await withinUpstreamTimeout(upstream, what: "get the prompt `\(own)`") {
            try await $0.prompt(own, arguments: arguments, credential: issued)
        })
    }

    // MARK: - shared

    /// The credential to send `upstream` for `subject`, nil when it has no audience;
    /// when one cannot be issued, the denial of `subject` (`upstream_credential_unavailable`):
    /// the upstream is sent nothing.
    func issuedCredential(for upstream: Upstream, subject: String, decisionID: String?) async throws -> String? {
        do throws(UpstreamFailure) {
            return try await upstreamCredential(for: upstream, agentCredential: credential?.token)
        } catch {
            throw GatewayRefusal.denied(
                GatewayOutcome(decision: .deny, reason: "upstream_credential_unavailable", decisionID: decisionID),
                subject: subject)
        }
    }

    /// Throws the refusal of anything but a plain allow of `what`: an obligation the
    /// gateway cannot apply makes the allow a deny (AuthZEN Obligations Profile).
    static func enforce(_ outcome: GatewayOutcome, what: String) throws {
        switch outcome.decision {
        case .deny, .ask: throw GatewayRefusal.denied(outcome, subject: what)
        case .allow: break
        }
        guard outcome.obligations == nil else {
            throw GatewayRefusal.denied(
                GatewayOutcome(decision: .deny, reason: "obligations_unsupported", decisionID: outcome.decisionID), subject: what)
        }
    }

    /// The upstream's answer, or its failure as the JSON-RPC error -32010.
    static func answer<T>(_ result: Result<T, UpstreamFailure>) throws -> T {
        switch result {
        case .success(let value): return value
        case .failure(let failure): throw GatewayRefusal.upstream(failure)
        }
    }

    /// `work` on `upstream` within the upstream timeout.
    func withinUpstreamTimeout<T: Sendable>(
        _ upstream: Upstream, what: String, _ work: @escaping @Sendable (Upstream) async throws -> T
    ) async -> Result<T, UpstreamFailure> {
        let name = upstream.spec.name
        return await Deadline.run(
            within: configuration.upstreamTimeout,
            late: { .failure(UpstreamFailure(message: "upstream `\(name)` did not \(what) in time")) }
        ) {
            do {
                return .success(try await work(upstream))
            } catch {
                return .failure(error as? UpstreamFailure ?? UpstreamFailure(message: "upstream `\(name)` could not \(what): \(error)"))
            }
        }
    }
}

/// Which upstreams list each resource URI, as the last `resources/list` found.
final class ContentRoutes: Sendable {
    private let owners = Mutex<[String: [String]]>([:])

    /// Replaces the routes with `found` (URI, upstream).
    func record(_ found: [(String, String)]) {
        var next: [String: [String]] = [:]
        for (uri, upstream) in found where !(next[uri]?.contains(upstream) ?? false) { next[uri, default: []].append(upstream) }
        owners.withLock { $0 = next }
    }

    /// The upstreams listing `uri`.
    func upstreams(of uri: String) -> [String] { owners.withLock { $0[uri] ?? [] } }
}

extension EmbeddedDecider {
    public func usable(_ ids: [String], action: String, resourceType: String, credential: String) async -> Set<String> {
        Set(await tasks.usable(ids, action: action, resourceType: resourceType, credential: credential))
    }
}

extension GatewayDecider {
    /// Nothing (fail closed). `RemoteDecider` answers this: `writ serve` has no listing
    /// route for resources and prompts yet, so a gateway deciding remotely lists none;
    /// reads and gets are still decided.
    public func usable(_ ids: [String], action: String, resourceType: String, credential: String) async -> Set<String> { [] }
}
