extension MemoryStore: InventoryStore {
    public func inventoryItems() -> [InventoryItem] {
        inventoryTable.values.sorted { MemoryStore.precedes($0.key, $1.key) }
    }

    public func inventoryRevision() -> Int {
        inventoryRevisionValue
    }

    public func writeInventory(_ write: InventoryWrite, expectedRevision: Int) throws(WritError) -> Int {
        guard inventoryRevisionValue == expectedRevision else {
            throw .inventoryConflict(expected: expectedRevision, current: inventoryRevisionValue)
        }
        for key in write.removedItems { inventoryTable[key] = nil }
        for item in write.items { inventoryTable[item.key] = item }
        if write.changesEntities {
            _ = deleteEntities(write.removedEntities)
            upsertEntities(write.entities)
            bumpEntityRevision()
        }
        inventoryRevisionValue += 1
        return inventoryRevisionValue
    }
}
