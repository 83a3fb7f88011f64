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
        for uid in [request.principal, request.resource] where InventoryItem.Kind(entityType: uid.type.name) != nil {
            let key = StoredEntityKey(type: uid.type.name, id: uid.id)
            guard storedEntities[key] != nil else {
                return TaskDenial(.unregistered, "\(uid) is not registered in the inventory")
            }
            if quarantined.contains(key) {
                return TaskDenial(
                    .toolChanged, "\(uid) changed its definition and is quarantined until its owner approves the change")
            }
        }
        if request.resource.type.name == Self.documentType {
            let parents = (self.entities[request.resource] ?? entities[request.resource])?.parents ?? []
            let datasets = parents.filter { $0.type.name == InventoryItem.Kind.dataset.entityType }
            guard !datasets.isEmpty, datasets.allSatisfy({ storedEntities[StoredEntityKey(type: $0.type.name, id: $0.id)] != nil })
            else {
                return TaskDenial(.unregistered, "\(request.resource) is not in a registered `Writ::Dataset`")
            }
        }
        return nil
    }

    /// A document: registered through its dataset.
    static let documentType = "Writ::Document"
}
