import Foundation
import WritProcess
import Testing

/// A process that prints where it listens on its standard output (`writ gateway
/// --listen`, an HTTP upstream), started and waited for until it does; stopped with
/// SIGTERM.
final class ListeningProcess: @unchecked Sendable {
    let process: ChildProcess
    /// The first match of the pattern in what it printed.
    let address: String

    /// - Parameters:
    ///   - pattern: a regular expression the printed address matches.
    ///   - environment: its environment; nil inherits this process's.
    init(_ executable: URL, _ arguments: [String], printing pattern: String, environment: [String: String]? = nil) throws {
        let output = Pipe()
        process = try ChildProcess(
            executable: executable.path, arguments: arguments, environment: environment,
            standardInput: .null, standardOutput: .pipe(output), standardError: .null)
        var printed = ""
        while printed.range(of: pattern, options: .regularExpression) == nil {
            let data = output.fileHandleForReading.readAvailableRetryingInterrupts()
            if data.isEmpty { break }
            printed += String(decoding: data, as: UTF8.self)
        }
        guard let range = printed.range(of: pattern, options: .regularExpression) else {
            process.terminate()
            process.waitUntilExit()
            throw HarnessError("\(executable.lastPathComponent) did not start: \(printed)")
        }
        address = String(printed[range])
    }

    /// Stops it (SIGTERM; SIGKILL when it is still running 10 s later: uvicorn may
    /// keep waiting for connections) and waits for it to exit; its exit status.
    @discardableResult
    func stop() -> Int32 {
        process.terminate()
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning, Date() < deadline { usleep(50_000) }
        process.signal(SIGKILL)
        return process.waitUntilExit().status
    }
}

extension GatewayHarness {
    /// `writ gateway --listen 127.0.0.1:0` on the harness's data directory; its MCP
    /// endpoint's URL is `address`.
    func httpGateway(_ upstreams: [String] = ["docs", "tickets", "flaky"], extra: [String] = []) throws -> ListeningProcess {
        let command = gatewayCommand(upstreams, extra: ["--listen", "127.0.0.1:0"] + extra)
        return try ListeningProcess(
            URL(fileURLWithPath: command[0]), Array(command.dropFirst()), printing: #"http://127\.0\.0\.1:[0-9]+/mcp"#)
    }

    /// `python3 upstream.py NAME --http` (with `--json`, `--record PATH` when given);
    /// its endpoint is `http://127.0.0.1:<port>/mcp`.
    static func httpUpstream(_ name: String, json: Bool = false, record: String? = nil) throws -> (ListeningProcess, String) {
        var arguments = ["python3", fixtures.appendingPathComponent("upstream.py").path, name, "--http"]
        if json { arguments.append("--json") }
        if let record { arguments += ["--record", record] }
        let upstream = try ListeningProcess(URL(fileURLWithPath: "/usr/bin/env"), arguments, printing: #"port [0-9]+"#)
        return (upstream, "http://127.0.0.1:\(upstream.address.dropFirst(5))/mcp")
    }

    /// Runs `steps` with the Python MCP client over Streamable HTTP at `url`, with
    /// `Authorization: Bearer <credential>` when given.
    static func agent(_ steps: [[String: Any]], url: String, credential: String?) async throws -> [[String: Any]] {
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "WRIT_TASK_TOKEN")
        environment["AGENT_BEARER"] = credential
        return try await agent(steps, command: [url], environment: environment)
    }
}
