/// The inventory: registered items, changed together with the entities they project
/// to, under a revision that every change advances.
public protocol InventoryStore: Sendable {
    /// Every item, ordered by entity type then id (Unicode scalar order).
    func inventoryItems() async throws(WritError) -> [InventoryItem]
    /// The revision of the inventory: 0 before any change; every write advances it
    /// and it never returns to an earlier value.
    func inventoryRevision() async throws(WritError) -> Int
    /// Applies `write` in one transaction — items and entities together, all or
    /// none — and only if the revision is still `expectedRevision`; otherwise throws
    /// `.conflict` and stores nothing. Returns the new revision. The entity revision
    /// advances when the write changes entities.
    func writeInventory(_ write: InventoryWrite, expectedRevision: Int) async throws(WritError) -> Int
}

/// One change to the inventory and the entity store.
public struct InventoryWrite: Sendable, Equatable {
    /// Items inserted or replaced, by uid.
    public var items: [InventoryItem]
    /// Items removed, by uid (before `items` are written).
    public var removedItems: [StoredEntityKey]
    /// Entities inserted or replaced, by uid.
    public var entities: [StoredEntity]
    /// Entities deleted, by uid (before `entities` are written).
    public var removedEntities: [StoredEntityKey]

    public init(
        items: [InventoryItem] = [], removedItems: [StoredEntityKey] = [], entities: [StoredEntity] = [],
        removedEntities: [StoredEntityKey] = []
    ) {
        self.items = items
        self.removedItems = removedItems
        self.entities = entities
        self.removedEntities = removedEntities
    }

    /// Whether the write changes entities.
    public var changesEntities: Bool { !entities.isEmpty || !removedEntities.isEmpty }
}

extension WritError {
    /// The inventory changed since the caller read it.
    package static func inventoryConflict(expected: Int, current: Int) -> WritError {
        WritError(.conflict, "the inventory is at revision \(current), not \(expected): it changed meanwhile; read it again")
    }
}
