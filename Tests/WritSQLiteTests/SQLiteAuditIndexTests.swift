import Cedar
import Foundation
import GRDB
import Testing
import WritCore
import WritSQLite

/// The indexes on the audit log (format 8): the selective ones and time, none on the
/// columns that take a handful of values — partial, holding the records no longer
/// pending, which enter them a batch at a time.
@Suite struct SQLiteAuditIndexTests {
    private func read<T>(_ path: String, _ body: (Database) throws -> T) throws -> T {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read(body)
    }

    private func indexes(_ path: String) throws -> [String] {
        try read(path) { db in
            try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_record' ORDER BY name")
        }
    }

    /// The pending records' sequences, and the last sequence indexed.
    private func pendingState(_ path: String) throws -> (pending: [Int], indexedThrough: Int?) {
        try read(path) { db in
            (
                try Int.fetchAll(db, sql: "SELECT sequence FROM audit_record WHERE pending = 1 ORDER BY sequence"),
                try Int.fetchOne(db, sql: "SELECT value FROM counter WHERE name = 'audit_indexed_through'")
            )
        }
    }

    /// `count` records chained from the start, each for task `t<n % 3>`.
    private static func chain(_ count: Int) -> [AuditRow] {
        var rows: [AuditRow] = []
        var previous = AuditCanonical.zeroHash
        for n in 1...count {
            let event = AuditEvent(
                kind: .decision, time: Date(timeIntervalSince1970: 1_750_000_000 + Double(n)), actor: "k1",
                decisionID: "d\(n)", taskID: "t\(n % 3)", agent: "bot", user: "alice", resource: "Tool::\"search\"",
                action: "Action::\"call\"", outcome: .allow, details: ["n": .number(JSONNumber(Int64(n)))])
            let row = AuditCanonical.encode(event, sequence: n, previousHash: previous)
            previous = row.hash
            rows.append(row)
        }
        return rows
    }

    @Test func aNewStoreIndexesTheAuditLogByTaskAgentUserResourceDecisionAndTime() throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path)
        try store.close()
        #expect(try indexes(store.path) == [
            "audit_by_agent", "audit_by_decision", "audit_by_resource", "audit_by_task", "audit_by_time", "audit_by_user",
        ])
        #expect(try pendingState(store.path).indexedThrough == 0)
    }

    @Test func everyIndexHoldsOnlyRecordsNoLongerPending() throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path)
        try store.close()
        let definitions = try read(store.path) { db in
            try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_record'")
        }
        #expect(definitions.count == 6)
        #expect(definitions.allSatisfy { $0.hasSuffix("WHERE pending = 0") })
    }

    @Test func recordsStayPendingUntilABatchIsThenIndexedTogether() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path)
        let rows = Self.chain(SQLiteStore.auditIndexBatch + 2)
        for row in rows.prefix(SQLiteStore.auditIndexBatch - 1) { try await store.appendAuditRows([row]) }
        let before = try pendingState(store.path)
        try await store.appendAuditRows([rows[SQLiteStore.auditIndexBatch - 1]])
        let batched = try pendingState(store.path)
        try await store.appendAuditRows(Array(rows.suffix(2)))
        let after = try pendingState(store.path)
        try store.close()
        #expect(before.pending == Array(1..<SQLiteStore.auditIndexBatch))
        #expect(before.indexedThrough == 0)
        #expect(batched.pending == [])
        #expect(batched.indexedThrough == SQLiteStore.auditIndexBatch)
        #expect(after.pending == [SQLiteStore.auditIndexBatch + 1, SQLiteStore.auditIndexBatch + 2])
    }

    @Test func aQueryOnAnIndexedColumnReadsThePartialIndex() throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path)
        try store.close()
        let plan = try read(store.path) { db in
            try Row.fetchAll(
                db, sql: "EXPLAIN QUERY PLAN SELECT sequence FROM audit_record WHERE task_id = ? AND pending = 0 ORDER BY sequence DESC LIMIT 5",
                arguments: [Data("t1".utf8)]
            ).map { $0["detail"] as String }.joined(separator: "\n")
        }
        #expect(plan.contains("audit_by_task"))
    }

    @Test func aFormatSevenStoreKeepsItsRecordsIndexedAndIndexesThemPartially() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path)
        let rows = Self.chain(5)
        try await store.appendAuditRows(rows)
        try store.close()
        let queue = try DatabaseQueue(path: store.path)
        try queue.inDatabase { db in try db.execute(sql: OlderFormats.seven) }
        try queue.close()
        #expect(try indexes(store.path).count == 6)
        let upgraded = try SQLiteStore(path: store.path)
        #expect(try await upgraded.queryAuditRows(AuditQuery(taskID: "t1")).map(\.sequence) == [4, 1])
        try upgraded.close()
        #expect(try pendingState(store.path).pending == [])
        #expect(try pendingState(store.path).indexedThrough == 5)
        #expect(try read(store.path) { try Int.fetchOne($0, sql: "PRAGMA user_version") } == 8)
    }
}
