import Foundation
import WritProcess
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A `writ serve` child process: started, waited for until it prints its address,
/// asked over HTTP, and stopped with a signal.
final class ServerProcess: @unchecked Sendable {
    let process: ChildProcess
    private let output = Pipe()
    private let errors = Pipe()
    /// `http://127.0.0.1:PORT`, once the server has printed it.
    private(set) var baseURL = ""
    /// Everything the server printed on standard output, up to its address line.
    private(set) var printed = ""

    /// Starts `writ serve` with `arguments` (plus `--listen 127.0.0.1:0`) and waits
    /// until it prints the address it listens on, or exits.
    init(_ arguments: [String]) throws {
        process = try ChildProcess(
            executable: CLI.executable.path, arguments: ["serve", "--listen", "127.0.0.1:0"] + arguments,
            currentDirectory: CLI.repository.path, standardOutput: .pipe(output), standardError: .pipe(errors))
        let reader = output.fileHandleForReading
        while !printed.contains("\n") {
            let data = reader.readAvailableRetryingInterrupts()
            if data.isEmpty { break }
            printed += String(decoding: data, as: UTF8.self)
        }
        if let range = printed.range(of: #"http://[0-9.]+:[0-9]+"#, options: .regularExpression) {
            baseURL = String(printed[range])
        }
    }

    /// A request to the server: status and body.
    func request(
        _ method: String, _ path: String, json: String? = nil, key: String? = nil
    ) async throws -> (status: Int, body: String) {
        guard let url = URL(string: baseURL + path) else { throw URLError(.badURL) }
        var request = URLRequest(url: url)
        request.httpMethod = method
        if let key { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        if let json {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(json.utf8)
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    /// Sends `signal`, waits for the process to exit and returns its status and what
    /// it wrote to standard error.
    func stop(_ signal: Int32 = SIGTERM) -> (status: Int32, stderr: String) {
        process.signal(signal)
        let ended = process.waitUntilExit()
        let stderr = String(decoding: errors.fileHandleForReading.readAllRetryingInterrupts(), as: UTF8.self)
        return (ended.status, stderr)
    }

    /// Sends `signal`, waits for the process to exit and returns everything it wrote
    /// after its address line on standard output, and on standard error.
    func stopCollecting(_ signal: Int32 = SIGTERM) -> (status: Int32, stdout: String, stderr: String) {
        process.signal(signal)
        let rest = String(decoding: output.fileHandleForReading.readAllRetryingInterrupts(), as: UTF8.self)
        let stopped = stop(signal)
        return (stopped.status, printed + rest, stopped.stderr)
    }

    deinit {
        process.signal(SIGKILL)
    }
}
