import Cedar
import Foundation
import GRDB
import WritCore

extension SQLiteStore {
    public func inventoryItems() async throws(WritError) -> [InventoryItem] {
        let path = self.path
        return try await read { db in
            try Row.fetchAll(db, sql: "SELECT type, id, json FROM inventory_item ORDER BY type, id").map { row in
                let type = try SQLiteColumns.text(row, "type", "an inventory item", path: path)
                let id = try SQLiteColumns.text(row, "id", "an inventory item of type `\(type)`", path: path)
                let json = try SQLiteColumns.text(row, "json", "inventory item `\(type)::\(id)`", path: path)
                let item = try InventoryItem(storedJSON: json)
                guard item.key == StoredEntityKey(type: type, id: id) else {
                    throw WritError(.corruptState, "inventory item `\(type)::\(id)` in `\(path)` holds the item \(item.uid)")
                }
                return item
            }
        }
    }

    public func inventoryRevision() async throws(WritError) -> Int {
        let path = self.path
        return try await read { db in try Self.inventoryRevision(db, path: path) }
    }

    public func writeInventory(_ write: InventoryWrite, expectedRevision: Int) async throws(WritError) -> Int {
        let path = self.path
        let rows = write.items.map { item in
            (SQLiteColumns.blob(item.key.type), SQLiteColumns.blob(item.key.id), SQLiteColumns.blob(item.json.encoded()))
        }
        return try await self.write { db in
            let current = try Self.inventoryRevision(db, path: path)
            guard current == expectedRevision else {
                throw WritError.inventoryConflict(expected: expectedRevision, current: current)
            }
            let remove = try db.cachedStatement(sql: "DELETE FROM inventory_item WHERE type = ? AND id = ?")
            for key in write.removedItems {
                try remove.execute(arguments: [SQLiteColumns.blob(key.type), SQLiteColumns.blob(key.id)])
            }
            let insert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO inventory_item (type, id, json) VALUES (?, ?, ?)")
            for row in rows { try insert.execute(arguments: [row.0, row.1, row.2]) }
            if write.changesEntities {
                let delete = try db.cachedStatement(sql: "DELETE FROM entity WHERE type = ? AND id = ?")
                for key in write.removedEntities {
                    try delete.execute(arguments: [SQLiteColumns.blob(key.type), SQLiteColumns.blob(key.id)])
                }
                try Self.insert(write.entities, db)
                try Self.bumpRevision(db)
            }
            try db.execute(sql: "UPDATE counter SET value = value + 1 WHERE name = 'inventory_revision'")
            return current + 1
        }
    }

    private static func inventoryRevision(_ db: Database, path: String) throws -> Int {
        guard let revision = try Int.fetchOne(db, sql: "SELECT value FROM counter WHERE name = 'inventory_revision'") else {
            throw WritError(.corruptState, "the store `\(path)` has no inventory revision")
        }
        return revision
    }
}
