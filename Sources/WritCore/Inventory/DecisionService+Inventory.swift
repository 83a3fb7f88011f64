extension DecisionService {
    /// Changes the inventory and the entities it projects, all or none, under the
    /// service's writer: `plan` reads the current engine and stored inventory and
    /// returns the write (nil: nothing to change) and its result. The entity set the write leaves must
    /// conform to the schema before the store sees it; the store applies the write in
    /// one transaction, and the engine (entities, quarantined tools) is swapped after.
    func changeInventory<T: Sendable>(
        _ plan: @Sendable (PolicyEngine, _ items: [InventoryItem], _ revision: Int) async throws(WritError) -> (InventoryWrite?, T)
    ) async throws(WritError) -> (revision: Int, result: T, written: Bool) {
        try await writer.run { () async throws(WritError) -> (revision: Int, result: T, written: Bool) in
            let engine = try self.engine()
            let revision = try await self.store.inventoryRevision()
            let items = try await self.store.inventoryItems()
            let (planned, result) = try await plan(engine, items, revision)
            guard let write = planned else { return (revision, result, false) }
            var stored = engine.storedEntities
            for key in write.removedEntities { stored[key] = nil }
            for entity in write.entities { stored[entity.key] = entity }
            var quarantined = engine.quarantined
            for key in write.removedItems { quarantined.remove(key) }
            for item in write.items {
                if item.isQuarantined { quarantined.insert(item.key) } else { quarantined.remove(item.key) }
            }
            let next =
                write.changesEntities
                ? try self.makeEngine(engine.version, engine.compiled, stored: stored, quarantined: quarantined)
                : PolicyEngine(
                    version: engine.version, compiled: engine.compiled, entities: engine.entities,
                    storedEntities: engine.storedEntities, mode: engine.mode, quarantined: quarantined)
            let written = try await self.store.writeInventory(write, expectedRevision: revision)
            self.publish(next)
            return (written, result, true)
        }
    }
}
