import GRDB

/// The SQLite settings that decide durability and lock handling, as the writing
/// connection reports them.
public struct SQLitePragmaReport: Sendable, Equatable, CustomStringConvertible {
    /// `PRAGMA journal_mode`: `wal` for a store.
    public var journalMode: String
    /// `PRAGMA synchronous`: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA; a store runs with 2.
    public var synchronous: Int
    /// `PRAGMA foreign_keys`.
    public var foreignKeys: Bool
    /// `PRAGMA busy_timeout`, in milliseconds.
    public var busyTimeoutMilliseconds: Int
    /// `PRAGMA wal_autocheckpoint`: 0 for a store's writer, which leaves checkpoints to
    /// the background (`SQLiteStore.checkpointWAL()`).
    public var walAutocheckpoint: Int

    public init(
        journalMode: String, synchronous: Int, foreignKeys: Bool, busyTimeoutMilliseconds: Int, walAutocheckpoint: Int
    ) {
        self.journalMode = journalMode
        self.synchronous = synchronous
        self.foreignKeys = foreignKeys
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        self.walAutocheckpoint = walAutocheckpoint
    }

    init(_ db: Database) throws {
        journalMode = try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? ""
        synchronous = try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1
        foreignKeys = try Int.fetchOne(db, sql: "PRAGMA foreign_keys") == 1
        busyTimeoutMilliseconds = try Int.fetchOne(db, sql: "PRAGMA busy_timeout") ?? -1
        walAutocheckpoint = try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") ?? -1
    }

    public var description: String {
        "journal_mode=\(journalMode) synchronous=\(synchronous) foreign_keys=\(foreignKeys ? 1 : 0) busy_timeout=\(busyTimeoutMilliseconds) wal_autocheckpoint=\(walAutocheckpoint)"
    }
}
