import Foundation
import GRDB
import Testing
import WritCore
import WritSQLite

/// The `v3-signing-keys` migration and what the store does with damaged key rows.
@Suite struct SQLiteSigningKeyTests {
    /// Runs `sql` on the file at `path` through a plain GRDB connection.
    private func execute(_ path: String, _ sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.inDatabase { try $0.execute(sql: sql) }
        try queue.close()
    }

    private let key = SigningKeyRecord(
        id: "key-1", privateKey: [UInt8](repeating: 7, count: 32), createdAt: Date(timeIntervalSince1970: 1_750_000_000))

    @Test func aFormatTwoStoreGainsTheSigningKeyTableAndKeepsItsData() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path)
        let apiKey = APIKeyRecord(
            id: "k1", name: "pep", scopes: [.decide], secretDigest: "00", createdAt: Date(timeIntervalSince1970: 0))
        try await store.insertAPIKey(apiKey)
        try store.close()
        // Turn the file back into what a build before signing keys wrote.
        try execute(store.path, """
            DROP TABLE signing_key;
            DROP TABLE approval;
            DROP TABLE audit_record;
            DROP TABLE audit_checkpoint;
            DROP TABLE inventory_item;
            DELETE FROM counter WHERE name IN ('inventory_revision', 'audit_indexed_through');
            DELETE FROM grdb_migrations WHERE identifier IN (
                'v3-signing-keys', 'v4-approvals', 'v5-audit', 'v6-inventory', 'v7-audit-lean-indexes', 'v8-audit-batched-indexes');
            PRAGMA user_version = 2;
            """)

        let upgraded = try SQLiteStore(path: store.path)
        #expect(try await upgraded.allSigningKeys() == [])
        try await upgraded.insertSigningKey(key)
        #expect(try await upgraded.allSigningKeys() == [key])
        #expect(try await upgraded.apiKey(id: "k1") == apiKey)
        try upgraded.close()
        let format = try await DatabaseQueue(path: store.path).read { try Int.fetchOne($0, sql: "PRAGMA user_version") }
        #expect(format == 8)
    }

    @Test func aMissingSigningKeyTableIsCorruptState() throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let path = try SQLiteStore(directory: directory.path).path
        try execute(path, "DROP TABLE signing_key")
        let error = #expect(throws: WritError.self) { try SQLiteStore(path: path) }
        #expect(error == WritError(.corruptState, "the store `\(path)` has no `signing_key` table"))
    }

    @Test func aSigningKeyIDThatIsNotUTF8IsCorruptState() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path)
        try execute(
            store.path, "INSERT INTO signing_key (id, private_key, created_at) VALUES (X'6BFF', X'00', 0)")
        let error = await #expect(throws: WritError.self) { try await store.allSigningKeys() }
        #expect(error?.code == .corruptState)
        #expect(error?.message == "a signing key in `\(store.path)` has a `id` that is not UTF-8")
    }
}
