import Cedar
import Foundation
import MCP
import Synchronization
import WritProcess

/// Tool calls to a stdio upstream whose results the gateway passes on without
/// decoding them into the SDK's types (docs/GATEWAY.md, "The fast path"): the request
/// is written on the upstream's pipe beside the SDK client's messages, and the
/// response with its id is taken off the pipe before the client sees it, read with
/// Writ's JSON reader, and handed, as a JSON object, to the call's completion — on the
/// transport's reading thread, so that answering the agent makes no hop.
final class UpstreamPassThrough: Sendable {
    /// What a call is completed with: the response, or why there is none.
    typealias Completion = @Sendable (Result<JSONObject, any Error>) -> Void

    private struct Calls {
        var waiting: [String: Completion] = [:]
        /// Set once the upstream's transport ended: a call made after fails at once.
        var ended: (any Error)?
    }

    private let calls = Mutex(Calls())
    /// How deep a result may nest: as deep as the SDK's `JSONDecoder` reads.
    private static let limits = JSONLimits(maxDepth: 512)

    /// Writes a request with id `id` (a string) through `send` and completes it with
    /// its response, or with `late()` once `limit` has passed (a response that comes
    /// later is dropped), or with the error `send` threw, or with the error the
    /// transport ended with. `then` runs exactly once: on the transport's reading
    /// thread for a response, on the shared timer's (`DeadlineTimer`) when late, on the
    /// caller's when the request could not be written. It must not block.
    func send(
        id: String, within limit: Duration, late: @escaping @Sendable () -> any Error, write: () throws -> Void,
        then: @escaping Completion
    ) {
        let timer = Mutex<DeadlineTimer.Token?>(nil)
        let completion: Completion = { outcome in
            if let token = timer.withLock({ $0 }) { DeadlineTimer.shared.cancel(token) }
            then(outcome)
        }
        let ended = calls.withLock { calls -> (any Error)? in
            if let ended = calls.ended { return ended }
            calls.waiting[id] = completion
            return nil
        }
        if let ended { return then(.failure(ended)) }
        let token = DeadlineTimer.shared.schedule(after: limit) { [self] in complete(id, with: .failure(late())) }
        timer.withLock { $0 = token }
        do {
            try write()
        } catch {
            complete(id, with: .failure(error))
        }
    }

    /// Completes the call waiting for `id`, if it still waits.
    private func complete(_ id: String, with outcome: Result<JSONObject, any Error>) {
        calls.withLock { $0.waiting.removeValue(forKey: id) }?(outcome)
    }

    /// Takes `message` when it is the response to a request waiting here (called on
    /// the transport's reading thread for every message from the upstream).
    func take(_ message: Data) -> Bool {
        guard calls.withLock({ !$0.waiting.isEmpty }) else { return false }
        guard let parsed = try? JSON.parse(Array(message), limits: Self.limits), case .object(let response) = parsed else {
            // Not readable by Writ's reader: when it answers a request waiting here, that call fails.
            guard let head = LineReader.requestID(Array(message.prefix(512))[...]),
                let id = try? JSONDecoder().decode(String.self, from: Data(head.utf8)),
                let waiter = calls.withLock({ $0.waiting.removeValue(forKey: id) })
            else { return false }
            waiter(.failure(MCPError.parseError("the upstream's answer is not JSON Writ reads")))
            return true
        }
        guard response["method"] == nil, case .string(let id)? = response["id"],
            let waiter = calls.withLock({ $0.waiting.removeValue(forKey: id) })
        else { return false }
        waiter(.success(response))
        return true
    }

    /// Fails every request still waiting, and every one made from now on, with
    /// `error` (the upstream ended).
    func failAll(_ error: any Error) {
        let waiters = calls.withLock { calls in
            defer { calls.waiting.removeAll() }
            calls.ended = calls.ended ?? error
            return Array(calls.waiting.values)
        }
        for waiter in waiters { waiter(.failure(error)) }
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
    /// Calls `tool` with `arguments` on a stdio upstream, within `limit`, and hands its
    /// result, as JSON text, undecoded, to `then` (on the transport's reading thread;
    /// see `UpstreamPassThrough.send`); past the limit, or when the call fails, the
    /// failure `WritGateway.forwarded` gives. False, and `then` never runs, for an
    /// upstream reached over HTTP; throws when the upstream cannot be started.
    ///
    /// While the upstream's process runs, the call is made without entering the actor.
    nonisolated func callPassingThrough(
        _ tool: String, arguments: [String: MCP.Value]?, within limit: Duration,
        then: @escaping @Sendable (Result<[UInt8], UpstreamFailure>) -> Void
    ) async throws(UpstreamFailure) -> Bool {
        let pair: (transport: LineTransport, calls: UpstreamPassThrough)
        if let live = live.withLock({ $0 }), live.process.isRunning {
            pair = (live.transport, live.calls)
        } else {
            _ = try await started()
            guard let started = await passThrough else { return false }
            pair = started
        }
        // Ids of our own: the SDK's default, a random UUID, reads /dev/urandom each time.
        // Its own requests on the same transport keep UUIDs, which these never equal.
        let id = "writ-\(Self.passThroughIDs.add(1, ordering: .relaxed).newValue)"
        let request = CallTool.request(id: .string(id), .init(name: tool, arguments: arguments))
        let late = UpstreamFailure(message: "upstream `\(spec.name)` did not answer the call to `\(tool)` in time")
        let encoded: Data
        do {
            encoded = try Self.encoded(request, tool: tool, arguments: arguments)
        } catch {
            throw await failure("failed during the call to `\(tool)`", error)
        }
        pair.calls.send(id: id, within: limit, late: { late }, write: { try pair.transport.writeLine(encoded) }) { [self] outcome in
            do {
                then(.success(try UpstreamPassThrough.result(of: outcome.get())))
            } catch let failure as UpstreamFailure {
                then(.failure(failure))
            } catch {
                // Why the call failed may be why the process ended, which the actor knows.
                Task.immediate { then(.failure(await self.failure("failed during the call to `\(tool)`", error))) }
            }
        }
        return true
    }

    /// The last id given to a call passed through, in this process.
    private static let passThroughIDs = Atomic<Int>(0)

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
