import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Decisions from a running `writ serve`: `POST /access/v1/evaluation` for a call and
/// `POST /v1/tools/callable` for a listing, with the agent's task credential in
/// `Writ-Task-Credential` and the gateway's API key (scope `decide`) as a bearer
/// token. The server records each decision in its audit log before it answers.
///
/// Fail closed: a server that cannot be reached, answers late, or answers anything
/// but a readable 200 is a deny (`decision_unavailable`), and an empty listing.
public final class RemoteDecider: GatewayDecider {
    /// The server's base URL, without a trailing slash.
    public let base: String
    private let key: String?
    private let client: HTTPClient
    private let timeout: TimeAmount
    /// The longest reply read.
    static let maxReplyBytes = 4 << 20

    /// - Parameters:
    ///   - server: `http://HOST:PORT` of a `writ serve`.
    ///   - key: an API key with the `decide` scope; nil sends none (a server with `--auth off`, or no keys yet).
    ///   - timeout: the longest one request may take.
    public init(server: String, key: String?, timeout: Duration) throws(UpstreamFailure) {
        var text = server
        while text.hasSuffix("/") { text.removeLast() }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = url.host, !host.isEmpty, url.query == nil, url.fragment == nil, url.user == nil
        else {
            throw UpstreamFailure(message: "--server `\(server)` is not an http:// or https:// URL of a server (http://HOST:PORT)")
        }
        if let key, key.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value > 0x7E }) {
            throw UpstreamFailure(message: "the API key holds a space or a character other than printable ASCII")
        }
        base = text
        self.key = key
        let milliseconds = Int64(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        self.timeout = .milliseconds(max(1, milliseconds))
        var configuration = HTTPClient.Configuration(timeout: .init(connect: self.timeout, read: self.timeout))
        configuration.connectionPool.retryConnectionEstablishment = false
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Closes the client's connections.
    public func shutdown() async {
        try? await client.shutdown()
    }

    public func decide(_ question: GatewayQuestion) async -> GatewayOutcome {
        guard let (status, body) = await post("/access/v1/evaluation", body: question.body, credential: question.credential) else {
            return .refused("decision_unavailable")
        }
        switch status {
        case 200: return GatewayOutcome.reading(authzen: body)
        case 400..<500 where status != 401 && status != 403: return .refused(Self.errorCode(body) ?? "invalid_request")
        default: return .refused("decision_unavailable")
        }
    }

    public func callable(_ tools: [String], credential: String) async -> Set<String> {
        guard let request = try? JSONSerialization.data(withJSONObject: ["tools": tools]),
            let (status, body) = await post("/v1/tools/callable", body: Array(request), credential: credential), status == 200,
            let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
            let callable = object["callable"] as? [String]
        else { return [] }
        return Set(callable)
    }

    /// The status and body of a POST, or nil when the server could not be asked.
    private func post(_ path: String, body: [UInt8], credential: String?) async -> (UInt, [UInt8])? {
        var request = HTTPClientRequest(url: base + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json")
        if let key { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
        if let credential { request.headers.add(name: "Writ-Task-Credential", value: credential) }
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.execute(request, timeout: timeout)
            let bytes = try await response.body.collect(upTo: Self.maxReplyBytes)
            return (response.status.code, Array(buffer: bytes))
        } catch {
            return nil
        }
    }

    /// The code of the server's error `{"error": {"code": …}}`.
    private static func errorCode(_ body: [UInt8]) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
            let error = object["error"] as? [String: Any]
        else { return nil }
        return error["code"] as? String
    }
}
