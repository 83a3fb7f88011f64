import Cedar
import Dispatch
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

    /// Writes a request with id `id` (a string) through `send` and waits for its
    /// response, as a JSON object, for at most `limit`: past it the request fails with
    /// `late()`, and a response that comes later is dropped. A timer, not a task, keeps
    /// the time, so the call makes no hop beyond the write and the response.
    func exchange(
        id: String, within limit: Duration, late: @escaping @Sendable () -> any Error, send: () throws -> Void
    ) async throws -> JSONObject {
        let timer = DispatchSource.makeTimerSource(queue: .global())
        defer { timer.cancel() }
        return try await withCheckedThrowingContinuation { continuation in
            waiting.withLock { $0[id] = continuation }
            timer.setEventHandler { [self] in
                waiting.withLock { $0.removeValue(forKey: id) }?.resume(throwing: late())
            }
            timer.schedule(deadline: Deadline.dispatchDeadline(limit))
            timer.resume()
            do {
                try send()
            } catch {
                waiting.withLock { $0.removeValue(forKey: id) }?.resume(throwing: error)
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
    /// undecoded, within `limit` (past it, the failure `WritGateway.forwarded` gives).
    /// Fails as `call` does; nil for an upstream reached over HTTP.
    func callPassingThrough(
        _ tool: String, arguments: [String: MCP.Value]?, within limit: Duration
    ) async throws(UpstreamFailure) -> [UInt8]? {
        _ = try await started()
        guard let (transport, calls) = passThrough else { return nil }
        let request = CallTool.request(.init(name: tool, arguments: arguments))
        let id: String
        switch request.id {
        case .string(let text): id = text
        case .number(let number): id = String(number)
        }
        let late = UpstreamFailure(message: "upstream `\(spec.name)` did not answer the call to `\(tool)` in time")
        do {
            let encoded = try Self.encoded(request, tool: tool, arguments: arguments)
            let response = try await calls.exchange(id: id, within: limit, late: { late }) { try transport.writeLine(encoded) }
            return try UpstreamPassThrough.result(of: response)
        } catch let failure as UpstreamFailure {
            throw failure
        } catch {
            throw failure("failed during the call to `\(tool)`", error)
        }
    }

    /// The JSON-RPC `request` calling `tool` with `arguments`, written by Writ's JSON
    /// writer unless an argument holds what only the SDK's encoder writes as it does.
    private static func encoded(
        _ request: MCP.Request<CallTool>, tool: String, arguments: [String: MCP.Value]?
    ) throws -> Data {
        var params: [(key: String, value: JSON)] = [("name", .string(tool))]
        if let arguments {
            guard let written = MCP.Value.writJSON(arguments) else { return try JSONEncoder().encode(request) }
            params.append(("arguments", .object(written)))
        }
        let message = JSON.object(JSONObject(uniqueMembers: [
            ("jsonrpc", "2.0"), ("id", request.id.writJSON), ("method", .string(CallTool.name)),
            ("params", .object(JSONObject(uniqueMembers: params))),
        ]))
        return Data(message.encodedBytes())
    }
}
