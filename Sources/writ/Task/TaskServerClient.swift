import AsyncHTTPClient
import Cedar
import Foundation
import NIOCore
import NIOHTTP1
import WritCore
import WritHTTP

/// `writ task --server URL`: the task routes of a running server over HTTP
/// (docs/HTTP.md). A refusal is reported with the server's status, error code and
/// message, and the details it gave.
final class TaskServerClient: TaskBackend {
    /// The longest reply read.
    static let maxReplyBytes = 32 << 20
    /// The header delegation sends the parent's credential in (`WritServer.taskCredentialHeader`).
    static let credentialHeader = "Writ-Task-Credential"

    /// The server's base URL, without a trailing slash.
    let base: String
    private let key: String?
    private let client: HTTPClient

    /// - Throws: when `server` is not an http:// or https:// URL with a host.
    init(server: String, key: String?) throws(TaskFailure) {
        var text = server
        while text.hasSuffix("/") { text.removeLast() }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = url.host, !host.isEmpty, url.query == nil, url.fragment == nil, url.user == nil
        else {
            throw TaskFailure("--server `\(server)` is not an http:// or https:// URL of a server (http://HOST:PORT)")
        }
        if let key, key.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value > 0x7E }) {
            throw TaskFailure("the API key holds a space or a character other than printable ASCII")
        }
        base = text
        self.key = key
        var configuration = HTTPClient.Configuration(timeout: .init(connect: .seconds(5), read: .seconds(30)))
        // One attempt: a server that is not there is reported at once, not retried for the whole timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    func open(_ opening: TaskOpening) async throws(TaskFailure) -> JSON {
        try await send(.POST, "/v1/tasks", body: TaskBody.json(opening))
    }

    func delegate(from parent: String?, credential: String, _ delegation: TaskDelegation) async throws(TaskFailure) -> JSON {
        guard let id = parent ?? Self.taskID(in: credential) else {
            throw TaskFailure("the task credential names no task (it is not a Writ task credential); give the parent task id")
        }
        return try await send(
            .POST, "/v1/tasks/\(Self.escaped(id))/delegate", body: TaskBody.json(delegation),
            headers: [(Self.credentialHeader, credential)], sendKey: false)
    }

    func close(_ id: String) async throws(TaskFailure) -> JSON {
        try await send(.POST, "/v1/tasks/\(Self.escaped(id))/close", body: nil)
    }

    func task(_ id: String) async throws(TaskFailure) -> JSON {
        try await send(.GET, "/v1/tasks/\(Self.escaped(id))", body: nil)
    }

    func tasks(agent: String?, user: String?, state: TaskState?) async throws(TaskFailure) -> JSON {
        let query = [("agent", agent), ("user", user), ("state", state?.rawValue)].compactMap { name, value in
            value.map { "\(name)=\(Self.escaped($0))" }
        }
        return try await send(.GET, "/v1/tasks" + (query.isEmpty ? "" : "?" + query.joined(separator: "&")), body: nil)
    }

    func shutdown() async throws(TaskFailure) {
        try? await client.shutdown()
    }

    // MARK: - Requests

    /// Sends one request and returns the JSON of a 2xx reply.
    func send(
        _ method: HTTPMethod, _ path: String, body: JSON?, headers: [(String, String)] = [], sendKey: Bool = true
    ) async throws(TaskFailure) -> JSON {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        if sendKey, let key { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body.encodedBytes()))
        }
        let status: UInt
        let bytes: [UInt8]
        do {
            let response = try await client.execute(request, timeout: .seconds(60))
            status = response.status.code
            bytes = Array(buffer: try await response.body.collect(upTo: Self.maxReplyBytes))
        } catch {
            throw TaskFailure("cannot reach the server at \(base): \(Self.describe(error))")
        }
        let json = try? JSON.parse(bytes)
        guard (200..<300).contains(status) else { throw Self.refusal(status: status, json: json, bytes: bytes) }
        guard let json else { throw TaskFailure("the server answered \(status) with a body that is not JSON") }
        return json
    }

    /// The server's error `{"error": {"code", "message", "details"}}` as a failure.
    private static func refusal(status: UInt, json: JSON?, bytes: [UInt8]) -> TaskFailure {
        guard let error = json?[member: "error"], let code = error[member: "code"]?.stringValue,
            let message = error[member: "message"]?.stringValue
        else {
            let text = TaskOutput.printable(String(decoding: bytes.prefix(200), as: UTF8.self))
            return TaskFailure("the server answered \(status)" + (text.isEmpty ? "" : ": \(text)"))
        }
        let details = (error[member: "details"]?.arrayValue ?? []).map { detail in
            let message = detail[member: "message"]?.stringValue ?? ""
            guard let location = detail[member: "location"] else { return TaskOutput.printable(message) }
            let place = [location[member: "file"]?.stringValue, location[member: "line"]?.int64Value.map { String($0) },
                location[member: "column"]?.int64Value.map { String($0) }].compactMap { $0 }.joined(separator: ":")
            return TaskOutput.printable(place.isEmpty ? message : "\(place): \(message)")
        }
        return TaskFailure(
            "the server answered \(status) \(TaskOutput.printable(code)): \(TaskOutput.printable(message))", details: details)
    }

    /// A connection error in a few words.
    private static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout, .getConnectionFromPoolTimeout: return "the connection timed out"
            case .deadlineExceeded, .readTimeout: return "no answer in time"
            case .remoteConnectionClosed: return "the server closed the connection"
            default: return "\(error)"
            }
        }
        let text = "\(error)"
        if text.localizedCaseInsensitiveContains("connection refused") { return "connection refused" }
        return text
    }

    /// The task id in a credential's payload (`jti`), read without verifying: the
    /// server verifies it.
    static func taskID(in credential: String) -> String? {
        let parts = credential.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        var base64 = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let payload = Data(base64Encoded: base64), let claims = try? JSON.parse(Array(payload)) else { return nil }
        return claims[member: "jti"]?.stringValue
    }

    /// `text` percent-encoded but for RFC 3986's unreserved characters: a path
    /// segment or a query value.
    static func escaped(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
