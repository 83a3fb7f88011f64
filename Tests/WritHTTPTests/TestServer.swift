import Foundation
import WritTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import WritCore
import WritHTTP
import WritSQLite

/// A real Writ server on loopback for one test: a fresh SQLite store in a temporary
/// directory, a decision service bootstrapped with the document-sharing fixture
/// (unless `bootstrap` is false), and a live Hummingbird server on a free port.
struct TestServer {
    var auth: WritServer.AuthMode = .off
    var limits = RequestLimits()
    var bootstrap = true
    var publicBaseURL: String?
    /// An example under `examples/` to serve instead of the fixture.
    var example: String?
    /// Serve tasks, with a key ring of one fresh signing key.
    var tasks = false
    /// The signing key of the task credentials; nil generates one.
    var signingKey: SigningKeyRecord?
    /// Where the server records decisions; nil: auditing off.
    var audit: (any AuditSink)?

    /// The issuer and audience of the task credentials the server mints.
    static let issuer = "https://writ.test"

    /// The fixture: users with a role, documents with an owner.
    static let schema = """
        entity user = { role: String };
        entity document = { owner: user, public: Bool };
        action read, write appliesTo { principal: user, resource: document };
        """
    static let policies = """
        @id("admins-read")
        permit (principal, action == Action::"read", resource) when { principal.role == "admin" };

        @id("owners")
        permit (principal, action, resource) when { resource.owner == principal };
        """
    static let entities = """
        [
          {"uid": {"type": "user", "id": "alice"}, "attrs": {"role": "admin"}, "parents": []},
          {"uid": {"type": "user", "id": "bob"}, "attrs": {"role": "staff"}, "parents": []},
          {"uid": {"type": "document", "id": "plan"}, "attrs": {"owner": {"__entity": {"type": "user", "id": "bob"}}, "public": false}, "parents": []}
        ]
        """

    /// Starts the server, runs `body` with a client and the service, and stops it.
    func run<T: Sendable>(_ body: @Sendable (Client) async throws -> T) async throws -> T {
        let directory = URL(fileURLWithPath: ScratchDirectory.path("writ-http"))
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(directory: directory.path)
        if let example {
            let loaded = try ExampleDirectory(example)
            let service = DecisionService(store: store, configuration: .init(limits: limits, authzen: loaded.mapping))
            try await service.bootstrap(loaded.draft, entities: loaded.entities)
            return try await serve(service, body)
        }
        let service = DecisionService(store: store, configuration: .init(limits: limits))
        if bootstrap {
            let draft = PolicySetDraft(
                files: [SourceFile(name: "policies.cedar", text: Self.policies)],
                schema: SchemaSource(format: .cedar, file: SourceFile(name: "schema.cedarschema", text: Self.schema)),
                author: "bootstrap")
            try await service.bootstrap(draft, entities: Array(Self.entities.utf8))
        }
        return try await serve(service, body)
    }

    private func serve<T: Sendable>(_ service: DecisionService, _ body: @Sendable (Client) async throws -> T) async throws -> T {
        var taskService: TaskService?
        var ring: CredentialKeyRing?
        if tasks {
            let key = signingKey ?? SigningKeyRecord.generate(now: Date())
            try await service.store.insertSigningKey(key)
            let keyRing = CredentialKeyRing(
                keys: [key], issuer: Self.issuer, gracePeriod: TaskCredentialSigner.gracePeriod, maxLifetime: .seconds(12 * 3600))
            taskService = TaskCredentialSigner(ring: keyRing).taskService(decisions: service, audit: audit)
            ring = keyRing
        }
        let server = WritServer(
            service: service, tasks: taskService, credentials: ring,
            configuration: .init(auth: auth, publicBaseURL: publicBaseURL, apiKeyRefresh: .zero), audit: audit)
        return try await server.makeApplication().test(.live) { client in
            try await body(Client(client: client, service: service))
        }
    }

    /// A client with shorthands for Writ's requests.
    struct Client: Sendable {
        let client: any TestClientProtocol
        let service: DecisionService

        var port: Int { client.port ?? 0 }

        /// Sends a request; `json` sets `Content-Type: application/json`.
        func send(
            _ method: HTTPRequest.Method, _ path: String, json: String? = nil, body: String? = nil,
            headers: HTTPFields = [:], key: String? = nil
        ) async throws -> Reply {
            var headers = headers
            if json != nil { headers[.contentType] = "application/json" }
            if let key { headers[.authorization] = "Bearer \(key)" }
            let payload = (json ?? body).map { ByteBuffer(string: $0) }
            let response = try await client.executeRequest(uri: path, method: method, headers: headers, body: payload)
            return Reply(status: Int(response.status.code), headers: response.headers, body: String(buffer: response.body))
        }

        /// Makes an API key in the store and returns the token to send.
        func makeKey(_ name: String, _ scopes: Set<APIKeyScope>) async throws -> (record: APIKeyRecord, token: String) {
            let (record, token) = APIKeys.generate(name: name, scopes: scopes)
            try await service.store.insertAPIKey(record)
            return (record, token.description)
        }
    }
}

/// A response: status, headers and the body as text.
struct Reply: Sendable {
    let status: Int
    let headers: HTTPFields
    let body: String

    /// The body as a JSON object (Foundation), or an empty dictionary.
    var object: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
    }

    /// `error.code` of a Writ error body.
    var errorCode: String? { (object["error"] as? [String: Any])?["code"] as? String }

    /// `error.details` of a Writ error body.
    var errorDetails: [[String: Any]] { (object["error"] as? [String: Any])?["details"] as? [[String: Any]] ?? [] }

    func header(_ name: String) -> String? {
        HTTPField.Name(name).flatMap { headers[$0] }
    }
}

/// An AuthZEN evaluation request body.
func evaluation(_ subject: String, _ action: String, _ resource: String) -> String {
    #"{"subject": {"type": "user", "id": "\#(subject)"}, "action": {"name": "\#(action)"}, "resource": {"type": "document", "id": "\#(resource)"}}"#
}
