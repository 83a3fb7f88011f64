import Foundation
import GRDB
import WritCore

extension SQLiteStore {
    private static let auditColumns = """
        sequence, kind, time_us, actor, decision_id, task_id, agent, user_id, resource, action, outcome, \
        previous_hash, hash, canonical
        """
    private static let checkpointColumns = "size, head_hash, time_us, key_id, public_key, signature"

    public func auditHead() async throws(WritError) -> AuditHead {
        try await read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT sequence, hash FROM audit_record ORDER BY sequence DESC LIMIT 1")
            else { return AuditHead.empty }
            return AuditHead(sequence: row["sequence"], hash: Array(try row.decode(Data.self, forColumn: "hash")))
        }
    }

    public func appendAuditRows(_ rows: [AuditRow]) async throws(WritError) {
        guard !rows.isEmpty else { return }
        // On the caller's thread: the audit log's writer thread for a group, or the one
        // caller whose record is written alone — a decision that waits for its record's
        // commit anyway, which the hop to GRDB's writer queue and back would only delay.
        try writeNow { db in try Self.insertAuditRows(rows, db) }
    }

    public func appendAuditRows(_ rows: [AuditRow], addingTaskCounters increments: [TaskCounterIncrement])
        async throws(WritError) -> Bool
    {
        let path = self.path
        // One transaction, one commit and one sync for an answer's counters and records.
        // The counters go first: when they are refused nothing has changed, and the
        // transaction commits empty.
        return try writeNow { db in
            guard try Self.addTaskCounters(increments, db, path: path) else { return false }
            try Self.insertAuditRows(rows, db)
            return true
        }
    }

    /// How many records wait outside the indexes before the commit that appends the
    /// last of them moves them all in (store format 8): a decision's commit writes the
    /// table's page alone — not one page per index, six more pages synced before its
    /// answer — and one commit in this many indexes the batch, its index entries
    /// sharing pages. Queries read at most this many records past the indexes.
    public static let auditIndexBatch = 128

    /// Inserts `rows` after checking that they follow the stored head: pending, outside
    /// the indexes, until a batch of `auditIndexBatch` is pending; then the batch is
    /// indexed in the same transaction.
    private static func insertAuditRows(_ rows: [AuditRow], _ db: Database) throws {
        guard let last = rows.last?.sequence else { return }
        // The head and the last sequence indexed in one statement: the insert changes
        // neither, nothing else writes in the transaction.
        let state = try SQLiteDirect.fetchFirst(db.cachedStatement(sql: auditStateSQL), { _ in }) { columns in
            (head: columns.integer(0) ?? 0, through: columns.integer(1) ?? 0)
        }
        let (head, through) = state ?? (0, 0)
        try WritError.checkAuditAppend(rows, head: head)
        let statement = try db.cachedStatement(sql: insertAuditRowSQL)
        for row in rows {
            try SQLiteDirect.execute(statement) { arguments in
                try arguments.bind(row.sequence, at: 1)
                try arguments.bindBlob(row.kind, at: 2)
                try arguments.bind(row.timeMicros, at: 3)
                try arguments.bindBlob(row.actor, at: 4)
                try arguments.bindBlob(row.decisionID, at: 5)
                try arguments.bindBlob(row.taskID, at: 6)
                try arguments.bindBlob(row.agent, at: 7)
                try arguments.bindBlob(row.user, at: 8)
                try arguments.bindBlob(row.resource, at: 9)
                try arguments.bindBlob(row.action, at: 10)
                try arguments.bindBlob(row.outcome, at: 11)
                try arguments.bindBlob(row.previousHash, at: 12)
                try arguments.bindBlob(row.hash, at: 13)
                try arguments.bindBlob(row.canonical, at: 14)
            }
        }
        guard last - through >= auditIndexBatch else { return }
        try db.cachedStatement(sql: "UPDATE audit_record SET pending = 0 WHERE sequence > ?").execute(arguments: [through])
        try db.cachedStatement(sql: """
            INSERT INTO counter (name, value) VALUES ('audit_indexed_through', ?)
            ON CONFLICT (name) DO UPDATE SET value = excluded.value
            """).execute(arguments: [last])
    }

    /// The insert of a record, pending: `auditColumns` bound in order.
    private static let insertAuditRowSQL =
        "INSERT INTO audit_record (\(auditColumns), pending) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)"

    /// The last sequence stored (NULL when none is) and the last one indexed (see
    /// `auditIndexedThrough`).
    private static let auditStateSQL = """
        SELECT (SELECT MAX(sequence) FROM audit_record), \
        (SELECT value FROM counter WHERE name = 'audit_indexed_through')
        """

    /// The last sequence in the indexes: every record after it is pending.
    private static func auditIndexedThrough(_ db: Database) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT value FROM counter WHERE name = 'audit_indexed_through'")) ?? 0
    }

    public func auditRows(from first: Int, limit: Int) async throws(WritError) -> [AuditRow] {
        guard limit > 0 else { return [] }
        return try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT \(Self.auditColumns) FROM audit_record WHERE sequence >= ? ORDER BY sequence LIMIT ?",
                arguments: [first, limit]
            ).map(Self.auditRow)
        }
    }

    public func queryAuditRows(_ query: AuditQuery) async throws(WritError) -> [AuditRow] {
        let limit = query.effectiveLimit
        guard limit > 0 else { return [] }
        return try await read { db in
            var conditions: [String] = []
            var arguments: [(any DatabaseValueConvertible)?] = []
            let texts: [(String, String?)] = [
                ("task_id", query.taskID), ("agent", query.agent), ("user_id", query.user),
                ("resource", query.resource), ("action", query.action), ("actor", query.actor),
                ("decision_id", query.decisionID), ("outcome", query.outcome?.rawValue), ("kind", query.kind?.rawValue),
            ]
            for (column, value) in texts {
                guard let value else { continue }
                conditions.append("\(column) = ?")
                arguments.append(SQLiteColumns.blob(value))
            }
            if let since = query.since {
                conditions.append("time_us >= ?")
                arguments.append(AuditCanonical.microseconds(since))
            }
            if let until = query.until {
                conditions.append("time_us < ?")
                arguments.append(AuditCanonical.microseconds(until))
            }
            if let after = query.after {
                conditions.append(query.newestFirst ? "sequence < ?" : "sequence > ?")
                arguments.append(after)
            }
            // Two reads in one snapshot: the indexed records (`pending = 0`, which the
            // partial indexes need written as such), and the few pending ones after
            // them, by sequence; merged in sequence order.
            let order = "ORDER BY sequence \(query.newestFirst ? "DESC" : "ASC") LIMIT \(limit)"
            let select = "SELECT \(Self.auditColumns) FROM audit_record WHERE "
            let indexed = try Row.fetchAll(
                db, sql: select + (conditions + ["pending = 0"]).joined(separator: " AND ") + " " + order,
                arguments: StatementArguments(arguments))
            let pending = try Row.fetchAll(
                db, sql: select + (conditions + ["sequence > ?"]).joined(separator: " AND ") + " " + order,
                arguments: StatementArguments(arguments + [try Self.auditIndexedThrough(db)]))
            let rows = try (indexed + pending).map(Self.auditRow)
            let sorted = query.newestFirst ? rows.sorted { $0.sequence > $1.sequence } : rows.sorted { $0.sequence < $1.sequence }
            return Array(sorted.prefix(limit))
        }
    }

    public func insertAuditCheckpoint(_ checkpoint: AuditCheckpoint) async throws(WritError) {
        try await write { db in
            try db.execute(
                sql: "INSERT INTO audit_checkpoint (\(Self.checkpointColumns)) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [
                    checkpoint.size, Data(checkpoint.headHash), checkpoint.timeMicros, SQLiteColumns.blob(checkpoint.keyID),
                    Data(checkpoint.publicKey), Data(checkpoint.signature),
                ])
        }
    }

    public func auditCheckpoints() async throws(WritError) -> [AuditCheckpoint] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.checkpointColumns) FROM audit_checkpoint ORDER BY seq").map { row in
                AuditCheckpoint(
                    size: row["size"], headHash: Array(try row.decode(Data.self, forColumn: "head_hash")),
                    timeMicros: row["time_us"], keyID: Self.lenientText(row, "key_id") ?? "",
                    publicKey: Array(try row.decode(Data.self, forColumn: "public_key")),
                    signature: Array(try row.decode(Data.self, forColumn: "signature")))
            }
        }
    }

    /// A row as stored, unchecked: text that is not UTF-8 reads with U+FFFD, for the
    /// verifier to find different from the canonical bytes.
    private static func auditRow(_ row: Row) throws -> AuditRow {
        AuditRow(
            sequence: row["sequence"], kind: lenientText(row, "kind") ?? "", timeMicros: row["time_us"],
            actor: lenientText(row, "actor"), decisionID: lenientText(row, "decision_id"),
            taskID: lenientText(row, "task_id"), agent: lenientText(row, "agent"), user: lenientText(row, "user_id"),
            resource: lenientText(row, "resource"), action: lenientText(row, "action"),
            outcome: lenientText(row, "outcome"), previousHash: bytes(row, "previous_hash"), hash: bytes(row, "hash"),
            canonical: bytes(row, "canonical"))
    }

    private static func lenientText(_ row: Row, _ column: String) -> String? {
        switch row[column] as DatabaseValue? {
        case nil: return nil
        case let value?:
            switch value.storage {
            case .null: return nil
            case .blob(let data): return String(decoding: data, as: UTF8.self)
            case .string(let text): return text
            case .int64(let int): return String(int)
            case .double(let double): return String(double)
            }
        }
    }

    private static func bytes(_ row: Row, _ column: String) -> [UInt8] {
        switch (row[column] as DatabaseValue?)?.storage {
        case .blob(let data)?: return Array(data)
        case .string(let text)?: return Array(text.utf8)
        default: return []
        }
    }
}
