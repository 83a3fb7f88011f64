import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import WritCore

/// Writ's HTTP server: the OpenID AuthZEN 1.0 decision API, the management API,
/// health, metrics and the OpenAPI document, for one `DecisionService`.
///
/// ```swift
/// let server = WritServer(service: service, configuration: .init(port: 8180))
/// try await server.makeApplication().runService()   // stops on SIGINT/SIGTERM
/// ```
public struct WritServer: Sendable {
    /// When API keys are checked; see `Authenticator` for the rule.
    public enum AuthMode: String, Sendable, CaseIterable {
        /// Keys are required once any key has been created, even if all are revoked since (the default).
        case auto
        /// Every decision and management request needs a key.
        case required
        /// Nothing is checked; changes are recorded as made by `anonymous`.
        case off
    }

    /// Where and how the server listens.
    public struct Configuration: Sendable {
        /// The address to bind; loopback by default.
        public var host: String
        /// The port; 0 picks a free one (`makeApplication`'s `onListening` reports it).
        public var port: Int
        /// When API keys are required.
        public var auth: AuthMode
        /// The PDP identifier published as `policy_decision_point` in the AuthZEN
        /// metadata, and the base of the endpoint URLs there (no trailing slash).
        /// Nil: `http://<host>:<port>` of the listening socket.
        public var publicBaseURL: String?
        /// The `Server` response header; nil sends none.
        public var serverName: String?
        /// How stale the server's copy of the API keys may get: keys made or revoked
        /// by another process take effect within this time.
        public var apiKeyRefresh: Duration
        /// A connection idle (no request, or no progress reading one) this long is closed.
        public var idleTimeout: Duration

        public init(
            host: String = "127.0.0.1", port: Int = 8180, auth: AuthMode = .auto, publicBaseURL: String? = nil,
            serverName: String? = "writ", apiKeyRefresh: Duration = .seconds(1), idleTimeout: Duration = .seconds(30)
        ) {
            self.host = host
            self.port = port
            self.auth = auth
            self.publicBaseURL = publicBaseURL
            self.serverName = serverName
            self.apiKeyRefresh = apiKeyRefresh
            self.idleTimeout = idleTimeout
        }
    }

    public let service: DecisionService
    /// The tasks agents act in; nil serves no task routes, and AuthZEN requests about
    /// agents are denied with `no_task`.
    public let tasks: TaskService?
    /// The key ring whose public keys `/.well-known/jwks.json` publishes.
    public let credentials: CredentialKeyRing?
    /// The approvals people decide (`/v1/approvals`) and AuthZEN decisions ask for.
    public let approvals: ApprovalService
    /// The inventory `/v1/inventory` reads and changes.
    public let inventory: InventoryService
    public let configuration: Configuration
    /// Where decisions and the server's start and stop are recorded; nil records
    /// nothing (auditing off, for library users and tests that do not want it). With
    /// a sink, every decision is recorded before its response is sent, and a decision
    /// that cannot be recorded is answered 503 `audit_unavailable`, never sent. The
    /// services given (`service`, `tasks`, `approvals`) record their own changes
    /// through the sinks they were made with.
    public let audit: (any AuditSink)?
    let metrics = WritMetrics()
    let authenticator: Authenticator

    /// How often expired tasks are dropped from memory (and, with auditing, expired
    /// tasks and approvals recorded) while the application runs.
    public static let expiryInterval: Duration = .seconds(5)

    /// A server over `service`; `approvals` and `inventory` default to ones kept in the
    /// service's store, recording to `audit`.
    public init(
        service: DecisionService, tasks: TaskService? = nil, credentials: CredentialKeyRing? = nil,
        approvals: ApprovalService? = nil, inventory: InventoryService? = nil, configuration: Configuration = Configuration(),
        audit: (any AuditSink)? = nil
    ) {
        self.service = service
        self.audit = audit
        self.approvals = approvals ?? ApprovalService(store: service.store, audit: audit)
        self.inventory = inventory ?? InventoryService(decisions: service, audit: audit)
        self.tasks = tasks
        self.credentials = credentials
        self.configuration = configuration
        self.authenticator = Authenticator(
            mode: configuration.auth,
            directory: APIKeyDirectory(store: service.store, maxAge: configuration.apiKeyRefresh))
    }

    /// The Hummingbird application serving every route. Run it with `runService()`
    /// (graceful shutdown on SIGINT and SIGTERM) or as a service in a `ServiceGroup`.
    /// - Parameters:
    ///   - logger: The server's logger; nil logs at `info` to standard error.
    ///   - onListening: Called once the socket is bound, with its host and port.
    public func makeApplication(
        logger: Logger? = nil, onListening: @escaping @Sendable (_ host: String, _ port: Int) async -> Void = { _, _ in }
    ) -> Application<RouterResponder<WritRequestContext>> {
        let address = BoundAddress()
        let table = RouteTable(routes: routes(address: address))
        let router = Router(context: WritRequestContext.self)
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: ErrorMiddleware(routes: table))
        for route in table.routes {
            let authenticator = self.authenticator
            router.on(RouterPath(route.path), method: route.method) { request, context in
                var context = context
                if let scope = route.scope {
                    context.caller = try await authenticator.authenticate(request, scope: scope)
                }
                return try await route.handler(request, context)
            }
        }
        let host = configuration.host
        var services: [any Service] = []
        if let audit {
            services.append(AuditLifecycleService(audit: audit, details: ["host": host, "port": String(configuration.port)]))
        }
        if tasks != nil || audit != nil {
            services.append(TaskExpiryService(
                tasks: tasks, approvals: audit == nil ? nil : approvals, interval: Self.expiryInterval))
        }
        return Application(
            router: router,
            server: .http1(configuration: .init(idleTimeout: .nanoseconds(configuration.idleTimeout.nanoseconds))),
            configuration: ApplicationConfiguration(
                address: .hostname(host, port: configuration.port), serverName: configuration.serverName),
            services: services,
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                address.set(host: host, port: port)
                await onListening(host, port)
            },
            logger: logger)
    }

    /// Every route, in the order the OpenAPI document lists them.
    func routes(address: BoundAddress) -> [Route] {
        var routes = authZENRoutes(address: address)
        routes += filterRoutes()
        routes += callableRoutes()
        routes += taskRoutes()
        routes += approvalRoutes()
        routes += auditRoutes()
        routes += policyRoutes()
        routes += schemaRoutes()
        routes += entityRoutes()
        routes += inventoryRoutes()
        routes += operationRoutes()
        return routes
    }
}
