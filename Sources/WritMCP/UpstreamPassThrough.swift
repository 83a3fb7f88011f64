import Cedar
import Foundation
import MCP
import Synchronization

/// Tool calls to a stdio upstream whose results the gateway passes on without
/// decoding them into the SDK's types (docs/GATEWAY.md, "The fast path"): the request
/// is written on the upstream's pipe beside the SDK client's messages, and the
/// response with its id is taken off the pipe before the client sees it, read with
/// Writ's JSON reader, and its `result` handed back as JSON text.
final class UpstreamPassThrough: Sendable {
    private let waiting = Mutex<[String: CheckedContinuation<JSONObject, any Error>]>([:])
    /// How deep a result may nest: as deep as the SDK's `JSONDecoder` reads.
    private static let limits = JSONLimits(maxDepth: 512)

    /// Sends the request `encoded` (with id `id`, a string) through `send` and waits
    /// for its response, as a JSON object.
    func exchange(id: String, send: @escaping @Sendable () async throws -> Void) async throws -> JSONObject {
        try await withCheckedThrowingContinuation { continuation in
            waiting.withLock { $0[id] = continuation }
            Task {
                do {
                    try await send()
                } catch {
                    waiting.withLock { $0.removeValue(forKey: id) }?.resume(throwing: error)
                }
            }
        }
    }

    /// Takes `message` when it is the response to a request waiting here (called on
    /// the transport's reading thread for every message from the upstream).
    func take(_ message: Data) -> Bool {
        guard waiting.withLock({ !$0.isEmpty }) else { return false }
        guard let parsed = try? JSON.parse(Array(message), limits: Self.limits), case .object(let response) = parsed else {
            // Not readable by Writ's reader: when it answers a request waiting here, that call fails.
            guard let head = LineReader.requestID(Array(message.prefix(512))[...]),
                let id = try? JSONDecoder().decode(String.self, from: Data(head.utf8)),
                let waiter = waiting.withLock({ $0.removeValue(forKey: id) })
            else { return false }
            waiter.resume(throwing: MCPError.parseError("the upstream's answer is not JSON Writ reads"))
            return true
        }
        guard response["method"] == nil, case .string(let id)? = response["id"],
            let waiter = waiting.withLock({ $0.removeValue(forKey: id) })
        else { return false }
        waiter.resume(returning: response)
        return true
    }

    /// Fails every request still waiting with `error` (the upstream ended).
    func failAll(_ error: any Error) {
        let waiters = waiting.withLock { waiting in
            defer { waiting.removeAll() }
            return Array(waiting.values)
        }
        for waiter in waiters { waiter.resume(throwing: error) }
    }

    /// The JSON text of a response's `result`; throws the response's error as the SDK
    /// client reads it, or a decoding error for a response with neither.
    static func result(of response: JSONObject) throws -> [UInt8] {
        if case .object(let result)? = response["result"] { return JSON.object(result).encodedBytes() }
        if let error = response["error"] {
            throw try JSONDecoder().decode(MCPError.self, from: Data(error.encodedBytes()))
        }
        throw MCPError.parseError("the upstream's answer has no result")
    }
}

extension Upstream {
    /// Calls `tool` with `arguments` on a stdio upstream; its result as JSON text,
    /// undecoded. Fails as `call` does; nil for an upstream reached over HTTP.
    func callPassingThrough(_ tool: String, arguments: [String: MCP.Value]?) async throws(UpstreamFailure) -> [UInt8]? {
        _ = try await started()
        guard let (transport, calls) = passThrough else { return nil }
        let request = CallTool.request(.init(name: tool, arguments: arguments))
        let id: String
        let encoded: Data
        switch request.id {
        case .string(let text): id = text
        case .number(let number): id = String(number)
        }
        do {
            encoded = try JSONEncoder().encode(request)
            let response = try await calls.exchange(id: id) { try await transport.send(encoded) }
            return try UpstreamPassThrough.result(of: response)
        } catch {
            throw failure("failed during the call to `\(tool)`", error)
        }
    }
}
