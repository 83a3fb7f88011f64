import Foundation
import GRDB
import WritCore

/// Writ's embedded store: one SQLite database file in WAL mode, shared by any
/// number of tasks (and, through SQLite's locking, processes). Every commit is
/// fsynced before it returns (`synchronous=FULL`) unless the configuration chooses
/// `Durability.normal`, which bounds what power loss can take instead.
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
        /// What a commit survives once it returns.
        public var durability: Durability
        /// How often the write-ahead log is checkpointed in the background under
        /// `Durability.full`; under `.normal(syncInterval:)` it is every `syncInterval`.
        public var checkpointInterval: Duration
        /// Above this many frames (pages) in the write-ahead log after a background
        /// checkpoint, the next write first copies what that checkpoint left and then
        /// starts the log from its beginning: the usual bound on the log's size (frames
        /// of 4 KiB and a 24-byte header).
        public var walCatchUpFrames: Int
        /// Above this many frames, a background checkpoint restarts the log, holding
        /// the writer while it copies the rest: the bound when readers kept the writes
        /// from starting the log again.
        public var walRestartFrames: Int

        public init(
            busyTimeout: Duration = .seconds(5), durability: Durability = .full,
            checkpointInterval: Duration = .milliseconds(100), walCatchUpFrames: Int = 8192,
            walRestartFrames: Int = 32768
        ) {
            self.busyTimeout = busyTimeout
            self.durability = durability
            self.checkpointInterval = checkpointInterval
            self.walCatchUpFrames = walCatchUpFrames
            self.walRestartFrames = walRestartFrames
        }
    }

    /// What a commit survives once it returns.
    public enum Durability: Sendable, Equatable, CustomStringConvertible {
        /// Every commit is fsynced before it returns (`synchronous=FULL`): a committed
        /// write survives a crash of the process, of the operating system and power
        /// loss. Each commit waits for the disk.
        case full
        /// A commit is in the write-ahead log before it returns (`synchronous=NORMAL`)
        /// and survives a crash of the process; a background checkpoint every
        /// `syncInterval` fsyncs the log, so an operating-system crash or power loss loses at most
        /// the commits of about the last interval (longer only while a long read
        /// holds the log). The database stays consistent either way.
        case normal(syncInterval: Duration)

        /// The value of SQLite's `PRAGMA synchronous` this durability runs with.
        public var synchronous: Int {
            switch self {
            case .full: 2
            case .normal: 1
            }
        }

        public var description: String {
            switch self {
            case .full: "full"
            case .normal(let interval): "normal (fsynced every \(interval))"
            }
        }
    }

    /// The file name `init(directory:)` opens.
    public static let fileName = "writ.sqlite"

    /// The database file's path.
    public let path: String
    let pool: DatabasePool
    /// What commits survive.
    public let durability: Durability
    /// The background checkpoints of the write-ahead log (the writer runs none); under
    /// `Durability.normal` they also bound what power loss can take.
    private let checkpointer: SQLiteCheckpointer
    public var capabilities: StoreCapabilities { [.durable] }

    /// Opens (creating when missing) the store in the database file at `path`,
    /// checking it and bringing its schema up to date.
    /// - Throws: `.corruptState` when the file is not a Writ database Writ can read;
    ///   `.storeUnavailable` when it cannot be opened or is locked past the timeout.
    public init(path: String, configuration: Configuration = Configuration()) throws(WritError) {
        self.path = path
        self.durability = configuration.durability
        var grdb = GRDB.Configuration()
        grdb.label = "writ"
        grdb.foreignKeysEnabled = true
        grdb.busyMode = .timeout(Self.seconds(configuration.busyTimeout))
        do {
            pool = try DatabasePool(path: path, configuration: grdb)
        } catch {
            throw SQLiteErrors.map(error, path: path, opening: true)
        }
        try SQLiteStore.prepare(pool, path: path, durability: configuration.durability)
        var interval = configuration.checkpointInterval
        if case .normal(let syncInterval) = configuration.durability { interval = syncInterval }
        do {
            checkpointer = try SQLiteCheckpointer(
                path: path, busyTimeout: configuration.busyTimeout, synchronous: configuration.durability.synchronous,
                interval: interval, catchUpFrames: configuration.walCatchUpFrames,
                restartFrames: configuration.walRestartFrames)
        } catch {
            try? pool.close()
            throw SQLiteErrors.map(error, path: path, opening: true)
        }
        checkpointer.start()
    }

    deinit {
        checkpointer.stop()
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
        checkpointer.stop()
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

    /// How many background checkpoints of the write-ahead log have completed; under
    /// `Durability.normal` each has fsynced the log.
    public var durableCheckpoints: Int { checkpointer.checkpoints }

    /// How many background checkpoints restarted the write-ahead log because it held
    /// more than `Configuration.walRestartFrames` frames.
    public var walRestarts: Int { checkpointer.restarts }

    /// How many writes first copied what the background checkpoints left of a log past
    /// `Configuration.walCatchUpFrames`, so as to start it from its beginning.
    public var walCatchUps: Int { checkpointer.catchUps }

    /// Runs the background checkpoint now, as the timer does: when something was
    /// written since the last one, copies the write-ahead log into the database file,
    /// and restarts the log when it holds more than `Configuration.walRestartFrames`
    /// (past `Configuration.walCatchUpFrames`, leaves the rest to the next write).
    /// - Throws: `.storeUnavailable` when SQLite cannot (the store stays marked as
    ///   written, so the next checkpoint tries again).
    public func checkpointWAL() async throws(WritError) {
        do {
            try await checkpointer.checkpoint()
        } catch {
            throw SQLiteErrors.map(error, path: path)
        }
    }

    // MARK: - Access

    /// Runs `body` in one IMMEDIATE transaction, mapping every failure to a `WritError`.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(WritError) -> T {
        checkpointer.markDirty()
        do {
            return try await pool.writeWithoutTransaction { db in try self.transaction(db, body) }
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

    /// Runs `body` on a reader, in a snapshot of the last committed state, on the
    /// caller's thread: for a short read a decision makes, which costs less than the
    /// two thread wake-ups of `read`'s hop to a reader's queue and back. Waits while
    /// every reader is busy.
    func readNow<T>(_ body: (Database) throws -> T) throws(WritError) -> T {
        do {
            return try pool.read(body)
        } catch {
            throw SQLiteErrors.map(error, path: path)
        }
    }

    /// Runs `body` in one IMMEDIATE transaction on the caller's thread, for a short
    /// write on a decision's path. `write` hands the transaction to GRDB's writer
    /// queue and resumes on the pool afterwards: two thread wake-ups, which cost more
    /// than such a write itself. The caller's thread waits for the commit (under
    /// `Durability.full`, its fsync), and while another write runs, for that one.
    func writeNow<T>(_ body: (Database) throws -> T) throws(WritError) -> T {
        checkpointer.markDirty()
        do {
            return try pool.writeWithoutTransaction { db in try transaction(db, body) }
        } catch {
            throw SQLiteErrors.map(error, path: path)
        }
    }

    /// `body` in one IMMEDIATE transaction on `db`, the writing connection — after
    /// copying the rest of a long write-ahead log when the background checkpoint asks
    /// (`SQLiteCheckpointer.catchUp(on:)`). Rolled back when anything fails, commit
    /// included: no transaction is ever left open.
    ///
    /// `BEGIN` and `COMMIT` come from the connection's statement cache: GRDB's
    /// `inTransaction` prepares them again for every transaction, which was half the
    /// cost of a decision's `BEGIN`.
    private func transaction<T>(_ db: Database, _ body: (Database) throws -> T) throws -> T {
        checkpointer.catchUp(on: db)
        try db.cachedStatement(sql: "BEGIN IMMEDIATE TRANSACTION").execute()
        do {
            let value = try body(db)
            try db.cachedStatement(sql: "COMMIT TRANSACTION").execute()
            return value
        } catch {
            // SQLite may have rolled back already (a full disk, an I/O error); `rollback`
            // only acts while a transaction is open.
            try? db.rollback()
            throw error
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
