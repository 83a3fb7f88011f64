import ArgumentParser
import WritCore
import WritSQLite

/// `--data DIR`: where Writ keeps its store, shared by `writ serve` and `writ keys`.
struct DataOptions: ParsableArguments {
    static let defaultDirectory = "./writ-data"

    @Option(help: "The data directory: the SQLite store (writ.sqlite) and the AuthZEN mapping (authzen.json); created when missing.")
    var data: String = DataOptions.defaultDirectory

    /// Runs `body` on the store; prints a failure (`cannot <what>: …`) and exits with
    /// `badInput`.
    func withStore<T>(_ what: String, _ body: (SQLiteStore) async throws(WritError) -> T) async throws -> T {
        do {
            return try await body(try openStore())
        } catch let error as WritError {
            printError("cannot \(what): \(error.message)")
            throw WritExit.badInput
        } catch let error as InputError {
            printError(error.description)
            throw WritExit.badInput
        }
    }

    /// Opens (creating when needed) the store in the data directory.
    func openStore(durability: SQLiteStore.Durability = .full) throws -> SQLiteStore {
        do {
            return try SQLiteStore(directory: data, configuration: .init(durability: durability))
        } catch {
            throw InputError("cannot open the store in `\(data)`: \(error.message)")
        }
    }
}
