import Cedar
import Foundation
import MCP

/// A message a transport read, offered to the gateway before the SDK's server sees
/// it: true when the gateway answers it itself through `reply`; false passes it on.
typealias MessageShortcut = @Sendable (_ message: Data, _ reply: @escaping @Sendable (Data) async -> Void) -> Bool

/// The gateway's own path for `tools/call` (docs/GATEWAY.md, "The fast path"): the
/// request is read with Writ's strict JSON reader instead of the SDK's `Value`
/// decoding, which builds and compiles a data-URL regex for every string it decodes
/// and reads each request three times (as a response, as a request, as the method's
/// parameters). The call is then made by the same `WritGateway.call` as the SDK's
/// handler makes it — the same decision, audit, upstream call and refusals — and its
/// response written as the SDK's server writes it.
///
/// Only a request the SDK would read into exactly the same `CallTool.Parameters` is
/// taken: anything else (a string starting `data:`, a number that is not an integer,
/// an unknown member, JSON the strict reader refuses, nesting past its limit …) is
/// passed on to the SDK's server unchanged, which answers it as it always has.
struct ToolCallRequest: Sendable {
    let id: MCP.ID
    let parameters: CallTool.Parameters

    /// The `tools/call` request `message` is, when the SDK would read it the same way; nil otherwise.
    init?(_ message: Data) {
        guard let parsed = try? JSON.parse(Array(message)), case .object(let request) = parsed,
            request.count == 4,
            case .string("2.0")? = request["jsonrpc"], case .string(CallTool.name)? = request["method"],
            let id = request["id"].flatMap(Self.id), case .object(let params)? = request["params"],
            case .string(let name)? = params["name"]
        else { return nil }
        var arguments: [String: MCP.Value]?
        switch params.count {
        case 1: break
        case 2:
            guard case .object(let given)? = params["arguments"], let read = Self.object(given) else { return nil }
            arguments = read
        default: return nil
        }
        self.id = id
        self.parameters = CallTool.Parameters(name: name, arguments: arguments)
    }

    /// A JSON-RPC id the SDK reads as this one: a string, or an integer.
    private static func id(_ json: JSON) -> MCP.ID? {
        switch json {
        case .string(let text): return .string(text)
        case .number(let number): return number.int64.map { .number(Int($0)) }
        default: return nil
        }
    }

    /// `json` as the SDK's `Value` decoding reads it, or nil where it might read it
    /// otherwise: a string that may be a data URL (`Value.data`), a number that is not
    /// an integer (the SDK tries `Int` before `Double`).
    private static func value(_ json: JSON) -> MCP.Value? {
        switch json {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .number(let number): return number.int64.map { .int(Int($0)) }
        case .string(let text): return text.utf8.starts(with: "data:".utf8) ? nil : .string(text)
        case .array(let items):
            var values: [MCP.Value] = []
            values.reserveCapacity(items.count)
            for item in items {
                guard let value = value(item) else { return nil }
                values.append(value)
            }
            return .array(values)
        case .object(let object): return self.object(object).map(MCP.Value.object)
        }
    }

    /// An object's members, or nil when one is not read exactly or two keys are one
    /// `String` (canonically equivalent), which the SDK's dictionary would merge.
    private static func object(_ object: JSONObject) -> [String: MCP.Value]? {
        var members: [String: MCP.Value] = Dictionary(minimumCapacity: object.count)
        for (key, member) in object.members {
            guard let value = value(member) else { return nil }
            members[key] = value
        }
        return members.count == object.count ? members : nil
    }
}

extension WritGateway {
    /// Takes `message` when it is a `tools/call` the gateway reads itself (`ToolCallRequest`),
    /// answering it through `reply` once the call is done; false for anything else.
    func shortcut(_ message: Data, reply: @escaping @Sendable (Data) async -> Void) -> Bool {
        guard let request = ToolCallRequest(message) else { return false }
        // Started on the reading thread: the call runs there until it first waits (for
        // its decision); the decision then runs there too (`Deadline.readingThread`), and
        // the call resumes there to write the request to the upstream — no hop onto the
        // pool. The next message is read once the call has been written or waits for
        // something other than this thread.
        let executor = ReadingThreadExecutor()
        Deadline.$readingThread.withValue(executor) {
            _ = Task.immediate(executorPreference: executor) { await answer(request, reply: reply) }
        }
        // The call has suspended (for its decision): what it queued on this thread runs here.
        executor.drain()
        return true
    }

    /// Answers `request` through `reply`, as the SDK's server writes a handler's
    /// answer. The result of a stdio upstream passes through undecoded, answered from
    /// the upstream's reading thread as soon as it is read; unless it must be released
    /// (`--release-to`): then the call is made as the SDK's handler makes it.
    func answer(_ request: ToolCallRequest, reply: @escaping @Sendable (Data) async -> Void) async {
        let response: MCP.Response<CallTool>
        do {
            let result: CallTool.Result
            if configuration.releaseDestination != nil {
                result = try await call(request.parameters)
            } else {
                let (upstream, tool, issued) = try await authorized(request.parameters)
                let arguments = request.parameters.arguments
                if issued == nil, upstream.spec.url == nil,
                    try await passingThrough(tool, arguments, to: upstream, answering: request.id, reply: reply)
                {
                    return
                }
                result = try await forwarded(tool, to: upstream) { () async throws(UpstreamFailure) in
                    try await upstream.call(tool, arguments: arguments, credential: issued)
                }
            }
            response = MCP.Response(id: request.id, result: result)
        } catch {
            response = MCP.Response(id: request.id, error: error as? MCPError ?? MCPError.internalError(error.localizedDescription))
        }
        if let encoded = Self.encoded(response) { await reply(encoded) }
    }

    /// `response` as the SDK's server writes it; nil when it cannot be written at all.
    private static func encoded(_ response: MCP.Response<CallTool>) -> Data? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if let encoded = try? encoder.encode(response) { return encoded }
        let failed = MCP.Response<CallTool>(id: response.id, error: MCPError.internalError("the result could not be encoded"))
        return try? encoder.encode(failed)
    }

    /// Calls `tool` at a stdio `upstream` within the upstream timeout and answers the
    /// request `id` through `reply` with its result, undecoded, or with the -32010
    /// refusal `forwarded` gives when the call fails or is late. False for an upstream
    /// reached over HTTP (nothing is answered); throws that refusal when the upstream
    /// cannot be started.
    private func passingThrough(
        _ tool: String, _ arguments: [String: MCP.Value]?, to upstream: Upstream, answering id: MCP.ID,
        reply: @escaping @Sendable (Data) async -> Void
    ) async throws -> Bool {
        do throws(UpstreamFailure) {
            return try await upstream.callPassingThrough(tool, arguments: arguments, within: configuration.upstreamTimeout) {
                outcome in
                let answer: Data?
                switch outcome {
                case .success(let raw): answer = Self.response(id: id, result: raw)
                case .failure(let failure): answer = Self.encoded(MCP.Response<CallTool>(id: id, error: GatewayRefusal.upstream(failure)))
                }
                // Written from here, the thread that read the result: on stdio, a write
                // without a hop.
                if let answer { Task.immediate { await reply(answer) } }
            }
        } catch {
            throw GatewayRefusal.upstream(error)
        }
    }

    /// A JSON-RPC response carrying `result` (JSON text) as it is, its members in the
    /// order the SDK's server writes them (sorted).
    static func response(id: MCP.ID, result: [UInt8]) -> Data {
        var response = Data(#"{"id":"#.utf8)
        response.append(contentsOf: id.writJSON.encodedBytes())
        response.append(contentsOf: #","jsonrpc":"2.0","result":"#.utf8)
        response.append(contentsOf: result)
        response.append(UInt8(ascii: "}"))
        return response
    }
}
