import Foundation
import GRDB
import WritCore

extension SQLiteStore {
    private static let signingKeyColumns = "id, private_key, created_at, retired_at"

    public func insertSigningKey(_ key: SigningKeyRecord) async throws(WritError) {
        try await write { db in
            let id = SQLiteColumns.blob(key.id)
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM signing_key WHERE id = ?", arguments: [id]) == nil else {
                throw WritError.duplicateSigningKey(id: key.id)
            }
            try db.execute(
                sql: "INSERT INTO signing_key (\(Self.signingKeyColumns)) VALUES (?, ?, ?, ?)",
                arguments: [
                    id, Data(key.privateKey), key.createdAt.timeIntervalSinceReferenceDate,
                    key.retiredAt?.timeIntervalSinceReferenceDate,
                ])
        }
    }

    public func allSigningKeys() async throws(WritError) -> [SigningKeyRecord] {
        let path = self.path
        return try await read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.signingKeyColumns) FROM signing_key ORDER BY created_at, seq")
                .map { row in
                    SigningKeyRecord(
                        id: try SQLiteColumns.text(row, "id", "a signing key", path: path),
                        privateKey: Array(try row.decode(Data.self, forColumn: "private_key")),
                        createdAt: try SQLiteColumns.date(row, "created_at"),
                        retiredAt: try SQLiteColumns.optionalDate(row, "retired_at"))
                }
        }
    }

    public func retireSigningKey(id: String, at date: Date) async throws(WritError) -> Bool {
        try await write { db in
            try db.execute(
                sql: "UPDATE signing_key SET retired_at = ? WHERE id = ? AND retired_at IS NULL",
                arguments: [date.timeIntervalSinceReferenceDate, SQLiteColumns.blob(id)])
            return db.changesCount == 1
        }
    }
}
