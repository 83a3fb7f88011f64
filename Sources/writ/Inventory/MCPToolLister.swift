import Foundation
import Synchronization
import MCP
import SystemPackage
import WritCore
import WritMCP
import WritProcess

/// Lists the tools of an MCP server with the MCP Swift SDK — started as a child
/// process and reached over stdio, or at a Streamable HTTP endpoint (`url`):
/// initialize, then `tools/list` page by page.
struct MCPToolLister {
    /// What the server said about itself and its tools.
    struct Listing {
        var serverName: String
        var tools: [ToolDefinition]
    }

    /// The most tools one server may list.
    static let maxTools = 10_000
    let command: [String]
    /// The server's Streamable HTTP endpoint; when set, `command` is not used.
    var url: String?
    /// How long the server has to start and list its tools.
    var timeout: Duration = .seconds(30)

    /// Starts `command`, lists its tools and stops it; or lists the tools at `url`.
    func list() async throws -> Listing {
        if let url { return try await list(at: url) }
        guard let executable = command.first else { throw InputError("give the MCP server's command after `--`") }
        // A server that exits early must be an error, not a SIGPIPE that ends `writ`.
        signal(SIGPIPE, SIG_IGN)
        let toServer = Pipe(), fromServer = Pipe()
        let process: ChildProcess
        do {
            process = try ChildProcess(
                executable: "/usr/bin/env", arguments: [executable] + command.dropFirst(),
                standardInput: .pipe(toServer), standardOutput: .pipe(fromServer))
        } catch {
            throw InputError("cannot start `\(executable)`: \(error)")
        }
        let transport = StdioTransport(
            input: FileDescriptor(rawValue: fromServer.fileHandleForReading.fileDescriptor),
            output: FileDescriptor(rawValue: toServer.fileHandleForWriting.fileDescriptor))
        let client = Client(name: "writ", version: "0.1.0")
        let listing: Listing
        do {
            listing = try await Self.withTimeout(timeout, what: "`\(executable)` did not list its tools") {
                let initialized = try await client.connect(transport: transport)
                var definitions: [ToolDefinition] = []
                var cursor: String?
                repeat {
                    let page = try await client.listTools(cursor: cursor)
                    for tool in page.tools { definitions.append(try Self.definition(tool)) }
                    guard definitions.count <= Self.maxTools else {
                        throw InputError("the server lists more than \(Self.maxTools) tools")
                    }
                    cursor = page.nextCursor
                } while cursor != nil
                return Listing(serverName: initialized.serverInfo.name, tools: definitions)
            }
        } catch {
            await client.disconnect()
            await Self.stop(process, input: toServer)
            throw error
        }
        await client.disconnect()
        await Self.stop(process, input: toServer)
        return listing
    }

    /// Closes the server's standard input (an MCP stdio server exits then), and
    /// terminates it, then kills it, if it is still running after a second each.
    static func stop(_ process: ChildProcess, input: Pipe) async {
        try? input.fileHandleForWriting.close()
        for step in 0..<3 {
            for _ in 0..<20 where process.isRunning { try? await Task.sleep(for: .milliseconds(50)) }
            guard process.isRunning else { return }
            process.signal(step == 0 ? SIGTERM : SIGKILL)
        }
    }

    /// The tools of the MCP server at `url`.
    private func list(at url: String) async throws -> Listing {
        let timeout = self.timeout
        let listed: MCPEndpoint.ToolListing
        do {
            listed = try await Self.withTimeout(timeout, what: "`\(url)` did not list its tools") {
                try await MCPEndpoint.tools(at: url, timeout: timeout, maxTools: Self.maxTools)
            }
        } catch let error as WritError {
            throw InputError(error.message)
        }
        return Listing(serverName: listed.serverName, tools: try listed.tools.map(Self.definition))
    }

    /// A tool as the inventory pins it.
    static func definition(_ tool: Tool) throws -> ToolDefinition {
        do throws(WritError) {
            return try ToolDefinition(mcp: tool)
        } catch {
            throw InputError("tool `\(tool.name)`: \(error.message)")
        }
    }

    /// `body`, or an error naming `what` once `limit` passes — without waiting for
    /// `body` to notice it was cancelled (the SDK's requests do not).
    static func withTimeout<T: Sendable>(
        _ limit: Duration, what: String, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let once = Once<T>()
        return try await withCheckedThrowingContinuation { continuation in
            once.set(continuation)
            let work = Task {
                do { once.resume(.success(try await body())) } catch { once.resume(.failure(error)) }
            }
            Task {
                try? await Task.sleep(for: limit)
                if once.resume(.failure(InputError("\(what) within \(limit)"))) { work.cancel() }
            }
        }
    }

    /// A continuation resumed at most once.
    final class Once<T: Sendable>: Sendable {
        private let state = Mutex<(CheckedContinuation<T, any Error>?, Bool)>((nil, false))

        func set(_ continuation: CheckedContinuation<T, any Error>) {
            state.withLock { $0.0 = continuation }
        }

        /// Resumes with `result` unless resumed before; whether this call resumed it.
        @discardableResult
        func resume(_ result: Result<T, any Error>) -> Bool {
            let continuation: CheckedContinuation<T, any Error>? = state.withLock { s in
                guard !s.1, let c = s.0 else { return nil }
                s.1 = true
                return c
            }
            continuation?.resume(with: result)
            return continuation != nil
        }
    }
}
