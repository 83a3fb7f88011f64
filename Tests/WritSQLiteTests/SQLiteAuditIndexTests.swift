import GRDB
import Testing
import WritCore
import WritSQLite

/// The indexes on the audit log (format 7): the selective ones and time, none on the
/// columns that take a handful of values.
@Suite struct SQLiteAuditIndexTests {
    private func indexes(_ path: String) throws -> [String] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_record' ORDER BY name")
        }
    }

    @Test func aNewStoreIndexesTheAuditLogByTaskAgentUserResourceDecisionAndTime() throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path)
        try store.close()
        #expect(try indexes(store.path) == [
            "audit_by_agent", "audit_by_decision", "audit_by_resource", "audit_by_task", "audit_by_time", "audit_by_user",
        ])
    }

    @Test func aFormatSixStoreLosesItsIndexesOnActionKindAndOutcome() throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path)
        try store.close()
        let queue = try DatabaseQueue(path: store.path)
        try queue.inDatabase { db in
            try db.execute(sql: """
                CREATE INDEX audit_by_action ON audit_record (action, sequence);
                CREATE INDEX audit_by_kind ON audit_record (kind, sequence);
                CREATE INDEX audit_by_outcome ON audit_record (outcome, sequence);
                DELETE FROM grdb_migrations WHERE identifier = 'v7-audit-lean-indexes';
                PRAGMA user_version = 6;
                """)
        }
        try queue.close()
        #expect(try indexes(store.path).count == 9)
        try SQLiteStore(path: store.path).close()
        #expect(try indexes(store.path) == [
            "audit_by_agent", "audit_by_decision", "audit_by_resource", "audit_by_task", "audit_by_time", "audit_by_user",
        ])
        let format = try DatabaseQueue(path: store.path).read { try Int.fetchOne($0, sql: "PRAGMA user_version") }
        #expect(format == 7)
    }
}
