import Foundation
import GRDB
import WritCore

/// Writ's embedded store: one SQLite database file in WAL mode with
/// `synchronous=FULL`, shared by any number of tasks (and, through SQLite's
/// locking, processes).
///
/// Every failure surfaces as a `WritError`: `.storeUnavailable` when SQLite cannot
/// do the work now (locked past the busy timeout, disk full, I/O error),
/// `.corruptState` when the file holds something Writ cannot read (not a database,
/// damaged, not Writ's, or written by a newer Writ).
public final class SQLiteStore: WritStore {
    /// Settings for opening a store.
    public struct Configuration: Sendable {
        /// How long a write waits for another connection's lock before it fails with
        /// `.storeUnavailable`.
        public var busyTimeout: Duration
        public init(busyTimeout: Duration = .seconds(5)) {
            self.busyTimeout = busyTimeout
        }
    }

    /// The file name `init(directory:)` opens.
    public static let fileName = "writ.sqlite"

    /// The database file's path.
    public let path: String
    let pool: DatabasePool
    public var capabilities: StoreCapabilities { [.durable] }

    /// Opens (creating when missing) the store in the database file at `path`,
    /// checking it and bringing its schema up to date.
    /// - Throws: `.corruptState` when the file is not a Writ database Writ can read;
    ///   `.storeUnavailable` when it cannot be opened or is locked past the timeout.
    public init(path: String, configuration: Configuration = Configuration()) throws(WritError) {
        self.path = path
        var grdb = GRDB.Configuration()
        grdb.label = "writ"
        grdb.foreignKeysEnabled = true
        grdb.busyMode = .timeout(Self.seconds(configuration.busyTimeout))
        do {
            pool = try DatabasePool(path: path, configuration: grdb)
        } catch {
            throw SQLiteErrors.map(error, path: path, opening: true)
        }
        try SQLiteStore.prepare(pool, path: path)
    }

    /// Opens `writ.sqlite` in `directory`, creating the directory when missing.
    /// - Throws: `.storeUnavailable` when the directory cannot be created; otherwise
    ///   as `init(path:configuration:)`.
    public convenience init(directory: String, configuration: Configuration = Configuration()) throws(WritError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw WritError(
                .storeUnavailable,
                "cannot create the store directory `\(directory)`: \(SQLiteErrors.reason(error))")
        }
        let path = URL(fileURLWithPath: directory, isDirectory: true).appendingPathComponent(Self.fileName).path
        try self.init(path: path, configuration: configuration)
    }

    /// Closes the database; every later call fails with `.storeUnavailable`.
    public func close() throws(WritError) {
        do {
            try pool.close()
        } catch {
            throw SQLiteErrors.map(error, path: path)
        }
    }

    /// The durability settings in force on the connection that writes.
    public func pragmaReport() async throws(WritError) -> SQLitePragmaReport {
        try await writeWithoutTransaction { db in try SQLitePragmaReport(db) }
    }

    // MARK: - Access

    /// Runs `body` in one IMMEDIATE transaction, mapping every failure to a `WritError`.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(WritError) -> T {
        do {
            return try await pool.write(body)
        } catch {
            throw SQLiteErrors.map(error, path: path)
        }
    }

    /// Runs `body` on a reader, in a snapshot of the last committed state.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(WritError) -> T {
        do {
            return try await pool.read(body)
        } catch {
            throw SQLiteErrors.map(error, path: path)
        }
    }

    private func writeWithoutTransaction<T: Sendable>(
        _ body: @escaping @Sendable (Database) throws -> T
    ) async throws(WritError) -> T {
        do {
            return try await pool.writeWithoutTransaction(body)
        } catch {
            throw SQLiteErrors.map(error, path: path)
        }
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        let parts = duration.components
        return TimeInterval(parts.seconds) + TimeInterval(parts.attoseconds) / 1e18
    }
}
