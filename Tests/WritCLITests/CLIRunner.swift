import Foundation
import WritTestSupport
import WritProcess

/// Runs the `writ` executable built beside the tests and captures what it prints.
struct CLIRun {
    let status: Int32
    let stdout: String
    let stderr: String
}

enum CLI {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("writ")
    }

    /// Runs `writ` with `arguments`, `stdin` on its standard input and `environment`
    /// added to this process's.
    static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> CLIRun {
        let out = Pipe(), err = Pipe(), input = Pipe()
        let process = try ChildProcess(
            executable: executable.path, arguments: arguments,
            environment: ProcessInfo.processInfo.environment.merging(environment) { _, given in given },
            currentDirectory: repository.path,
            standardInput: .pipe(input), standardOutput: .pipe(out), standardError: .pipe(err))
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let stdoutData = out.fileHandleForReading.readAllRetryingInterrupts()
        let stderrData = err.fileHandleForReading.readAllRetryingInterrupts()
        let ended = process.waitUntilExit()
        return CLIRun(
            status: ended.status,
            stdout: String(decoding: stdoutData, as: UTF8.self),
            stderr: String(decoding: stderrData, as: UTF8.self))
    }

    /// Writes `text` to a fresh temporary file and returns its path.
    static func temporaryFile(_ text: String, suffix: String) throws -> String {
        let url = URL(fileURLWithPath: ScratchDirectory.path("writ-cli", suffix: suffix))
        try Data(text.utf8).write(to: url)
        return url.path
    }
}
