import Foundation
import WritTestSupport
import WritProcess
import Testing

/// Runs the built `writ gateway` as a subprocess for end-to-end tests: a data
/// directory bootstrapped from Fixtures/policies, a task opened for agent `bot` with
/// Fixtures/mandate.cedar, Python upstreams (Fixtures/upstream.py) and the official
/// Python MCP client (Fixtures/agent.py) as the agent.
struct GatewayHarness {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The `writ` executable built beside the test bundle.
    static func executable() throws -> URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("writ")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        throw HarnessError("no `writ` executable beside \(CommandLine.arguments[0]); run `swift build` first")
    }

    let writ: URL
    let data: String
    /// The task credential of the opened task.
    let credential: String

    /// A fresh data directory with the fixture policies loaded and a task opened.
    init() async throws {
        writ = try Self.executable()
        data = ScratchDirectory.path("writ-gateway")
        // A gateway whose agent closes its input at once: loads the policies and
        // records the credential issuer, then exits.
        let boot = try await Self.run(
            writ, ["gateway", "--from", Self.fixtures.appendingPathComponent("policies").path, "--data", data,
                   "--public-url", "http://writ.test", "--upstream", "none=true"])
        guard boot.status == 0 else { throw HarnessError("bootstrap failed: \(boot.stderr)") }
        let opened = try await Self.run(
            writ, ["task", "open", "--data", data, "--agent", "bot", "--on-behalf-of", "alice", "--purpose", "gateway test",
                   "--mandate", Self.fixtures.appendingPathComponent("mandate.cedar").path])
        guard opened.status == 0 else { throw HarnessError("task open failed: \(opened.stderr)") }
        credential = opened.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Removes the data directory.
    func remove() {
        try? FileManager.default.removeItem(atPath: data)
    }

    /// `--upstream NAME=python3 upstream.py NAME` for each name.
    static func upstreams(_ names: [String]) -> [String] {
        let script = fixtures.appendingPathComponent("upstream.py").path
        return names.flatMap { ["--upstream", "\($0)=python3 '\(script)' \($0)"] }
    }

    /// The gateway's command line.
    func gatewayCommand(_ upstreams: [String] = ["docs", "tickets", "flaky"], extra: [String] = []) -> [String] {
        [writ.path, "gateway", "--data", data] + Self.upstreams(upstreams) + extra
    }

    /// Runs `steps` with the Python MCP client against `command`; one JSON object per step.
    /// - Parameter credential: the task credential the agent passes; nil passes none.
    static func agent(_ steps: [[String: Any]], command: [String], credential: String?) async throws -> [[String: Any]] {
        try await agent(steps, command: command, environment: agentEnvironment(credential))
    }

    /// Runs `steps` with the Python MCP client (agent.py) against `command`, in `environment`.
    static func agent(_ steps: [[String: Any]], command: [String], environment: [String: String]) async throws -> [[String: Any]] {
        let (executable, arguments) = try agentCommand(steps, command: command)
        return try agentResults(try await run(executable, arguments, environment: environment))
    }

    /// `agent(_:command:credential:)` blocking its thread: for a thread of the test's own.
    static func agentBlocking(_ steps: [[String: Any]], command: [String], credential: String?) throws -> [[String: Any]] {
        let (executable, arguments) = try agentCommand(steps, command: command)
        return try agentResults(try runBlocking(executable, arguments, environment: agentEnvironment(credential)))
    }

    /// This process's environment, with the credential for agent.py to pass on.
    private static func agentEnvironment(_ credential: String?) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["AGENT_PASS_ENV"] = "WRIT_TASK_TOKEN"
        environment["WRIT_TASK_TOKEN"] = credential
        return environment
    }

    private static func agentCommand(_ steps: [[String: Any]], command: [String]) throws -> (URL, [String]) {
        let stepsJSON = String(decoding: try JSONSerialization.data(withJSONObject: steps), as: UTF8.self)
        return (
            URL(fileURLWithPath: "/usr/bin/env"),
            ["python3", fixtures.appendingPathComponent("agent.py").path, stepsJSON, "--"] + command
        )
    }

    private static func agentResults(_ run: Run) throws -> [[String: Any]] {
        guard run.status == 0 else { throw HarnessError("the Python agent failed (\(run.status)): \(run.stderr)") }
        return try run.stdout.split(separator: "\n").map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw HarnessError("not a JSON object: \(line)")
            }
            return object
        }
    }

    func agent(_ steps: [[String: Any]], upstreams: [String] = ["docs", "tickets", "flaky"]) async throws -> [[String: Any]] {
        try await Self.agent(steps, command: gatewayCommand(upstreams), credential: credential)
    }

    /// The audit records of decision `id`, as `writ audit query --json` prints them.
    func auditRecords(decision id: String) async throws -> String {
        try await auditQuery(["--decision", id])
    }

    /// `writ audit query --json` with `filters`, on the data directory.
    func auditQuery(_ filters: [String]) async throws -> String {
        try await Self.run(writ, ["audit", "query", "--data", data, "--json"] + filters).stdout
    }

    /// `writ audit verify` on the data directory.
    func auditVerify() async throws -> Run {
        try await Self.run(writ, ["audit", "verify", "--data", data])
    }

    struct Run: Sendable {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs a process to its end with standard input closed, waiting on a thread of its
    /// own: a test that blocked a thread of the shared pool for the seconds a gateway
    /// run takes would stall every other test's tasks (two threads on two cores).
    static func run(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil) async throws -> Run {
        try await offThePool { try runBlocking(executable, arguments, environment: environment) }
    }

    /// `run(_:_:environment:)` blocking the calling thread.
    static func runBlocking(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil) throws -> Run {
        let out = Pipe(), err = Pipe()
        let process = try ChildProcess(
            executable: executable.path, arguments: arguments, environment: environment,
            standardInput: .null, standardOutput: .pipe(out), standardError: .pipe(err))
        // Both pipes are drained at once, so neither fills up and blocks the child; a
        // thread, not a task, so no thread of the shared pool waits on another.
        let errors = Drained(err.fileHandleForReading)
        let output = out.fileHandleForReading.readAllRetryingInterrupts()
        let ended = process.waitUntilExit()
        let errorData = errors.wait()
        return Run(
            status: ended.status, stdout: String(decoding: output, as: UTF8.self),
            stderr: String(decoding: errorData, as: UTF8.self))
    }
}

/// Runs `body`, which blocks, on a thread of its own and returns what it returns.
func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Everything a file handle gives until its end, read on a thread of its own.
final class Drained: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()

    init(_ handle: FileHandle) {
        Thread { [self] in
            data = handle.readAllRetryingInterrupts()
            done.signal()
        }.start()
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}

/// Members of step results.
extension Dictionary where Key == String, Value == Any {
    var tools: [String]? { self["tools"] as? [String] }
    var text: [String]? { self["text"] as? [String] }
    var errorCode: Int? { (self["error"] as? [String: Any])?["code"] as? Int }
    var errorMessage: String? { (self["error"] as? [String: Any])?["message"] as? String }
}
