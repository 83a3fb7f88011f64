import Foundation
import GRDB
import WritCore

extension SQLiteStore {
    public func insertApproval(_ approval: ApprovalRecord) async throws(WritError) {
        let json = try Self.encode(approval, "approval `\(approval.id)`")
        try await write { db in
            let id = SQLiteColumns.blob(approval.id)
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM approval WHERE id = ?", arguments: [id]) == nil else {
                throw WritError.duplicateApproval(id: approval.id)
            }
            try db.execute(
                sql: "INSERT INTO approval (id, digest, state, requested_at, expires_at, json) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [
                    id, approval.digest, approval.state.rawValue, approval.requestedAt.timeIntervalSinceReferenceDate,
                    approval.expiresAt.timeIntervalSinceReferenceDate, json,
                ])
        }
    }

    public func approval(id: String) async throws(WritError) -> ApprovalRecord? {
        let path = self.path
        return try await read { db in
            try Self.approval(db, SQLiteColumns.blob(id), path: path)
        }
    }

    public func approvals(matching filter: ApprovalFilter) async throws(WritError) -> [ApprovalRecord] {
        if let limit = filter.limit, limit <= 0 { return [] }
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let state = filter.state {
            conditions.append("state = ?")
            arguments += [state.rawValue]
        }
        if let digest = filter.digest {
            conditions.append("digest = ?")
            arguments += [digest]
        }
        if filter.unexpired {
            conditions.append("expires_at > ?")
            arguments += [filter.now.timeIntervalSinceReferenceDate]
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        arguments += [filter.limit ?? -1]
        let sql = "SELECT json FROM approval \(whereClause) ORDER BY requested_at, seq LIMIT ?"
        let path = self.path
        // On the caller's thread, cached: a decision under approvable policies reads the
        // grants every time.
        return try readNow { db in
            try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map { try Self.approval($0, path: path) }
        }
    }

    public func decideApproval(id: String, _ verdict: ApprovalVerdict) async throws(WritError) -> ApprovalRecord? {
        let path = self.path
        return try await write { db in
            let key = SQLiteColumns.blob(id)
            guard var record = try Self.approval(db, key, path: path), record.state == .pending,
                !record.isExpired(at: verdict.decidedAt)
            else { return nil }
            record.state = verdict.state
            record.scope = verdict.scope
            record.expiresAt = verdict.expiresAt
            record.decidedAt = verdict.decidedAt
            record.decidedBy = verdict.decidedBy
            try Self.update(record, key, db)
            return record
        }
    }

    public func consumeApproval(id: String, at now: Date) async throws(WritError) -> Bool {
        let path = self.path
        return try await write { db in
            let key = SQLiteColumns.blob(id)
            guard var record = try Self.approval(db, key, path: path), record.state == .approved, record.scope == .once,
                !record.isExpired(at: now)
            else { return false }
            record.state = .consumed
            try Self.update(record, key, db)
            return true
        }
    }

    private static func approval(_ db: Database, _ key: Data, path: String) throws -> ApprovalRecord? {
        try Row.fetchOne(db, sql: "SELECT json FROM approval WHERE id = ?", arguments: [key]).map { try approval($0, path: path) }
    }

    private static func approval(_ row: Row, path: String) throws -> ApprovalRecord {
        try decode(ApprovalRecord.self, try SQLiteColumns.text(row, "json", "an approval", path: path), "an approval", path: path)
    }

    private static func update(_ record: ApprovalRecord, _ key: Data, _ db: Database) throws {
        try db.execute(
            sql: "UPDATE approval SET state = ?, expires_at = ?, json = ? WHERE id = ?",
            arguments: [
                record.state.rawValue, record.expiresAt.timeIntervalSinceReferenceDate,
                try encode(record, "approval `\(record.id)`"), key,
            ])
    }
}
