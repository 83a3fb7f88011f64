import Cedar
import Foundation
import Logging
import MCP
import Synchronization
import WritCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// MCP's stdio framing (one JSON-RPC message a line) over two file descriptors: the
/// gateway's own standard input and output towards the agent, or the pipes of an
/// upstream server's process.
///
/// Unlike the SDK's `StdioTransport` it bounds what it reads: a line longer than
/// `maxLineBytes` is never buffered whole. When its JSON-RPC `id` can be read from
/// its first bytes and `answersOversized` is set, the transport answers it itself
/// with error -32600; otherwise the line is dropped. End of input finishes the stream
/// with `MCPError.connectionClosed`, so a client stops reading at once.
public actor LineTransport: Transport {
    public nonisolated let logger: Logger
    private let input: Int32
    private let output: Int32
    private let maxLineBytes: Int
    private let answersOversized: Bool
    private let onClose: @Sendable () -> Void
    /// What owns the descriptors (an upstream's pipes), kept alive as long as they are used.
    private let owner: (any Sendable)?
    private let stream: AsyncThrowingStream<Data, any Swift.Error>
    private let continuation: AsyncThrowingStream<Data, any Swift.Error>.Continuation
    private let writeLock = Mutex(())
    private var started = false
    /// Offered each message before it is passed on (`WritGateway.shortcut`); nil passes all on.
    private var shortcut: MessageShortcut?
    /// The ids of requests read and not yet answered (the agent side only).
    private let unanswered = Unanswered()

    /// - Parameters:
    ///   - input: the descriptor messages are read from (blocking reads, on a thread of its own).
    ///   - output: the descriptor messages are written to.
    ///   - maxLineBytes: the longest message read.
    ///   - answersOversized: whether an oversized request is answered with an error (the agent side).
    ///   - onClose: called once when input ends.
    ///   - owner: what owns the descriptors, kept alive with the transport (and its reading thread).
    public init(
        input: Int32, output: Int32, maxLineBytes: Int, answersOversized: Bool, label: String,
        onClose: @escaping @Sendable () -> Void = {}, owner: (any Sendable)? = nil
    ) {
        self.owner = owner
        self.input = input
        self.output = output
        self.maxLineBytes = maxLineBytes
        self.answersOversized = answersOversized
        self.onClose = onClose
        self.logger = Logger(label: label, factory: { _ in SwiftLogNoOpLogHandler() })
        let made = AsyncThrowingStream<Data, any Swift.Error>.makeStream()
        stream = made.stream
        continuation = made.continuation
    }

    /// Offers each message read to `take` first (before `connect`): a message it
    /// takes is answered by it, through `send`, and not passed on.
    func offer(to take: @escaping MessageShortcut) {
        shortcut = take
    }

    public func connect() async throws {
        guard !started else { return }
        started = true
        var oversized: (@Sendable (String, Int) -> Void)?
        if answersOversized {
            oversized = { [weak self] id, size in
                guard let self else { return }
                Task { await self.answerOversized(id: id, size: size) }
            }
        }
        let unanswered = answersOversized ? self.unanswered : nil
        var take: (@Sendable (Data, String?) -> Bool)?
        if let shortcut {
            take = { [weak self] message, id in
                let transport = self
                // The answer carries the id the request was read with: not read again.
                return shortcut(message) { answer in try? transport?.writeLine(answer, answering: id) }
            }
        }
        let reader = LineReader(
            descriptor: input, maxLineBytes: maxLineBytes, continuation: continuation, onClose: onClose,
            oversized: oversized, observe: { message in
                guard let unanswered, let id = Self.requestID(of: message, answer: false) else { return nil }
                unanswered.ids.withLock { _ = $0.insert(id) }
                return id
            }, take: take)
        let owner = self.owner
        // `writ.gateway.agent` shows as `gateway.agent`: the system keeps 15 bytes.
        let name = logger.label.hasPrefix("writ.") ? String(logger.label.dropFirst(5)) : logger.label
        let thread = Thread {
            ThreadName.adopt(name)
            reader.run()
            withExtendedLifetime(owner) {}
        }
        thread.name = logger.label
        thread.start()
    }

    public func disconnect() async {
        continuation.finish(throwing: MCPError.connectionClosed)
    }

    public nonisolated func send(_ data: Data) async throws {
        try writeLine(data)
    }

    /// Writes `data` as one line now, on the caller's thread (a blocking write, as
    /// `send` makes): the gateway's own path writes without a hop to the actor.
    nonisolated func writeLine(_ data: Data) throws {
        try writeLine(data, answering: answersOversized ? Self.requestID(of: data, answer: true) : nil)
    }

    /// Writes `data`, the answer to the request read with `id` (as `requestID(of:answer:)`
    /// reads it; nil when it has none), as one line now, on the caller's thread.
    nonisolated func writeLine(_ data: Data, answering id: String?) throws {
        if answersOversized, let id {
            unanswered.ids.withLock { _ = $0.remove(id) }
        }
        var line = data
        line.append(UInt8(ascii: "\n"))
        try writeLock.withLock { _ in try Self.writeAll(line, to: output) }
    }

    public func receive() -> AsyncThrowingStream<Data, any Swift.Error> { stream }

    /// Waits until every request read has been answered, or `limit` passes: so the
    /// gateway answers the calls in flight before it exits on end of input.
    public func settled(within limit: Duration) async {
        let deadline = ContinuousClock.now + limit
        while !unanswered.ids.withLock({ $0.isEmpty }), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// The id of a JSON-RPC request (`answer` false: a `method` and an `id`) or of a
    /// response (`answer` true: an `id`, no `method`), as JSON text.
    private static func requestID(of message: Data, answer: Bool) -> String? {
        guard case .object(let object)? = try? JSON.parse(Array(message), limits: idLimits),
            let id = object["id"], (object["method"] == nil) == answer
        else { return nil }
        switch id {
        case .string(let text): return "s:" + text
        case .number(let number): return "n:" + (number.int64.map { String($0) } ?? number.text)
        default: return nil
        }
    }

    /// How deep a message read for its id may nest: as deep as the SDK's `JSONDecoder` reads.
    private static let idLimits = JSONLimits(maxDepth: 512)

    private func answerOversized(id: String, size: Int) {
        let message = "the message is over \(maxLineBytes) bytes (\(size) read); the gateway accepts at most \(maxLineBytes)"
        let response = #"{"jsonrpc":"2.0","id":\#(id),"error":{"code":-32600,"message":"\#(message)"}}"#
        try? writeLock.withLock { _ in try Self.writeAll(Data((response + "\n").utf8), to: output) }
    }

    private static func writeAll(_ data: Data, to descriptor: Int32) throws {
        try data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR || errno == EAGAIN { continue }
                    throw MCPError.connectionClosed
                }
                offset += written
            }
        }
    }
}

/// The ids of the requests a `LineTransport` read and has not answered yet.
private final class Unanswered: Sendable {
    let ids = Mutex<Set<String>>([])
}

/// The blocking read loop of a `LineTransport`, run on its own thread.
final class LineReader: @unchecked Sendable {
    let descriptor: Int32
    let maxLineBytes: Int
    let continuation: AsyncThrowingStream<Data, any Swift.Error>.Continuation
    let onClose: @Sendable () -> Void
    let oversized: (@Sendable (_ id: String, _ size: Int) -> Void)?
    /// Called with each message before it is passed on; the request id it recorded, if any.
    let observe: @Sendable (Data) -> String?
    /// Offered each message after `observe`, with the id `observe` gave: true when it took
    /// it (it is not passed on).
    let take: (@Sendable (Data, String?) -> Bool)?

    init(
        descriptor: Int32, maxLineBytes: Int, continuation: AsyncThrowingStream<Data, any Swift.Error>.Continuation,
        onClose: @escaping @Sendable () -> Void, oversized: (@Sendable (String, Int) -> Void)?,
        observe: @escaping @Sendable (Data) -> String? = { _ in nil }, take: (@Sendable (Data, String?) -> Bool)? = nil
    ) {
        self.descriptor = descriptor
        self.maxLineBytes = maxLineBytes
        self.continuation = continuation
        self.onClose = onClose
        self.oversized = oversized
        self.observe = observe
        self.take = take
    }

    func run() {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var line: [UInt8] = []
        var skipped = 0  // bytes of an oversized line read past the first `maxLineBytes`
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR || errno == EAGAIN { continue }
            guard count > 0 else { break }
            var start = 0
            for index in 0..<count where buffer[index] == UInt8(ascii: "\n") {
                take(buffer[start..<index], into: &line, skipped: &skipped)
                finish(&line, skipped: &skipped)
                start = index + 1
            }
            take(buffer[start..<count], into: &line, skipped: &skipped)
        }
        continuation.finish(throwing: MCPError.connectionClosed)
        onClose()
    }

    private func take(_ bytes: ArraySlice<UInt8>, into line: inout [UInt8], skipped: inout Int) {
        let room = max(0, maxLineBytes - line.count)
        line.append(contentsOf: bytes.prefix(room))
        skipped += max(0, bytes.count - room)
    }

    private func finish(_ line: inout [UInt8], skipped: inout Int) {
        defer {
            line.removeAll(keepingCapacity: line.count <= 65_536)
            skipped = 0
        }
        guard skipped == 0 else {
            if let oversized, let id = Self.requestID(line.prefix(512)) { oversized(id, line.count + skipped) }
            return
        }
        if !line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\t") }) {
            let message = Data(line)
            let id = observe(message)
            if let take, take(message, id) { return }
            continuation.yield(message)
        }
    }

    /// The `"id"` member (a number or a plain string), as JSON text, from the start of
    /// a JSON-RPC message; nil when it is not there.
    static func requestID(_ head: ArraySlice<UInt8>) -> String? {
        guard let text = String(bytes: head, encoding: .utf8) ?? String(bytes: head.dropLast(3), encoding: .utf8),
            let key = text.range(of: #""id"\s*:\s*(-?[0-9]{1,18}|"[A-Za-z0-9_.:-]{1,128}")"#, options: .regularExpression)
        else { return nil }
        let member = text[key]
        guard let colon = member.firstIndex(of: ":") else { return nil }
        return member[member.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
}
