import Cedar
import Foundation
import Testing
import WritCore

extension StoreConformance {
    static let inventory: [StoreConformanceCase] = [
        .init("inventory: an empty store has no items at revision 0") { (store: any WritStore) async throws in
            #expect(try await store.inventoryItems() == [])
            #expect(try await store.inventoryRevision() == 0)
        },
        .init("inventory: a write stores items and entities together and advances both revisions") { (store: any WritStore) async throws in
            let entityRevision = try await store.entityRevision()
            let tool = try InventoryFixtures.tool("mail___send")
            let entity = Fixtures.entity("Writ::Tool", "mail___send")
            let revision = try await store.writeInventory(
                InventoryWrite(items: [tool], entities: [entity]), expectedRevision: 0)
            #expect(revision == 1)
            #expect(try await store.inventoryRevision() == 1)
            #expect(try await store.inventoryItems() == [tool])
            #expect(try await store.allEntities() == [entity])
            #expect(try await store.entityRevision() != entityRevision)
        },
        .init("inventory: items come back ordered by type then id, state included") { (store: any WritStore) async throws in
            let since = Date(timeIntervalSince1970: 1_800_000_000)
            var quarantined = try InventoryFixtures.tool("b")
            quarantined.state = .quarantined(pending: try InventoryFixtures.definition("b", description: "new"), since: since)
            let agent = InventoryItem(uid: EntityUID("Writ::Agent", "z"), owner: "ops", labels: ["pii"])
            let first = try InventoryFixtures.tool("a")
            _ = try await store.writeInventory(InventoryWrite(items: [quarantined, agent, first]), expectedRevision: 0)
            #expect(try await store.inventoryItems() == [agent, first, quarantined])
        },
        .init("inventory: a stale expected revision is a conflict and stores nothing") { (store: any WritStore) async throws in
            _ = try await store.writeInventory(InventoryWrite(items: [try InventoryFixtures.tool("a")]), expectedRevision: 0)
            let entity = Fixtures.entity("Writ::Tool", "b")
            let error = await #expect(throws: WritError.self) {
                try await store.writeInventory(
                    InventoryWrite(items: [try InventoryFixtures.tool("b")], entities: [entity]), expectedRevision: 0)
            }
            #expect(error?.code == .conflict)
            #expect(try await store.inventoryItems().map(\.uid.id) == ["a"])
            #expect(try await store.allEntities() == [])
            #expect(try await store.inventoryRevision() == 1)
        },
        .init("inventory: removals delete items and entities before the write's own") { (store: any WritStore) async throws in
            let a = try InventoryFixtures.tool("a")
            _ = try await store.writeInventory(
                InventoryWrite(items: [a], entities: [Fixtures.entity("Writ::Tool", "a")]), expectedRevision: 0)
            try await store.upsertEntities([Fixtures.entity("Writ::User", "ops")])
            let key = StoredEntityKey(type: "Writ::Tool", id: "a")
            _ = try await store.writeInventory(
                InventoryWrite(removedItems: [key], removedEntities: [key]), expectedRevision: 1)
            #expect(try await store.inventoryItems() == [])
            #expect(try await store.allEntities() == [Fixtures.entity("Writ::User", "ops")])
        },
        .init("inventory: ids keep every scalar") { (store: any WritStore) async throws in
            let item = InventoryItem(uid: EntityUID("Writ::Agent", "caf\u{E9}"), owner: "caf\u{65}\u{301}")
            let other = InventoryItem(uid: EntityUID("Writ::Agent", "caf\u{65}\u{301}"), owner: "ops")
            _ = try await store.writeInventory(InventoryWrite(items: [item, other]), expectedRevision: 0)
            let read = try await store.inventoryItems()
            #expect(read.count == 2)
            #expect(read.contains { $0.uid.id.unicodeScalars.elementsEqual(item.uid.id.unicodeScalars) && $0.owner.unicodeScalars.elementsEqual(item.owner.unicodeScalars) })
        },
    ]
}

/// Inventory items for conformance cases.
enum InventoryFixtures {
    static func definition(_ name: String, description: String = "sends") throws -> ToolDefinition {
        try ToolDefinition(name: name, description: description, inputSchema: "{\"type\": \"object\"}")
    }

    static func tool(_ id: String) throws -> InventoryItem {
        InventoryItem(
            uid: EntityUID("Writ::Tool", id), owner: "ops", description: "a tool", labels: ["can-send-out"],
            parents: [EntityUID("Writ::McpServer", "mail")], definition: try definition(id))
    }
}
