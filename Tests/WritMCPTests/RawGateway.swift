import Foundation
import WritProcess

/// A `writ gateway` driven byte by byte: lines written to its standard input, its
/// answers read back one line at a time. For input no well-behaved MCP client sends.
final class RawGateway: @unchecked Sendable {
    private let process: ChildProcess
    private let input = Pipe()
    private let output = Pipe()
    private let lock = NSCondition()
    private var lines: [String] = []
    private var ended = false

    init(_ command: [String], credential: String?) throws {
        var environment = ProcessInfo.processInfo.environment
        environment["WRIT_TASK_TOKEN"] = credential
        process = try ChildProcess(
            executable: command[0], arguments: Array(command.dropFirst()), environment: environment,
            standardInput: .pipe(input), standardOutput: .pipe(output), standardError: .null)
        let handle = output.fileHandleForReading
        let thread = Thread { [self] in
            var pending = Data()
            while true {
                let data = handle.readAvailableRetryingInterrupts()
                if data.isEmpty { break }
                pending.append(data)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: pending[..<newline], as: UTF8.self)
                    pending = Data(pending[(newline + 1)...])
                    lock.lock()
                    lines.append(line)
                    lock.signal()
                    lock.unlock()
                }
            }
            lock.lock()
            ended = true
            lock.broadcast()
            lock.unlock()
        }
        thread.start()
    }

    /// Writes `text` and a newline.
    func send(_ text: String) throws {
        try input.fileHandleForWriting.write(contentsOf: Data((text + "\n").utf8))
    }

    /// The next line the gateway writes, as a JSON object; nil when none comes within
    /// `timeout`. Waits on a thread of its own, not one of the shared pool.
    func next(timeout: TimeInterval = 30) async -> [String: Any]? {
        guard let line = try? await offThePool({ [self] in nextLine(timeout: timeout) }) else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }

    private func nextLine(timeout: TimeInterval) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        lock.lock()
        defer { lock.unlock() }
        while lines.isEmpty && !ended {
            guard lock.wait(until: deadline) else { return nil }
        }
        guard !lines.isEmpty else { return nil }
        return lines.removeFirst()
    }

    /// The MCP handshake.
    func initialize() async throws -> [String: Any]? {
        try send(#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}"#)
        let answer = await next()
        try send(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
        return answer
    }

    /// Closes its input, as an agent that is done does.
    func closeInput() throws {
        try input.fileHandleForWriting.close()
    }

    /// Closes its input and waits for it to exit; its exit status.
    func stop() async throws -> Int32 {
        try? input.fileHandleForWriting.close()
        return await process.exit().status
    }
}
