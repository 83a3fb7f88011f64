import GRDB
import WritCore

extension SQLiteStore {
    /// Checks a freshly opened file and brings it to the current format: it must be
    /// an intact SQLite database, either empty or Writ's, and no newer than this
    /// build; then the migrations run and the durability settings are verified.
    static func prepare(_ pool: DatabasePool, path: String, durability: Durability) throws(WritError) {
        let migrator = SQLiteMigrations.migrator
        do {
            try pool.writeWithoutTransaction { db in
                // GRDB puts a pool's writer in synchronous=NORMAL; unless the store
                // chose `.normal`, a committed write must survive power loss: FULL.
                try db.execute(sql: "PRAGMA synchronous = \(durability.synchronous)")
                // No checkpoint inside a commit: `SQLiteCheckpointer` runs them on a
                // connection of its own.
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
                try checkIntegrity(db, path: path)
                try checkIdentity(db, path: path, migrator: migrator)
            }
            try migrator.migrate(pool)
            try pool.writeWithoutTransaction { db in
                try checkTables(db, path: path)
                try checkPragmas(db, path: path, durability: durability)
            }
        } catch {
            try? pool.close()
            throw SQLiteErrors.map(error, path: path, opening: true)
        }
    }

    private static func checkIntegrity(_ db: Database, path: String) throws {
        let rows = try String.fetchAll(db, sql: "PRAGMA quick_check")
        guard rows != ["ok"] else { return }
        // SQLite puts several problems in one row, under a "*** in database main ***" line.
        let problems = rows.flatMap { $0.split(separator: "\n") }.filter { !$0.hasPrefix("***") }
        throw WritError(
            .corruptState,
            "the database `\(path)` fails its integrity check: \(problems.prefix(5).joined(separator: "; "))")
    }

    private static func checkIdentity(_ db: Database, path: String, migrator: DatabaseMigrator) throws {
        let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        let objects = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_schema") ?? 0
        guard applicationID == SQLiteMigrations.applicationID || (applicationID == 0 && objects == 0) else {
            throw WritError(
                .corruptState,
                "`\(path)` is a SQLite database but not a Writ store (application id \(applicationID), \(objects) schema objects)")
        }
        let format = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
        guard format <= SQLiteMigrations.formatVersion, try !migrator.hasBeenSuperseded(db) else {
            throw WritError(
                .corruptState,
                "the store `\(path)` was written by a newer Writ (store format \(format); this build reads formats up to \(SQLiteMigrations.formatVersion))")
        }
    }

    private static func checkTables(_ db: Database, path: String) throws {
        for table in SQLiteMigrations.tables where try !db.tableExists(table) {
            throw WritError(.corruptState, "the store `\(path)` has no `\(table)` table")
        }
    }

    private static func checkPragmas(_ db: Database, path: String, durability: Durability) throws {
        let report = try SQLitePragmaReport(db)
        guard report.journalMode == "wal", report.synchronous == durability.synchronous, report.foreignKeys,
            report.walAutocheckpoint == 0
        else {
            throw WritError(
                .storeUnavailable,
                "the store `\(path)` could not be opened in WAL mode with synchronous=\(durability.synchronous) and wal_autocheckpoint=0: \(report)")
        }
    }
}
