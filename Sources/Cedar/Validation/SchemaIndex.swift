/// What the validator needs from a `Schema`, precomputed once: attribute types as
/// `CedarType`s, and the descendants of every entity type and action (the inverse of
/// `memberOf`, transitively closed), as Rust Cedar's `ValidatorSchema` holds them.
struct SchemaIndex: Sendable {
    struct EntityTypeInfo: Sendable {
        let name: EntityType
        let attributes: RecordType
        /// The type of tag values; nil when entities of this type cannot have tags.
        let tags: CedarType?
        /// The allowed ids of an enumerated entity type.
        let enumValues: [String]?
        /// Entity types whose entities may be members (directly or not) of this type's.
        let descendants: Set<EntityType>
    }

    struct ActionInfo: Sendable {
        let uid: EntityUID
        /// Principal and resource types from `appliesTo`, duplicates removed, in order.
        let principalTypes: [EntityType]
        let resourceTypes: [EntityType]
        let context: RecordType
        /// Actions that are members (directly or not) of this one.
        let descendants: Set<EntityUID>
    }

    let entityTypes: [EntityType: EntityTypeInfo]
    let actions: [EntityUID: ActionInfo]
    /// Entity type names and action uids, sorted, for deterministic iteration.
    let sortedEntityTypes: [EntityType]
    let sortedActions: [EntityUID]

    init(_ schema: Schema) {
        var typeChildren: [EntityType: Set<EntityType>] = [:]
        for (name, type) in schema.entityTypes {
            for parent in type.memberOfTypes { typeChildren[parent, default: []].insert(name) }
        }
        let typeDescendants = Self.transitiveClosure(typeChildren)
        var entityTypes: [EntityType: EntityTypeInfo] = [:]
        for (name, type) in schema.entityTypes {
            entityTypes[name] = EntityTypeInfo(
                name: name,
                attributes: type.enumValues == nil ? Self.recordType(type.attributes) : RecordType(attributes: [:], isOpen: false),
                tags: type.enumValues == nil ? type.tags.map(Self.cedarType) : nil,
                enumValues: type.enumValues,
                descendants: typeDescendants[name] ?? [])
        }

        var actionChildren: [EntityUID: Set<EntityUID>] = [:]
        for (uid, action) in schema.actions {
            for parent in action.memberOf { actionChildren[parent, default: []].insert(uid) }
        }
        let actionDescendants = Self.transitiveClosure(actionChildren)
        var actions: [EntityUID: ActionInfo] = [:]
        for (uid, action) in schema.actions {
            let applies = action.hasAppliesTo
            actions[uid] = ActionInfo(
                uid: uid,
                principalTypes: applies ? Self.unique(action.principalTypes) : [],
                resourceTypes: applies ? Self.unique(action.resourceTypes) : [],
                context: Self.recordType(action.context),
                descendants: actionDescendants[uid] ?? [])
        }

        self.entityTypes = entityTypes
        self.actions = actions
        self.sortedEntityTypes = entityTypes.keys.sorted()
        self.sortedActions = actions.keys.sorted()
    }

    /// Whether `type` is declared, or is an action type (`Action`, `NS::Action`), which
    /// Rust accepts wherever an entity type is named.
    func isKnownEntityType(_ type: EntityType) -> Bool {
        type.isAction || entityTypes[type] != nil
    }

    /// The entity types whose entities may be `in` an entity of type `type`: its
    /// descendants and the type itself.
    func typesIn(_ type: EntityType) -> Set<EntityType> {
        var types = entityTypes[type]?.descendants ?? []
        types.insert(type)
        return types
    }

    /// The actions that are `in` one of `uids` (themselves included); nil when one of
    /// `uids` is not an action of the schema.
    func actionsIn(_ uids: [EntityUID]) -> Set<EntityUID>? {
        var result = Set<EntityUID>()
        for uid in uids {
            guard let action = actions[uid] else { return nil }
            result.formUnion(action.descendants)
            result.insert(uid)
        }
        return result
    }

    /// Whether `action` is one of `uids` or in one of them, as `actionsIn(uids)` would
    /// contain it, without building that set; nil when one of `uids` is not an action
    /// of the schema.
    func isAction(_ action: EntityUID, in uids: [EntityUID]) -> Bool? {
        var found = false
        for uid in uids {
            guard let group = actions[uid] else { return nil }
            if !found && (uid == action || group.descendants.contains(action)) { found = true }
        }
        return found
    }

    /// The type of an entity literal: its entity type when declared (for an action, when
    /// the action is declared); nil otherwise, which another check reports.
    func literalType(_ uid: EntityUID) -> CedarType? {
        if uid.type.isAction { return actions[uid] == nil ? nil : .entity(uid.type) }
        return entityTypes[uid.type] == nil ? nil : .entity(uid.type)
    }

    /// Whether an action of type `actionType` may be `in` an entity of type `type`:
    /// the same type, or some action of type `type` has a descendant of `actionType`.
    func actionTypeMayBeIn(_ actionType: EntityType, _ type: EntityType) -> Bool {
        if actionType == type { return true }
        return actions.values.contains { action in
            action.uid.type == type && action.descendants.contains { $0.type == actionType }
        }
    }

    // MARK: - Building

    static func cedarType(_ type: SchemaType) -> CedarType {
        switch type {
        case .bool: return .boolean
        case .long: return .long
        case .string: return .string
        case .set(let element): return .set(cedarType(element))
        case .record(let record): return .record(recordType(record))
        case .entity(let name): return .entity(name)
        case .extension(let name): return .extension(name)
        }
    }

    static func recordType(_ record: RecordSchema) -> RecordType {
        var attributes: [ScalarKey: AttributeType] = [:]
        for attribute in record.attributes {
            attributes[ScalarKey(attribute.name)] = AttributeType(
                type: cedarType(attribute.type), isRequired: attribute.isRequired)
        }
        return RecordType(attributes: attributes, isOpen: false)
    }

    private static func unique(_ types: [EntityType]) -> [EntityType] {
        var seen = Set<EntityType>()
        return types.filter { seen.insert($0).inserted }
    }

    /// For each node, every node reachable through `children` (cycles allowed).
    private static func transitiveClosure<Node: Hashable>(_ children: [Node: Set<Node>]) -> [Node: Set<Node>] {
        var closure: [Node: Set<Node>] = [:]
        for start in children.keys {
            var reached = Set<Node>()
            var pending = Array(children[start] ?? [])
            while let next = pending.popLast() {
                guard reached.insert(next).inserted else { continue }
                pending.append(contentsOf: children[next] ?? [])
            }
            closure[start] = reached
        }
        return closure
    }
}
