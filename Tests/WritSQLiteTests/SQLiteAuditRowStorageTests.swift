import Foundation
import GRDB
import Testing
import WritCore
import WritSQLite

/// An audit record's columns as the store writes them: text as UTF-8 BLOBs, absent
/// values as NULL, numbers as integers, the hashes and canonical bytes as BLOBs — and
/// read back as they were appended.
@Suite struct SQLiteAuditRowStorageTests {
    static let full = AuditRow(
        sequence: 1, kind: "decision", timeMicros: -1_750_000_000_000_001, actor: "k1", decisionID: "d1", taskID: "t1",
        agent: "bøt", user: "alice", resource: #"Tool::"search""#, action: #"Action::"call""#, outcome: "allow",
        previousHash: [UInt8](repeating: 0, count: 32), hash: Array(0..<32), canonical: Array(#"{"n":1}"#.utf8))
    static let sparse = AuditRow(
        sequence: 2, kind: "", timeMicros: Int64.max, actor: nil, decisionID: nil, taskID: "", agent: nil, user: nil,
        resource: nil, action: nil, outcome: nil, previousHash: Array(0..<32), hash: [], canonical: [0, 0xFF])

    /// Each column of record `sequence` as `typeof(column):hex(column)`.
    private static func columns(_ path: String, _ sequence: Int) throws -> [String] {
        let names = [
            "sequence", "kind", "time_us", "actor", "decision_id", "task_id", "agent", "user_id", "resource", "action",
            "outcome", "previous_hash", "hash", "canonical", "pending",
        ]
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        let sql = "SELECT " + names.map { "typeof(\($0)) || ':' || hex(\($0))" }.joined(separator: ", ")
            + " FROM audit_record WHERE sequence = ?"
        return try queue.read { db in
            guard let row = try Row.fetchOne(db, sql: sql, arguments: [sequence]) else { return [] }
            return (0..<names.count).map { "\(names[$0])=" + (row[$0] as String? ?? "?") }
        }
    }

    private static func hex(_ text: String) -> String {
        text.utf8.map { String(format: "%02X", $0) }.joined()
    }

    @Test func aRecordsColumnsAreStoredWithTheirTypes() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path)
        defer { try? store.close() }
        try await store.appendAuditRows([Self.full, Self.sparse])
        #expect(try Self.columns(store.path, 1) == [
            "sequence=integer:31", "kind=blob:" + Self.hex("decision"),
            "time_us=integer:" + Self.hex("-1750000000000001"), "actor=blob:" + Self.hex("k1"),
            "decision_id=blob:" + Self.hex("d1"), "task_id=blob:" + Self.hex("t1"), "agent=blob:" + Self.hex("bøt"),
            "user_id=blob:" + Self.hex("alice"), "resource=blob:" + Self.hex(#"Tool::"search""#),
            "action=blob:" + Self.hex(#"Action::"call""#), "outcome=blob:" + Self.hex("allow"),
            "previous_hash=blob:" + String(repeating: "00", count: 32),
            "hash=blob:" + (0..<32).map { String(format: "%02X", $0) }.joined(),
            "canonical=blob:" + Self.hex(#"{"n":1}"#), "pending=integer:31",
        ])
        #expect(try Self.columns(store.path, 2) == [
            "sequence=integer:32", "kind=blob:", "time_us=integer:" + Self.hex(String(Int64.max)), "actor=null:",
            "decision_id=null:", "task_id=blob:", "agent=null:", "user_id=null:", "resource=null:", "action=null:",
            "outcome=null:", "previous_hash=blob:" + (0..<32).map { String(format: "%02X", $0) }.joined(),
            "hash=blob:", "canonical=blob:00FF", "pending=integer:31",
        ])
    }

    @Test func recordsReadBackAsAppended() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path)
        defer { try? store.close() }
        try await store.appendAuditRows([Self.full, Self.sparse])
        #expect(try await store.auditRows(from: 1, limit: 5) == [Self.full, Self.sparse])
    }
}
