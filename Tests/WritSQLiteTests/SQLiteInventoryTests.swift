import Cedar
import Foundation
import GRDB
import Testing
import WritCore
import WritSQLite

/// The inventory in a SQLite store: the format 6 migration and damage.
@Suite struct SQLiteInventoryTests {
    private func execute(_ path: String, _ sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.inDatabase { try $0.execute(sql: sql) }
        try queue.close()
    }

    private let agent = InventoryItem(uid: EntityUID("Writ::Agent", "support-bot"), owner: "ops", description: "answers")

    @Test func aFormatFiveStoreGainsTheInventoryAndKeepsItsEntities() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path)
        let entity = StoredEntity(type: "Writ::User", id: "ops", json: #"{"uid": {"type": "Writ::User", "id": "ops"}, "attrs": {}, "parents": []}"#)
        try await store.upsertEntities([entity])
        try store.close()
        try execute(store.path, OlderFormats.seven + """
            DROP TABLE inventory_item;
            DELETE FROM counter WHERE name = 'inventory_revision';
            DELETE FROM grdb_migrations WHERE identifier IN ('v6-inventory', 'v7-audit-lean-indexes');
            CREATE INDEX audit_by_action ON audit_record (action, sequence);
            CREATE INDEX audit_by_kind ON audit_record (kind, sequence);
            CREATE INDEX audit_by_outcome ON audit_record (outcome, sequence);
            PRAGMA user_version = 5;
            """)
        let upgraded = try SQLiteStore(path: store.path)
        #expect(try await upgraded.inventoryRevision() == 0)
        #expect(try await upgraded.writeInventory(InventoryWrite(items: [agent]), expectedRevision: 0) == 1)
        #expect(try await upgraded.inventoryItems() == [agent])
        #expect(try await upgraded.allEntities() == [entity])
        try upgraded.close()
        let format = try await DatabaseQueue(path: store.path).read { try Int.fetchOne($0, sql: "PRAGMA user_version") }
        #expect(format == 8)
    }

    @Test func anItemThatDoesNotReadIsCorruptState() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path)
        _ = try await store.writeInventory(InventoryWrite(items: [agent]), expectedRevision: 0)
        try execute(store.path, "UPDATE inventory_item SET json = CAST('{\"uid\": 1}' AS BLOB)")
        let error = await #expect(throws: WritError.self) { try await store.inventoryItems() }
        #expect(error?.code == .corruptState)
    }

    @Test func anItemStoredUnderAnotherKeyIsCorruptState() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path)
        _ = try await store.writeInventory(InventoryWrite(items: [agent]), expectedRevision: 0)
        try execute(store.path, "UPDATE inventory_item SET id = CAST('other-bot' AS BLOB)")
        let error = await #expect(throws: WritError.self) { try await store.inventoryItems() }
        #expect(error?.message == #"inventory item `Writ::Agent::other-bot` in `\#(store.path)` holds the item Writ::Agent::"support-bot""#)
    }
}
