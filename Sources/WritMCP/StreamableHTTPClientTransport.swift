import AsyncHTTPClient
import Foundation
import Logging
import MCP
import NIOCore
import NIOHTTP1
import Synchronization

/// MCP's Streamable HTTP transport, client side, on AsyncHTTPClient: the gateway's
/// connection to an HTTP upstream (`--upstream NAME=https://…`). The SDK's own HTTP
/// client transport hangs on server-sent events on Linux.
///
/// Each message is one `POST` to the endpoint. A request's answer comes back as
/// `application/json` or as a `text/event-stream` whose events are read until the
/// stream ends; every message read is passed to the SDK's client. The session id the
/// upstream assigns (`Mcp-Session-Id`) and the protocol version it answers are sent
/// on every later message. No message, JSON body or event, is read past
/// `maxMessageBytes`. Messages sent while `UpstreamRequest.credential` is set carry it
/// as `Authorization: Bearer`. A `404` to a message of a session (the upstream ended
/// it) marks the transport closed, so the upstream is connected afresh on next use.
actor StreamableHTTPClientTransport: Transport {
    nonisolated let logger: Logger
    private let url: String
    private let maxMessageBytes: Int
    private let timeout: TimeAmount
    private let client: HTTPClient
    private let stream: AsyncThrowingStream<Data, any Swift.Error>
    private let continuation: AsyncThrowingStream<Data, any Swift.Error>.Continuation
    private var sessionID: String?
    private var protocolVersion: String?
    /// The last credential sent (one issued for this upstream's audience), for the
    /// `DELETE` that ends the session, which no agent's call sends.
    private var lastCredential: String?
    private let closed = Mutex(false)

    init(url: String, maxMessageBytes: Int, timeout: Duration, label: String) {
        self.url = url
        self.maxMessageBytes = maxMessageBytes
        let milliseconds = timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000
        self.timeout = .milliseconds(max(1, milliseconds))
        self.logger = Logger(label: label, factory: { _ in SwiftLogNoOpLogHandler() })
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: self.timeout, read: self.timeout))
        configuration.connectionPool.retryConnectionEstablishment = false
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let made = AsyncThrowingStream<Data, any Swift.Error>.makeStream()
        stream = made.stream
        continuation = made.continuation
    }

    /// Whether the transport was disconnected or the upstream ended its session.
    nonisolated var isClosed: Bool { closed.withLock { $0 } }

    func connect() async throws {}

    /// Ends the session at the upstream (`DELETE`, best effort) and closes the client.
    func disconnect() async {
        guard !closed.withLock({ let was = $0; $0 = true; return was }) else { return }
        continuation.finish(throwing: MCPError.connectionClosed)
        if let sessionID {
            var request = HTTPClientRequest(url: url)
            request.method = .DELETE
            request.headers.add(name: "Mcp-Session-Id", value: sessionID)
            if let lastCredential { request.headers.add(name: "Authorization", value: "Bearer \(lastCredential)") }
            _ = try? await client.execute(request, timeout: .seconds(2))
        }
        try? await client.shutdown()
    }

    func receive() -> AsyncThrowingStream<Data, any Swift.Error> { stream }

    func send(_ data: Data) async throws {
        guard !isClosed else { throw MCPError.connectionClosed }
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json, text/event-stream")
        if let sessionID { request.headers.add(name: "Mcp-Session-Id", value: sessionID) }
        if let protocolVersion { request.headers.add(name: "MCP-Protocol-Version", value: protocolVersion) }
        if let credential = UpstreamRequest.credential {
            request.headers.add(name: "Authorization", value: "Bearer \(credential)")
            lastCredential = credential
        }
        request.body = .bytes(ByteBuffer(bytes: data))
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: timeout)
        } catch {
            throw MCPError.transportError(error)
        }
        if let assigned = response.headers.first(name: "Mcp-Session-Id"), sessionID == nil,
            !assigned.isEmpty, assigned.utf8.allSatisfy({ (0x21...0x7E).contains($0) })
        {
            sessionID = assigned
        }
        switch response.status.code {
        case 200:
            break
        case 202:
            return
        case 404 where sessionID != nil:
            closed.withLock { $0 = true }
            continuation.finish(throwing: MCPError.connectionClosed)
            throw MCPError.internalError("the upstream ended its session (HTTP 404)")
        default:
            throw MCPError.internalError("the upstream answered HTTP \(response.status.code)")
        }
        let type = response.headers.first(name: "Content-Type")?.lowercased() ?? ""
        if type.hasPrefix("text/event-stream") {
            try await readEvents(response.body)
        } else if type.hasPrefix("application/json") {
            let body: ByteBuffer
            do {
                body = try await response.body.collect(upTo: maxMessageBytes)
            } catch {
                throw MCPError.internalError("the upstream's answer is over \(maxMessageBytes) bytes")
            }
            deliver(Data(body.readableBytesView))
        } else {
            throw MCPError.internalError("the upstream answered with Content-Type `\(type)`")
        }
    }

    /// Passes a message (or each message of a batch) to the client, noting the
    /// protocol version an initialize result names.
    private func deliver(_ message: Data) {
        guard let object = try? JSONSerialization.jsonObject(with: message) else {
            continuation.yield(message)  // the client answers the parse error
            return
        }
        let messages: [Any] = (object as? [Any]) ?? [object]
        for each in messages {
            if protocolVersion == nil, let response = each as? [String: Any],
                let result = response["result"] as? [String: Any], let version = result["protocolVersion"] as? String,
                Version.supported.contains(version)
            {
                protocolVersion = version
            }
            if let data = try? JSONSerialization.data(withJSONObject: each) { continuation.yield(data) }
        }
    }

    /// Reads server-sent events until the stream ends, passing each event's data on.
    private func readEvents(_ body: HTTPClientResponse.Body) async throws {
        var parser = ServerSentEvents(maxEventBytes: maxMessageBytes)
        do {
            for try await chunk in body {
                for event in try parser.feed(chunk.readableBytesView) { deliver(event) }
            }
        } catch let error as ServerSentEvents.TooLarge {
            throw MCPError.internalError("an event of the upstream is over \(error.limit) bytes")
        }
        for event in parser.finish() { deliver(event) }
    }
}

/// What a message the gateway sends an upstream carries, set for the task sending it.
enum UpstreamRequest {
    /// The credential issued for the upstream's audience; nil sends none.
    @TaskLocal static var credential: String?
}

/// An incremental reader of `text/event-stream` (WHATWG HTML, "server-sent events"):
/// the `data` of each event, its lines joined by `\n`; comments, `id`, `event` and
/// `retry` fields are skipped. No line or event is kept past `maxEventBytes`.
struct ServerSentEvents {
    struct TooLarge: Error {
        let limit: Int
    }

    let maxEventBytes: Int
    private var line: [UInt8] = []
    private var data: [UInt8] = []
    private var hasData = false
    private var afterCR = false

    init(maxEventBytes: Int) {
        self.maxEventBytes = maxEventBytes
    }

    /// The events `bytes` completes.
    mutating func feed(_ bytes: some Sequence<UInt8>) throws(TooLarge) -> [Data] {
        var events: [Data] = []
        for byte in bytes {
            if afterCR {
                afterCR = false
                if byte == UInt8(ascii: "\n") { continue }
            }
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                afterCR = byte == UInt8(ascii: "\r")
                if let event = endLine() { events.append(event) }
            } else {
                line.append(byte)
                guard line.count + data.count <= maxEventBytes else { throw TooLarge(limit: maxEventBytes) }
            }
        }
        return events
    }

    /// The event left when the stream ends without a blank line.
    mutating func finish() -> [Data] {
        if !line.isEmpty { _ = endLine() }
        return (hasData ? endEvent() : nil).map { [$0] } ?? []
    }

    private mutating func endLine() -> Data? {
        defer { line.removeAll(keepingCapacity: true) }
        if line.isEmpty { return hasData ? endEvent() : nil }
        if line.first == UInt8(ascii: ":") { return nil }
        let colon = line.firstIndex(of: UInt8(ascii: ":")) ?? line.endIndex
        guard line[..<colon].elementsEqual("data".utf8) else { return nil }
        var value = line[colon...].dropFirst()
        if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
        if hasData { data.append(UInt8(ascii: "\n")) }
        data.append(contentsOf: value)
        hasData = true
        return nil
    }

    /// The event's data; nil when it is empty (not dispatched, as WHATWG says).
    private mutating func endEvent() -> Data? {
        defer {
            data.removeAll(keepingCapacity: true)
            hasData = false
        }
        return data.isEmpty ? nil : Data(data)
    }
}
