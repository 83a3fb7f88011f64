import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One HTTP request to the gateway, byte for byte as a test writes it: for input no
/// well-behaved MCP client sends.
struct RawHTTP {
    struct Answer {
        let status: UInt
        let headers: HTTPHeaders
        let body: String

        /// The JSON-RPC error code of the body.
        var errorCode: Int? {
            let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
            return (object?["error"] as? [String: Any])?["code"] as? Int
        }

        var sessionID: String? { headers.first(name: "Mcp-Session-Id") }
    }

    static let initialize =
        #"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}"#

    /// `method` to `url` with `body`; `Content-Type: application/json` and `Accept:
    /// application/json, text/event-stream` unless `headers` says otherwise.
    static func send(
        _ url: String, method: HTTPMethod = .POST, body: String? = nil, headers: [String: String] = [:]
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        var all = ["Content-Type": "application/json", "Accept": "application/json, text/event-stream"]
        all.merge(headers) { _, given in given }
        for (name, value) in all where !value.isEmpty { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        return Answer(status: response.status.code, headers: response.headers, body: String(buffer: bytes))
    }

    /// A session opened with `initialize` (and `notifications/initialized`); its id.
    static func session(_ url: String, credential: String?) async throws -> String? {
        let auth = credential.map { ["Authorization": "Bearer \($0)"] } ?? [:]
        let opened = try await send(url, body: initialize, headers: auth)
        guard let id = opened.sessionID else { return nil }
        _ = try await send(
            url, body: #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#, headers: auth.merging(["Mcp-Session-Id": id]) { a, _ in a })
        return id
    }
}
