import Foundation
import MCP
import Synchronization
import WritProcess

/// Why an upstream could not answer.
public struct UpstreamFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// One upstream MCP server, reached with the SDK's client: in a subprocess over its
/// pipes, or at an HTTP endpoint over Streamable HTTP (`StreamableHTTPClientTransport`).
/// It is started (connected) on first use and, after it exits (a crash) or ends its
/// session, started again on the next use; a call in flight when it exits fails with
/// an `UpstreamFailure`.
///
/// The subprocess gets the gateway's environment without any `WRIT_*` variable, so
/// it never sees the agent's task credential; an HTTP upstream is sent only the
/// credential issued for its audience (`credential`), and none without one.
actor Upstream {
    let spec: UpstreamSpec
    private let maxMessageBytes: Int
    private let timeout: Duration
    private var running: (process: ChildProcess?, client: Client, http: StreamableHTTPClientTransport?)?
    /// What happened to the last process, for the next error message.
    private var exit: String?
    /// The running subprocess's transport, and the calls passing through it (UpstreamPassThrough.swift).
    private(set) var passThrough: (transport: LineTransport, calls: UpstreamPassThrough)?
    /// `passThrough` with its process, readable without entering the actor: a call
    /// passing through a running upstream makes no hop (`callPassingThrough`).
    nonisolated let live = Mutex<(transport: LineTransport, calls: UpstreamPassThrough, process: ChildProcess)?>(nil)

    init(spec: UpstreamSpec, maxMessageBytes: Int, timeout: Duration = .seconds(60)) {
        self.spec = spec
        self.maxMessageBytes = maxMessageBytes
        self.timeout = timeout
    }

    /// The upstream's tools, every page.
    /// - Parameter credential: sent to an HTTP upstream as `Authorization: Bearer`.
    func tools(credential: String? = nil) async throws(UpstreamFailure) -> [Tool] {
        try await sending(credential) { () async throws(UpstreamFailure) in try await listTools() }
    }

    private func listTools() async throws(UpstreamFailure) -> [Tool] {
        let client = try await started()
        var tools: [Tool] = []
        var cursor: String?
        for _ in 0..<100 {
            do {
                let page = try await client.listTools(cursor: cursor)
                tools += page.tools
                guard let next = page.nextCursor, !next.isEmpty else { return tools }
                cursor = next
            } catch {
                throw failure("could not list its tools", error)
            }
        }
        return tools
    }

    /// Calls `tool` with `arguments`; the result as the upstream gave it.
    /// - Parameter credential: sent to an HTTP upstream as `Authorization: Bearer`.
    func call(
        _ tool: String, arguments: [String: Value]?, credential: String? = nil
    ) async throws(UpstreamFailure) -> CallTool.Result {
        try await sending(credential) { () async throws(UpstreamFailure) in try await callTool(tool, arguments: arguments) }
    }

    private func callTool(_ tool: String, arguments: [String: Value]?) async throws(UpstreamFailure) -> CallTool.Result {
        let client = try await started()
        do {
            return try await client.send(CallTool.request(.init(name: tool, arguments: arguments))).value
        } catch {
            throw failure("failed during the call to `\(tool)`", error)
        }
    }

    /// Stops the subprocess (when the gateway shuts down).
    func stop() async {
        guard let (process, client, http) = running else { return }
        running = nil
        endPassThrough()
        await client.disconnect()
        await http?.disconnect()
        process?.terminate()
    }

    func failure(_ what: String, _ error: any Error) -> UpstreamFailure {
        let why = exit ?? (error as? MCPError).map { "\($0.code): \($0.localizedDescription)" } ?? "\(error)"
        return UpstreamFailure(message: "upstream `\(spec.name)` \(what): \(why)")
    }

    /// The connected client, starting the subprocess first when none runs.
    func started() async throws(UpstreamFailure) -> Client {
        if let running, running.process?.isRunning ?? !(running.http?.isClosed ?? true) { return running.client }
        if let running {
            await running.client.disconnect()
            await running.http?.disconnect()
        }
        running = nil
        endPassThrough()
        if let url = spec.url { return try await connected(to: url) }
        let toChild = Pipe(), fromChild = Pipe()
        let name = spec.name
        let process: ChildProcess
        do {
            process = try ChildProcess(
                executable: spec.command.contains("/") ? spec.command : "/usr/bin/env",
                arguments: spec.command.contains("/") ? spec.arguments : [spec.command] + spec.arguments,
                environment: ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("WRIT_") },
                standardInput: .pipe(toChild), standardOutput: .pipe(fromChild))
        } catch {
            throw UpstreamFailure(message: "upstream `\(name)` could not be started (`\(spec.command)`): \(error)")
        }
        process.onExit { [weak self] ended in
            Task { await self?.exited("its process ended (\(ended))", process: process) }
        }
        let transport = LineTransport(
            input: fromChild.fileHandleForReading.fileDescriptor, output: toChild.fileHandleForWriting.fileDescriptor,
            maxLineBytes: maxMessageBytes, answersOversized: false, label: "writ.upstream.\(name)",
            owner: PipePair(toChild: toChild, fromChild: fromChild))
        let calls = UpstreamPassThrough()
        await transport.offer { message, _ in calls.take(message) }
        let client = try await connected(over: transport, process: process, what: "did not start MCP")
        passThrough = (transport, calls)
        live.withLock { $0 = (transport, calls, process) }
        return client
    }

    /// The connected client of an HTTP upstream.
    private func connected(to url: String) async throws(UpstreamFailure) -> Client {
        let transport = StreamableHTTPClientTransport(
            url: url, maxMessageBytes: maxMessageBytes, timeout: timeout, label: "writ.upstream.\(spec.name)")
        return try await connected(over: transport, http: transport, what: "did not start MCP at \(url)")
    }

    /// A client connected (MCP `initialize`) over `transport`, kept as the running one.
    private func connected(
        over transport: any Transport, process: ChildProcess? = nil, http: StreamableHTTPClientTransport? = nil, what: String
    ) async throws(UpstreamFailure) -> Client {
        let client = Client(name: "writ-gateway", version: WritGateway.version)
        running = (process, client, http)
        exit = nil
        do {
            _ = try await client.connect(transport: transport)
        } catch {
            await stop()
            throw failure(what, error)
        }
        return client
    }

    /// The subprocess ended: its client is disconnected, failing the calls in flight.
    private func exited(_ reason: String, process: ChildProcess) async {
        guard let running, running.process === process else { return }
        exit = reason
        self.running = nil
        endPassThrough()
        await running.client.disconnect()
    }
}

extension Upstream {
    /// Fails the calls passing through the transport that ends (as its client fails its own).
    fileprivate func endPassThrough() {
        live.withLock { $0 = nil }
        passThrough?.calls.failAll(MCPError.internalError("Client disconnected"))
        passThrough = nil
    }
}

/// The two pipes of an upstream's process, kept open while its transport reads and writes them.
private struct PipePair: @unchecked Sendable {
    let toChild: Pipe
    let fromChild: Pipe
}
