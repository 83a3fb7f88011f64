import ArgumentParser
import Foundation

/// The exit codes every `writ` command uses.
enum WritExit {
    /// Success; for `authorize`, the request was allowed.
    static let success = ExitCode(0)
    /// Bad input: unreadable files, parse errors, invalid requests.
    static let badInput = ExitCode(1)
    /// The request was denied.
    static let denied = ExitCode(2)
    /// `writ audit verify` found a bad record or checkpoint; `writ audit explain`
    /// found that a recorded decision no longer matches (or cannot be compared).
    static let verificationFailed = ExitCode(3)
}

/// An error to print and exit with `badInput`.
struct InputError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Prints `error: message` to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
}
