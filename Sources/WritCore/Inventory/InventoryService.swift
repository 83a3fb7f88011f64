import Cedar
import Foundation

/// The inventory: applying the registered items (each projected into the entity
/// store as its Cedar entity), reporting the tool definitions servers give (drift
/// quarantines a tool), and owners approving a changed definition. Every change is
/// stored with its entities in one transaction, swapped into the decision service,
/// then audited (docs/INVENTORY.md, docs/AUDIT-EVENTS.md).
public actor InventoryService {
    public let decisions: DecisionService
    private let audit: (any AuditSink)?
    private let now: @Sendable () -> Date

    /// A service over `decisions` (and its store). With `audit`, every change is
    /// recorded after it is stored; a record that cannot be written is
    /// `.auditUnavailable` for the caller (the change stays in force).
    public init(decisions: DecisionService, audit: (any AuditSink)? = nil, now: @escaping @Sendable () -> Date = { Date() }) {
        self.decisions = decisions
        self.audit = audit
        self.now = now
    }

    /// What `apply(_:actor:)` changed.
    public struct Application: Sendable, Equatable {
        /// The inventory revision after the apply (unchanged when nothing changed).
        public var revision: Int
        /// Items registered that were not before.
        public var added: Int
        /// Items whose registration or entity changed.
        public var changed: Int
        /// Items no longer registered (their entities are deleted).
        public var removed: Int
        /// Items left exactly as they were.
        public var unchanged: Int

        public init(revision: Int, added: Int, changed: Int, removed: Int, unchanged: Int) {
            self.revision = revision
            self.added = added
            self.changed = changed
            self.removed = removed
            self.unchanged = unchanged
        }
    }

    /// What reporting a tool's definition did.
    public enum Observation: Sendable, Equatable {
        /// The definition is the pinned one (or the one already pending): nothing changed.
        case unchanged
        /// The definition differs from the pinned one: the tool is now quarantined.
        case quarantined
        /// The server gives the pinned definition again: the quarantine is lifted.
        case restored
    }

    // MARK: - Reading

    /// Every item, ordered by entity type then id.
    public func items() async throws(WritError) -> [InventoryItem] {
        try await decisions.store.inventoryItems()
    }

    /// The item registering `uid`; nil when it is not registered.
    public func item(_ uid: EntityUID) async throws(WritError) -> InventoryItem? {
        let key = StoredEntityKey(type: uid.type.name, id: uid.id)
        return try await items().first { $0.key == key }
    }

    /// The inventory revision (0 before the first change).
    public func revision() async throws(WritError) -> Int {
        try await decisions.store.inventoryRevision()
    }

    // MARK: - Applying

    /// Makes `document` the whole inventory: its items are stored and projected into
    /// the entity store (`InventoryProjection`), items no longer listed are removed
    /// with their entities. All or none: when the entities would not conform to the
    /// schema, nothing changes.
    ///
    /// A quarantined tool stays quarantined unless the document pins its pending
    /// definition's hash (which approves it): re-applying the file never lifts a
    /// quarantine by itself.
    public func apply(_ document: InventoryDocument, actor: String) async throws(WritError) -> Application {
        let time = now()
        let outcome = try await decisions.changeInventory { engine, current, revision throws(WritError) -> (InventoryWrite?, Application) in
            Self.plan(document, current: current, engine: engine, revision: revision)
        }
        guard outcome.written else { return outcome.result }
        var application = outcome.result
        application.revision = outcome.revision
        try await AuditRecorder.record(audit, [AuditEvent.lifecycle(.inventoryChanged, time: time, actor: actor, details: [
            (key: "revision", value: .number(JSONNumber(Int64(application.revision)))),
            (key: "items", value: .number(JSONNumber(Int64(document.items.count)))),
            (key: "added", value: .number(JSONNumber(Int64(application.added)))),
            (key: "changed", value: .number(JSONNumber(Int64(application.changed)))),
            (key: "removed", value: .number(JSONNumber(Int64(application.removed)))),
        ])], what: "inventory revision \(application.revision)")
        return application
    }

    /// The write that makes `document` the inventory over `current`; nil when nothing would change.
    private static func plan(
        _ document: InventoryDocument, current: [InventoryItem], engine: PolicyEngine, revision: Int
    ) -> (write: InventoryWrite?, application: Application) {
        var previous: [StoredEntityKey: InventoryItem] = [:]
        for item in current { previous[item.key] = item }
        var write = InventoryWrite()
        var application = Application(revision: revision, added: 0, changed: 0, removed: 0, unchanged: 0)
        var listed: Set<StoredEntityKey> = []
        for given in document.items {
            var item = given
            listed.insert(item.key)
            let old = previous[item.key]
            if let old {
                item = carried(old, into: item)
            }
            let entity = InventoryProjection.entity(item, schema: engine.schema)
            if let old, old == item, engine.storedEntities[item.key] == entity {
                application.unchanged += 1
                continue
            }
            if old == nil { application.added += 1 } else { application.changed += 1 }
            write.items.append(item)
            write.entities.append(entity)
        }
        for item in current where !listed.contains(item.key) {
            write.removedItems.append(item.key)
            write.removedEntities.append(item.key)
            application.removed += 1
        }
        let changes = application.added + application.changed + application.removed
        return (changes == 0 ? nil : write, application)
    }

    /// `item` as a document gives it, with what the inventory keeps from `old`: the
    /// quarantine (unless `item` pins the pending hash) and the pinned definition when
    /// `item` gives only its hash.
    private static func carried(_ old: InventoryItem, into item: InventoryItem) -> InventoryItem {
        var item = item
        if item.definition == nil, let definition = old.definition, let pinned = item.pinnedHash,
            definition.hash.scalarsEqual(pinned)
        {
            item.definition = definition
        }
        if case .quarantined(let pending, _) = old.state {
            if let pinned = item.pinnedHash, pinned.scalarsEqual(pending.hash) {
                item.definition = pending
            } else {
                item.state = old.state
            }
        }
        return item
    }

    // MARK: - Drift

    /// Reports the definition a server gives for registered tool `tool` (what
    /// `writ inventory import` and the gateway call). A hash other than the pinned one
    /// quarantines the tool with `definition` pending, audited `inventory.tool_changed`;
    /// the pinned hash again lifts a quarantine. `.notFound` when `tool` is not a
    /// registered tool.
    @discardableResult
    public func observe(_ definition: ToolDefinition, of tool: EntityUID, actor: String) async throws(WritError) -> Observation {
        let time = now()
        let key = StoredEntityKey(type: tool.type.name, id: tool.id)
        let hash = definition.hash
        let outcome = try await decisions.changeInventory { _, current, _ throws(WritError) -> (InventoryWrite?, (Observation, InventoryItem)) in
            guard var item = current.first(where: { $0.key == key }), item.kind == .tool else {
                throw WritError(.notFound, "\(tool) is not a registered tool")
            }
            let pinned = item.pinnedHash.map { $0.scalarsEqual(hash) } ?? false
            switch item.state {
            case .active where pinned: return (nil, (.unchanged, item))
            case .quarantined(let pending, _) where !pinned && pending.hash.scalarsEqual(hash): return (nil, (.unchanged, item))
            case .quarantined where pinned:
                item.state = .active
                return (InventoryWrite(items: [item]), (.restored, item))
            default:
                item.state = .quarantined(pending: definition, since: time)
                return (InventoryWrite(items: [item]), (.quarantined, item))
            }
        }
        let (observation, item) = outcome.result
        guard outcome.written else { return observation }
        try await AuditRecorder.record(audit, [AuditEvent.lifecycle(
            .inventoryToolChanged, time: time, actor: actor, user: item.owner, resource: tool.description, details: [
                (key: "state", value: .string(observation == .quarantined ? "quarantined" : "active")),
                (key: "pinned", value: item.pinnedHash.map { .string($0) } ?? .null),
                (key: "observed", value: .string(hash)),
            ])], what: "the change of tool \(tool)")
        return observation
    }

    /// Pins the pending definition of quarantined tool `tool` and makes it active
    /// again: only its owner `owner` (a `Writ::User` id) approves, and, when `hash` is
    /// given, only that pending definition (a definition that changed again since the
    /// approver looked is `.conflict`). Audited `inventory.tool_approved`.
    public func approve(_ tool: EntityUID, hash: String? = nil, by owner: String, actor: String) async throws(WritError) -> InventoryItem {
        let time = now()
        let key = StoredEntityKey(type: tool.type.name, id: tool.id)
        let outcome = try await decisions.changeInventory { engine, current, _ throws(WritError) -> (InventoryWrite?, (InventoryItem, String?)) in
            guard var item = current.first(where: { $0.key == key }), item.kind == .tool else {
                throw WritError(.notFound, "\(tool) is not a registered tool")
            }
            guard item.owner.scalarsEqual(owner) else {
                throw WritError(
                    WritError.Code(rawValue: "forbidden"),
                    "\(tool) is owned by \(item.ownerUID); \(EntityUID(BaseSchema.userType.name, owner)) cannot approve its change")
            }
            guard case .quarantined(let pending, _) = item.state else {
                throw WritError(.conflict, "\(tool) is not quarantined: there is no changed definition to approve")
            }
            if let hash, !hash.scalarsEqual(pending.hash) {
                throw WritError(.conflict, "\(tool) now has the pending definition \(pending.hash), not \(hash); look at it again")
            }
            let previous = item.pinnedHash
            item.definition = pending
            item.pinnedHash = pending.hash
            item.state = .active
            let entity = InventoryProjection.entity(item, schema: engine.schema)
            return (InventoryWrite(items: [item], entities: [entity]), (item, previous))
        }
        let (item, previous) = outcome.result
        try await AuditRecorder.record(audit, [AuditEvent.lifecycle(
            .inventoryToolApproved, time: time, actor: actor, user: owner, resource: tool.description, details: [
                (key: "previous", value: previous.map { .string($0) } ?? .null),
                (key: "hash", value: .string(item.pinnedHash ?? "")),
                (key: "owner", value: .string(item.ownerUID.description)),
            ])], what: "the approval of tool \(tool)")
        return item
    }
}
