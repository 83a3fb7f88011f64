import Foundation
import Logging
import MCP

/// The SDK server's side of one Streamable HTTP session: each `POST` of a request
/// hands its message to the server (`exchange`) and waits for the response with the
/// same JSON-RPC id; notifications and responses from the agent are handed over
/// without waiting (`deliver`). Messages the server sends on its own (notifications,
/// requests to the client) have no stream to go to (the gateway answers `GET` with
/// 405) and are dropped; the gateway sends none.
///
/// Unlike the SDK's `StatefulHTTPServerTransport` it keeps nothing once answered (no
/// event store growing with the session) and answers JSON or one-event SSE.
actor HTTPSessionTransport: Transport {
    nonisolated let logger: Logger
    private let stream: AsyncThrowingStream<Data, any Swift.Error>
    private let continuation: AsyncThrowingStream<Data, any Swift.Error>.Continuation
    /// The requests waiting for their response, by JSON-RPC id (`s:…` or `n:…`).
    private var waiting: [String: CheckedContinuation<Data?, Never>] = [:]
    private var closed = false
    /// Offered each request before it is passed on (`WritGateway.shortcut`); nil passes all on.
    private var shortcut: MessageShortcut?

    init(label: String) {
        logger = Logger(label: label, factory: { _ in SwiftLogNoOpLogHandler() })
        let made = AsyncThrowingStream<Data, any Swift.Error>.makeStream()
        stream = made.stream
        continuation = made.continuation
    }

    func connect() async throws {}

    /// Offers each request `exchange` is given to `take` first: a request it takes is
    /// answered by it, through `send`, and not passed on.
    func offer(to take: @escaping MessageShortcut) {
        shortcut = take
    }

    /// Ends the session: the requests still waiting get no response.
    func disconnect() async {
        closed = true
        continuation.finish()
        for (_, waiter) in waiting { waiter.resume(returning: nil) }
        waiting.removeAll()
    }

    func receive() -> AsyncThrowingStream<Data, any Swift.Error> { stream }

    func send(_ data: Data) async throws {
        guard let id = Self.responseID(data), let waiter = waiting.removeValue(forKey: id) else { return }
        waiter.resume(returning: data)
    }

    /// Whether a request with `id` is waiting for its response.
    func isWaiting(_ id: String) -> Bool { waiting[id] != nil }

    /// Hands a request to the server and waits for its response; nil when the session
    /// ends first, or another request with the same id is still waiting.
    func exchange(_ message: Data, id: String) async -> Data? {
        guard !closed, waiting[id] == nil else { return nil }
        return await withCheckedContinuation { waiter in
            waiting[id] = waiter
            let taken = shortcut?(message) { [weak self] answer in try? await self?.send(answer) } ?? false
            if !taken { continuation.yield(message) }
        }
    }

    /// Hands a notification or a response to the server.
    func deliver(_ message: Data) {
        guard !closed else { return }
        continuation.yield(message)
    }

    /// Gives up waiting for `id` (the HTTP request timed out): its response, when it
    /// comes, is dropped.
    func abandon(_ id: String) {
        waiting.removeValue(forKey: id)?.resume(returning: nil)
    }

    /// The id of a JSON-RPC response, as `HTTPMessage.key` writes it.
    private static func responseID(_ data: Data) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], object["method"] == nil else {
            return nil
        }
        return HTTPMessage.key(data)
    }
}

/// One JSON-RPC message posted by the agent, classified.
enum HTTPMessage {
    case request(id: String, method: String)
    case notification(method: String)
    case response

    /// The message `data` (parsed as `object`) is, or nil when it is none (no
    /// `jsonrpc: "2.0"`, an id that is neither a string nor an integer, …).
    init?(_ data: Data, object: [String: Any]) {
        guard object["jsonrpc"] as? String == "2.0" else { return nil }
        if let method = object["method"] as? String {
            if object["id"] == nil {
                self = .notification(method: method)
            } else if let id = Self.key(data) {
                self = .request(id: id, method: method)
            } else {
                return nil
            }
        } else if Self.key(data) != nil, object["result"] != nil || object["error"] != nil {
            self = .response
        } else {
            return nil
        }
    }

    /// The JSON-RPC id of `data` as the SDK reads it, as a dictionary key: `s:` and
    /// the string, `n:` and the integer; nil when it has none the SDK reads.
    static func key(_ data: Data) -> String? {
        switch (try? JSONDecoder().decode(Envelope.self, from: data))?.id {
        case .string(let text): "s:" + text
        case .number(let number): "n:\(number)"
        case nil: nil
        }
    }

    private struct Envelope: Decodable {
        let id: ID?
    }
}
