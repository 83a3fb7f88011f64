import Foundation
import GRDB
import WritCore

extension SQLiteStore {
    private static let keyColumns = "id, name, scopes, secret_digest, created_at, revoked_at"

    public func insertAPIKey(_ key: APIKeyRecord) async throws(WritError) {
        try await write { db in
            let id = SQLiteColumns.blob(key.id)
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM api_key WHERE id = ?", arguments: [id]) == nil else {
                throw WritError.duplicateAPIKey(id: key.id)
            }
            try db.execute(
                sql: "INSERT INTO api_key (\(Self.keyColumns)) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [
                    id, SQLiteColumns.blob(key.name), key.scopes.map(\.rawValue).sorted().joined(separator: ","),
                    SQLiteColumns.blob(key.secretDigest), key.createdAt.timeIntervalSinceReferenceDate,
                    key.revokedAt?.timeIntervalSinceReferenceDate,
                ])
        }
    }

    public func apiKey(id: String) async throws(WritError) -> APIKeyRecord? {
        let path = self.path
        return try await read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.keyColumns) FROM api_key WHERE id = ?", arguments: [SQLiteColumns.blob(id)])
                .map { try Self.key($0, path: path) }
        }
    }

    public func allAPIKeys() async throws(WritError) -> [APIKeyRecord] {
        let path = self.path
        return try await read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.keyColumns) FROM api_key ORDER BY created_at, seq")
                .map { try Self.key($0, path: path) }
        }
    }

    public func revokeAPIKey(id: String, at date: Date) async throws(WritError) -> Bool {
        try await write { db in
            try db.execute(
                sql: "UPDATE api_key SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                arguments: [date.timeIntervalSinceReferenceDate, SQLiteColumns.blob(id)])
            return db.changesCount == 1
        }
    }

    private static func key(_ row: Row, path: String) throws -> APIKeyRecord {
        let id = try SQLiteColumns.text(row, "id", "an API key", path: path)
        let what = "API key `\(id)`"
        var scopes: Set<APIKeyScope> = []
        let names = try row.decode(String.self, forColumn: "scopes")
        for name in names.split(separator: ",", omittingEmptySubsequences: false) where !names.isEmpty {
            guard let scope = APIKeyScope(rawValue: String(name)) else {
                throw WritError(.corruptState, "\(what) in `\(path)` has an unknown scope `\(name)`")
            }
            scopes.insert(scope)
        }
        return APIKeyRecord(
            id: id, name: try SQLiteColumns.text(row, "name", what, path: path), scopes: scopes,
            secretDigest: try SQLiteColumns.text(row, "secret_digest", what, path: path),
            createdAt: try SQLiteColumns.date(row, "created_at"), revokedAt: try SQLiteColumns.optionalDate(row, "revoked_at"))
    }
}
