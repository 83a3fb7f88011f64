import Foundation
import GRDB
import WritCore

extension SQLiteStore {
    private static let recordColumns = "version, files, schema, author, comment, created_at, digest"
    private static let summaryColumns = "version, author, comment, created_at, digest"

    public func latestPolicySet() async throws(WritError) -> PolicySetRecord? {
        let path = self.path
        return try await read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.recordColumns) FROM policy_set_version ORDER BY version DESC LIMIT 1")
                .map { try Self.record($0, path: path) }
        }
    }

    public func policySet(version: Int) async throws(WritError) -> PolicySetRecord? {
        let path = self.path
        return try await read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.recordColumns) FROM policy_set_version WHERE version = ?", arguments: [version])
                .map { try Self.record($0, path: path) }
        }
    }

    public func policySetHistory(limit: Int, before: Int?) async throws(WritError) -> [PolicySetSummary] {
        guard limit > 0 else { return [] }
        let path = self.path
        return try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.summaryColumns) FROM policy_set_version
                    WHERE ? IS NULL OR version < ? ORDER BY version DESC LIMIT ?
                    """,
                arguments: [before, before, limit]
            ).map { row in
                let version = try row.decode(Int.self, forColumn: "version")
                let what = "policy set version \(version)"
                return PolicySetSummary(
                    version: version, author: try SQLiteColumns.text(row, "author", what, path: path),
                    comment: try SQLiteColumns.optionalText(row, "comment", what, path: path),
                    createdAt: try SQLiteColumns.date(row, "created_at"), digest: try row.decode(String.self, forColumn: "digest"))
            }
        }
    }

    public func appendPolicySet(
        _ draft: PolicySetDraft, expectedLatest: Int?
    ) async throws(WritError) -> PolicySetRecord {
        let files = try Self.encode(draft.files, "the policy files")
        let schema = try draft.schema.map { (schema) throws(WritError) in try Self.encode(schema, "the schema") }
        let createdAt = Date()
        return try await write { db in
            let latest = try Int.fetchOne(db, sql: "SELECT max(version) FROM policy_set_version")
            guard latest == expectedLatest else {
                throw WritError.policySetConflict(expected: expectedLatest, latest: latest)
            }
            let record = PolicySetRecord(
                version: (latest ?? 0) + 1, files: draft.files, schema: draft.schema, author: draft.author,
                comment: draft.comment, createdAt: createdAt, digest: draft.digest)
            try db.execute(
                sql: """
                    INSERT INTO policy_set_version (version, files, schema, author, comment, created_at, digest)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    record.version, files, schema, SQLiteColumns.blob(record.author), SQLiteColumns.blob(record.comment),
                    createdAt.timeIntervalSinceReferenceDate, record.digest,
                ])
            return record
        }
    }

    // MARK: - Rows

    private static func record(_ row: Row, path: String) throws -> PolicySetRecord {
        let version = try row.decode(Int.self, forColumn: "version")
        let what = "policy set version \(version)"
        let files = try decode([SourceFile].self, SQLiteColumns.text(row, "files", what, path: path), what, path: path)
        let schema = try SQLiteColumns.optionalText(row, "schema", what, path: path).map {
            try decode(SchemaSource.self, $0, what, path: path)
        }
        let digest = try row.decode(String.self, forColumn: "digest")
        guard PolicySetDraft(files: files, schema: schema, author: "").digest == digest else {
            throw WritError(.corruptState, "\(what) in `\(path)` does not match its digest `\(digest)`")
        }
        return PolicySetRecord(
            version: version, files: files, schema: schema, author: try SQLiteColumns.text(row, "author", what, path: path),
            comment: try SQLiteColumns.optionalText(row, "comment", what, path: path),
            createdAt: try SQLiteColumns.date(row, "created_at"), digest: digest)
    }

    static func encode(_ value: some Encodable, _ what: String) throws(WritError) -> Data {
        do {
            return try JSONEncoder().encode(value)
        } catch {
            throw WritError(.storeUnavailable, "cannot encode \(what) for the store: \(error)")
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ json: String, _ what: String, path: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(json.utf8))
        } catch {
            throw WritError(.corruptState, "\(what) in `\(path)` cannot be read: \(error)")
        }
    }
}
