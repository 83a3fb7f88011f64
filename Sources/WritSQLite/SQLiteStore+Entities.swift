import Foundation
import GRDB
import WritCore

extension SQLiteStore {
    public func allEntities() async throws(WritError) -> [StoredEntity] {
        let path = self.path
        return try await read { db in
            try Row.fetchAll(db, sql: "SELECT type, id, json FROM entity ORDER BY type, id").map { row in
                let type = try SQLiteColumns.text(row, "type", "an entity", path: path)
                let id = try SQLiteColumns.text(row, "id", "an entity of type `\(type)`", path: path)
                let json = try SQLiteColumns.text(row, "json", "entity `\(type)::\(id)`", path: path)
                return StoredEntity(type: type, id: id, json: json)
            }
        }
    }

    public func upsertEntities(_ entities: [StoredEntity]) async throws(WritError) {
        guard !entities.isEmpty else { return }
        try await write { db in
            try Self.insert(entities, db)
            try Self.bumpRevision(db)
        }
    }

    public func deleteEntities(_ keys: [StoredEntityKey]) async throws(WritError) -> Int {
        guard !keys.isEmpty else { return 0 }
        return try await write { db in
            var deleted = 0
            let statement = try db.cachedStatement(sql: "DELETE FROM entity WHERE type = ? AND id = ?")
            for key in keys {
                try statement.execute(arguments: [SQLiteColumns.blob(key.type), SQLiteColumns.blob(key.id)])
                deleted += db.changesCount
            }
            if deleted > 0 { try Self.bumpRevision(db) }
            return deleted
        }
    }

    public func replaceAllEntities(_ entities: [StoredEntity]) async throws(WritError) {
        try await write { db in
            try db.execute(sql: "DELETE FROM entity")
            try Self.insert(entities, db)
            try Self.bumpRevision(db)
        }
    }

    public func entityRevision() async throws(WritError) -> Int {
        let path = self.path
        return try await read { db in
            guard let revision = try Int.fetchOne(db, sql: "SELECT value FROM counter WHERE name = 'entity_revision'") else {
                throw WritError(.corruptState, "the store `\(path)` has no entity revision")
            }
            return revision
        }
    }

    static func insert(_ entities: [StoredEntity], _ db: Database) throws {
        let statement = try db.cachedStatement(sql: "INSERT OR REPLACE INTO entity (type, id, json) VALUES (?, ?, ?)")
        for entity in entities {
            try statement.execute(arguments: [
                SQLiteColumns.blob(entity.type), SQLiteColumns.blob(entity.id), SQLiteColumns.blob(entity.json),
            ])
        }
    }

    static func bumpRevision(_ db: Database) throws {
        try db.execute(sql: "UPDATE counter SET value = value + 1 WHERE name = 'entity_revision'")
        guard db.changesCount == 1 else {
            throw WritError(.corruptState, "the store has no entity revision to advance")
        }
    }
}
