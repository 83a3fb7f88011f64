import Foundation
import HTTPTypes
import Hummingbird
import Logging
import MCP
import NIOCore

/// How `writ gateway --listen` serves MCP's Streamable HTTP transport.
public struct GatewayHTTPConfiguration: Sendable {
    /// How the answer to a request is sent.
    public enum Responses: String, Sendable, CaseIterable {
        /// `application/json`, one message.
        case json
        /// `text/event-stream`, one `message` event, when the agent accepts it (JSON otherwise).
        case sse
    }

    public var host: String
    public var port: Int
    /// The MCP endpoint's path.
    public var path: String
    /// The `Origin` values accepted; a request with any other `Origin` is refused (403).
    public var allowedOrigins: Set<String>
    /// The most sessions open at once; past it `initialize` is refused (503).
    public var maxSessions: Int
    /// A session not used for this long is ended.
    public var sessionIdleTimeout: Duration
    public var responses: Responses

    public init(
        host: String = "127.0.0.1", port: Int = 8181, path: String = "/mcp", allowedOrigins: Set<String> = [],
        maxSessions: Int = 1000, sessionIdleTimeout: Duration = .seconds(1800), responses: Responses = .json
    ) {
        self.host = host
        self.port = port
        self.path = path
        self.allowedOrigins = allowedOrigins
        self.maxSessions = maxSessions
        self.sessionIdleTimeout = sessionIdleTimeout
        self.responses = responses
    }
}

extension WritGateway {
    /// Serves the agents over MCP's Streamable HTTP transport (docs/GATEWAY.md, "Over
    /// HTTP") until SIGINT or SIGTERM, then ends the sessions and stops the upstreams.
    /// - Parameter onListening: called once the socket is bound, with its host and port.
    public func runHTTP(
        _ http: GatewayHTTPConfiguration, logger: Logger,
        onListening: @escaping @Sendable (_ host: String, _ port: Int) async -> Void = { _, _ in }
    ) async throws {
        let endpoint = GatewayHTTPEndpoint(gateway: self, configuration: http)
        let router = Router()
        router.post(RouterPath(http.path)) { request, _ in await endpoint.post(request) }
        router.delete(RouterPath(http.path)) { request, _ in await endpoint.delete(request) }
        router.get(RouterPath(http.path)) { request, _ in endpoint.get(request) }
        let host = http.host
        let app = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(host, port: http.port), serverName: "writ-gateway"),
            onServerRunning: { channel in await onListening(host, channel.localAddress?.port ?? 0) },
            logger: logger)
        try await app.runService()
        await endpoint.sessions.closeAll()
        await stopUpstreams()
    }
}

/// The MCP endpoint: `POST` carries one JSON-RPC message, `DELETE` ends a session,
/// `GET` (a stream of the server's own messages) is not offered (405).
struct GatewayHTTPEndpoint: Sendable {
    let gateway: WritGateway
    let configuration: GatewayHTTPConfiguration
    let sessions: GatewaySessions

    init(gateway: WritGateway, configuration: GatewayHTTPConfiguration) {
        self.gateway = gateway
        self.configuration = configuration
        sessions = GatewaySessions(
            gateway: gateway, maxSessions: configuration.maxSessions, idleTimeout: configuration.sessionIdleTimeout)
    }

    static let sessionHeader = HTTPField.Name("Mcp-Session-Id")!
    static let versionHeader = HTTPField.Name("MCP-Protocol-Version")!
    static let originHeader = HTTPField.Name("Origin")!

    func post(_ request: Request) async -> Response {
        if let refused = checkOrigin(request) { return refused }
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.split(separator: ";").first?.trimmingCharacters(in: .whitespaces) == "application/json" else {
            return Self.error(415, nil, -32600, "the body must be Content-Type application/json")
        }
        let accepted = request.headers[values: .accept].joined(separator: ",").lowercased()
        let takesJSON = ["application/json", "application/*", "*/*"].contains { accepted.contains($0) }
        let takesSSE = accepted.contains("text/event-stream")
        guard takesJSON || takesSSE else {
            return Self.error(406, nil, -32600, "Accept must list application/json or text/event-stream")
        }
        let sse = takesSSE && (configuration.responses == .sse || !takesJSON)
        let credential: String?
        switch Self.credential(request) {
        case .success(let given): credential = given
        case .failure(let refused): return refused.response
        }
        if let version = request.headers[Self.versionHeader], !Version.supported.contains(version) {
            return Self.error(400, nil, -32600, "MCP-Protocol-Version `\(Self.shown(version))` is not supported")
        }
        let body: Data
        do {
            var request = request
            body = Data(try await request.collectBody(upTo: gateway.configuration.maxMessageBytes).readableBytesView)
        } catch {
            return Self.error(
                413, nil, -32600,
                "the message is over \(gateway.configuration.maxMessageBytes) bytes; the gateway accepts at most that")
        }
        guard let parsed = try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) else {
            return Self.error(400, nil, -32700, "the body is not JSON")
        }
        guard let object = parsed as? [String: Any] else {
            let what = parsed is [Any] ? "a batch: send one JSON-RPC message a request" : "not a JSON-RPC message"
            return Self.error(400, nil, -32600, "the body is \(what)")
        }
        guard let message = HTTPMessage(body, object: object) else {
            return Self.error(400, object["id"], -32600, "the body is not a JSON-RPC 2.0 request, notification or response")
        }
        let given = request.headers[Self.sessionHeader]
        let sessionID: String
        let transport: HTTPSessionTransport
        if case .request(_, "initialize") = message {
            guard given == nil else {
                return Self.error(400, object["id"], -32600, "initialize opens a session: send it without Mcp-Session-Id")
            }
            guard let opened = await sessions.open(credential: credential) else {
                return Self.error(503, object["id"], -32603, "the gateway has \(configuration.maxSessions) sessions open")
            }
            (sessionID, transport) = opened
        } else {
            switch await lookUp(given, credential: credential, id: object["id"]) {
            case .success(let found): (sessionID, transport) = found
            case .failure(let refused): return refused.response
            }
        }
        guard case .request(let id, _) = message else {
            await transport.deliver(body)
            return Response(status: .accepted, headers: [Self.sessionHeader: sessionID])
        }
        let limit = gateway.configuration.decisionTimeout + gateway.configuration.upstreamTimeout + .seconds(5)
        let answer = await Deadline.run(within: limit, late: { Data?.none }) { await transport.exchange(body, id: id) }
        guard let answer else {
            await transport.abandon(id)
            let why = await transport.isWaiting(id) ? "another request with this id is in flight" : "the gateway did not answer in time"
            return Self.error(200, object["id"], -32603, why, session: sessionID)
        }
        if sse {
            var event = Data("event: message\ndata: ".utf8)
            event.append(answer)
            event.append(contentsOf: Array("\n\n".utf8))
            return Response(
                status: .ok,
                headers: [.contentType: "text/event-stream", .cacheControl: "no-cache", Self.sessionHeader: sessionID],
                body: .init(byteBuffer: ByteBuffer(bytes: event)))
        }
        return Response(
            status: .ok, headers: [.contentType: "application/json", Self.sessionHeader: sessionID],
            body: .init(byteBuffer: ByteBuffer(bytes: answer)))
    }

    func delete(_ request: Request) async -> Response {
        if let refused = checkOrigin(request) { return refused }
        let credential: String?
        switch Self.credential(request) {
        case .success(let given): credential = given
        case .failure(let refused): return refused.response
        }
        switch await lookUp(request.headers[Self.sessionHeader], credential: credential, id: nil) {
        case .success(let (id, _)):
            await sessions.close(id)
            return Response(status: .noContent)
        case .failure(let refused):
            return refused.response
        }
    }

    func get(_ request: Request) -> Response {
        if let refused = checkOrigin(request) { return refused }
        return Response(status: .methodNotAllowed, headers: [.allow: "POST, DELETE"])
    }

    // MARK: - Checks

    /// 403 for an `Origin` not allowed (DNS rebinding: a web page the agent's user
    /// opens must not reach the gateway); requests without `Origin` pass.
    private func checkOrigin(_ request: Request) -> Response? {
        guard let origin = request.headers[Self.originHeader] else { return nil }
        guard configuration.allowedOrigins.contains(origin) else {
            return Self.error(403, nil, -32600, "Origin `\(Self.shown(origin))` is not allowed")
        }
        return nil
    }

    /// The agent's task credential: `Authorization: Bearer <credential>`, nil when there
    /// is no `Authorization`; 401 when it is not a bearer credential.
    static func credential(_ request: Request) -> Result<String?, Refusal> {
        let values = request.headers[values: .authorization]
        guard let value = values.first else { return .success(nil) }
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard values.count == 1, parts.count == 2, parts[0].lowercased() == "bearer",
            (1...16_384).contains(parts[1].utf8.count), parts[1].utf8.allSatisfy({ (0x21...0x7E).contains($0) })
        else {
            var refused = error(401, nil, -32600, "Authorization must be `Bearer <task credential>`")
            refused.headers[.wwwAuthenticate] = #"Bearer error="invalid_request""#
            return .failure(Refusal(response: refused))
        }
        return .success(String(parts[1]))
    }

    /// The session `given` names, opened with `credential`: 400 without a session id,
    /// 404 for one that is unknown or ended, 403 for another credential.
    private func lookUp(
        _ given: String?, credential: String?, id: Any?
    ) async -> Result<(String, HTTPSessionTransport), Refusal> {
        guard let given else {
            return .failure(Refusal(response: Self.error(400, id, -32600, "Mcp-Session-Id is missing: initialize first")))
        }
        switch await sessions.find(given, credential: credential) {
        case .found(let transport): return .success((given, transport))
        case .unknown: return .failure(Refusal(response: Self.error(404, id, -32600, "no session `\(Self.shown(given))`: initialize again")))
        case .otherCredential:
            return .failure(Refusal(response: Self.error(403, id, -32600, "the session was opened with another credential")))
        }
    }

    struct Refusal: Error {
        let response: Response
    }

    /// A JSON-RPC error as an HTTP response with `status`.
    static func error(_ status: Int, _ id: Any?, _ code: Int, _ message: String, session: String? = nil) -> Response {
        let object: [String: Any] = ["jsonrpc": "2.0", "id": id ?? NSNull(), "error": ["code": code, "message": message]]
        let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
        var headers: HTTPFields = [.contentType: "application/json"]
        if let session { headers[sessionHeader] = session }
        return Response(
            status: HTTPResponse.Status(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A header value as an error message quotes it: at most 64 characters.
    static func shown(_ value: String) -> String {
        value.count <= 64 ? value : String(value.prefix(64)) + "…"
    }
}

/// The open sessions: each an SDK server over an `HTTPSessionTransport`, acting for
/// the credential it was opened with (a `WritGateway` sharing the upstreams).
actor GatewaySessions {
    enum Lookup {
        case found(HTTPSessionTransport)
        case unknown
        case otherCredential
    }

    private struct Session {
        let transport: HTTPSessionTransport
        let server: Server
        let credential: String?
        var lastUsed: ContinuousClock.Instant
    }

    private let gateway: WritGateway
    private let maxSessions: Int
    private let idleTimeout: Duration
    private var sessions: [String: Session] = [:]

    init(gateway: WritGateway, maxSessions: Int, idleTimeout: Duration) {
        self.gateway = gateway
        self.maxSessions = maxSessions
        self.idleTimeout = idleTimeout
    }

    /// A new session acting for `credential`; nil when `maxSessions` are open.
    func open(credential: String?) async -> (String, HTTPSessionTransport)? {
        await endIdle()
        guard sessions.count < maxSessions else { return nil }
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<24).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let id = "mcp_" + Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        let transport = HTTPSessionTransport(label: "writ.gateway.session")
        let sessionGateway = WritGateway(sharing: gateway, credential: credential)
        await transport.offer { message, reply in sessionGateway.shortcut(message, reply: reply) }
        let server = await sessionGateway.makeServer()
        do {
            try await server.start(transport: transport)
        } catch {
            return nil
        }
        // Other sessions may have opened while this one started (the actor is reentrant).
        guard sessions.count < maxSessions else {
            await transport.disconnect()
            await server.stop()
            return nil
        }
        sessions[id] = Session(transport: transport, server: server, credential: credential, lastUsed: .now)
        return (id, transport)
    }

    func find(_ id: String, credential: String?) -> Lookup {
        guard var session = sessions[id] else { return .unknown }
        guard session.credential == credential else { return .otherCredential }
        session.lastUsed = .now
        sessions[id] = session
        return .found(session.transport)
    }

    func close(_ id: String) async {
        guard let session = sessions.removeValue(forKey: id) else { return }
        await session.transport.disconnect()
        await session.server.stop()
    }

    func closeAll() async {
        for id in Array(sessions.keys) { await close(id) }
    }

    private func endIdle() async {
        let now = ContinuousClock.now
        for (id, session) in sessions where now - session.lastUsed > idleTimeout { await close(id) }
    }
}
