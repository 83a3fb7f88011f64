import Cedar

extension PolicyEngine {
    /// Why the inventory refuses `request` before any policy is read, or nil:
    /// - its principal or resource is of an inventoried type (`InventoryItem.Kind`)
    ///   and is not registered — not in this engine's stored entities (entities the
    ///   request carries never register anything): `unregistered`;
    /// - its resource is a `Writ::Document` none of whose `Writ::Dataset` parents (read
    ///   from the stored entities, else the request's `entities`) is registered:
    ///   `unregistered`;
    /// - its resource is a quarantined tool: `tool_changed`.
    func inventoryDenial(_ request: Request, entities: Entities) -> TaskDenial? {
        inventoryDenial(principal: request.principal) ?? inventoryDenial(resource: request.resource, entities: entities)
    }

    /// The part of `inventoryDenial(_:entities:)` about the principal, which comes first:
    /// the same for every request of that principal.
    func inventoryDenial(principal: EntityUID) -> TaskDenial? {
        unregistered(principal)
    }

    /// The part of `inventoryDenial(_:entities:)` about the resource, once the principal passed.
    func inventoryDenial(resource: EntityUID, entities: Entities) -> TaskDenial? {
        inventoryDenial(resource: resource, entities: entities) { registered($0) }
    }

    /// `inventoryDenial(resource:entities:)`, asking `registered(dataset)` whether each
    /// dataset a document is in is registered (`registered(_:)`, or what a caller
    /// deciding many documents remembers of it).
    ///
    /// `storedParents`, when given, are the resource's parents in this engine's
    /// entities, already found by the caller (nil: looked up here).
    func inventoryDenial(
        resource: EntityUID, entities: Entities, storedParents: Set<EntityUID>? = nil, registered: (EntityUID) -> Bool
    ) -> TaskDenial? {
        inventoryDenial(resource: resource, described: entities, storedParents: storedParents, registered: registered)
    }

    /// `inventoryDenial(resource:entities:storedParents:registered:)` where `described`
    /// is the request's entities over this engine's, or nil when the request describes
    /// none (this engine's entities are then read where they are, not copied).
    func inventoryDenial(
        resource: EntityUID, described: Entities?, storedParents: Set<EntityUID>?, registered: (EntityUID) -> Bool
    ) -> TaskDenial? {
        if let denial = unregistered(resource) { return denial }
        if resource.type.name == Self.documentType {
            // In a registered dataset: at least one dataset parent, and every one registered.
            var inDataset = false
            let parents = storedParents ?? self.entities.parents(of: resource) ?? described?.parents(of: resource) ?? []
            for parent in parents where parent.type.name == InventoryItem.Kind.dataset.entityType {
                inDataset = registered(parent)
                if !inDataset { break }
            }
            guard inDataset else {
                return TaskDenial(.unregistered, "\(resource) is not in a registered `Writ::Dataset`")
            }
        }
        return nil
    }

    /// Whether `dataset` is registered in the inventory.
    func registered(_ dataset: EntityUID) -> Bool {
        storedEntities[StoredEntityKey(type: dataset.type.name, id: dataset.id)] != nil
    }

    /// `uid`, of an inventoried type, not registered or quarantined: why, else nil.
    private func unregistered(_ uid: EntityUID) -> TaskDenial? {
        guard InventoryItem.Kind(entityType: uid.type.name) != nil else { return nil }
        let key = StoredEntityKey(type: uid.type.name, id: uid.id)
        guard storedEntities[key] != nil else {
            return TaskDenial(.unregistered, "\(uid) is not registered in the inventory")
        }
        if quarantined.contains(key) {
            return TaskDenial(
                .toolChanged, "\(uid) changed its definition and is quarantined until its owner approves the change")
        }
        return nil
    }

    /// A document: registered through its dataset.
    static let documentType = "Writ::Document"
}
