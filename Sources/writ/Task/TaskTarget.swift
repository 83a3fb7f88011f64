import ArgumentParser
import Foundation

/// `--server URL` and `--key KEY`, or `--data DIR`: where a `writ task` verb works.
struct TaskTarget: ParsableArguments {
    /// The environment variable the API key is read from when `--key` is not given.
    static let keyVariable = "WRIT_API_KEY"

    @Option(help: "A running Writ server, http://HOST:PORT (or https://). Without it, the data directory is used in this process.")
    var server: String?

    @Option(help: ArgumentHelp(
        "The API key for --server (the `tasks` scope, but for delegate). Default: $WRIT_API_KEY, which keeps it off the command line.",
        valueName: "key"))
    var key: String?

    @OptionGroup var data: DataOptions

    /// What a local verb needs from the data directory.
    enum LocalUse {
        /// Reading tasks only.
        case read
        /// Closing: the signing key signs the receipt.
        case close
        /// Opening or delegating: the policy set, the signing key and the issuer.
        case mint
        /// Deciding approvals: the audit log only.
        case approve
    }

    /// Runs `body` on the server or the data directory. A failure is printed as
    /// `error: cannot <what>: …` (with its details below) and exits with `badInput`.
    func run<T>(
        _ what: String, local use: LocalUse, _ body: (any TaskBackend) async throws(TaskFailure) -> T
    ) async throws -> T {
        let backend: any TaskBackend
        do {
            backend = try await makeBackend(use)
        } catch {
            printError("cannot \(what): \(error)")
            throw WritExit.badInput
        }
        do {
            let result = try await body(backend)
            try await backend.shutdown()
            return result
        } catch {
            try? await backend.shutdown()
            printError("cannot \(what): \(error)")
            throw WritExit.badInput
        }
    }

    private func makeBackend(_ use: LocalUse) async throws(TaskFailure) -> any TaskBackend {
        guard let server else { return try await LocalTaskBackend.open(data, use: use) }
        guard data.data == DataOptions.defaultDirectory else {
            throw TaskFailure("give --server or --data, not both: with --server the server's own data directory is used")
        }
        let key = key ?? ProcessInfo.processInfo.environment[Self.keyVariable].flatMap { $0.isEmpty ? nil : $0 }
        return try TaskServerClient(server: server, key: key)
    }
}

/// Runs `body`, which checks a verb's arguments; an `InputError` is printed and exits
/// with `badInput` before anything is asked of a server or a store.
func checkedInput<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as InputError {
        printError(error.description)
        throw WritExit.badInput
    }
}
