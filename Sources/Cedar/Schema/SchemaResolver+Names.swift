/// Name resolution: every reference in a namespace becomes a fully qualified name of
/// something declared, or an `undefinedType` / `undefinedAction` error at the reference.
extension SchemaResolver {
    /// A namespace whose references are all fully qualified. Types contain only
    /// `.entity` and `.commonType` references, both resolved; builtin common types keep
    /// their names (`__cedar::Long`) until inlining.
    struct QualifiedNamespace {
        var name: String?
        var commonTypes: [QualifiedCommonType] = []
        var entityTypes: [QualifiedEntityType] = []
        var actions: [QualifiedAction] = []
    }

    struct QualifiedCommonType {
        var name: String
        var type: Fragment.TypeExpr
        var declaration: Fragment.CommonType
    }

    struct QualifiedEntityType {
        var name: EntityType
        var declaration: Fragment.EntityType
        var memberOfTypes: [EntityType] = []
        var shape: Fragment.TypeExpr = .emptyRecord
        var tags: Fragment.TypeExpr?
    }

    struct QualifiedAction {
        var uid: EntityUID
        var declaration: Fragment.Action
        var principalTypes: [EntityType] = []
        var resourceTypes: [EntityType] = []
        var context: Fragment.TypeExpr = .emptyRecord
        var memberOf: [EntityUID] = []
    }

    /// What a reference may resolve to.
    enum ReferenceKind {
        case common, entity, commonOrEntity

        var description: String {
            switch self {
            case .common: return "a common type"
            case .entity: return "an entity type"
            case .commonOrEntity: return "a common or entity type"
            }
        }
    }

    /// Qualifies every reference in `namespace`: common types, then entity types, then
    /// actions, as Rust Cedar does.
    func qualify(_ namespace: Fragment.Namespace) throws(SchemaError) -> QualifiedNamespace {
        let ns = namespace.name
        var result = QualifiedNamespace(name: ns)
        try SchemaError.at(.key(ns ?? "")) { () throws(SchemaError) in
            for commonType in namespace.commonTypes {
                let type = try SchemaError.at(.key("commonTypes")) { () throws(SchemaError) in
                    try SchemaError.at(.key(commonType.name)) { () throws(SchemaError) in
                        try qualify(commonType.type, in: ns)
                    }
                }
                result.commonTypes.append(
                    QualifiedCommonType(
                        name: Fragment.Name(text: commonType.name).qualified(by: ns), type: type,
                        declaration: commonType))
            }
            for entityType in namespace.entityTypes {
                result.entityTypes.append(
                    try SchemaError.at(.key("entityTypes")) { () throws(SchemaError) in
                        try SchemaError.at(.key(entityType.name)) { () throws(SchemaError) in
                            try qualify(entityType, in: ns)
                        }
                    })
            }
            for action in namespace.actions {
                result.actions.append(
                    try SchemaError.at(.key("actions")) { () throws(SchemaError) in
                        try SchemaError.at(.key(action.name)) { () throws(SchemaError) in try qualify(action, in: ns) }
                    })
            }
        }
        return result
    }

    private func qualify(_ entityType: Fragment.EntityType, in ns: String?) throws(SchemaError) -> QualifiedEntityType {
        let name = EntityType(Fragment.Name(text: entityType.name).qualified(by: ns))
        var result = QualifiedEntityType(name: name, declaration: entityType)
        guard case .standard(let parents, let shape, let tags) = entityType.kind else { return result }
        result.memberOfTypes = try SchemaError.at(.key("memberOfTypes")) { () throws(SchemaError) in
            try qualifyEntityTypes(parents, in: ns)
        }
        result.shape = try SchemaError.at(.key("shape")) { () throws(SchemaError) in try qualify(shape, in: ns) }
        if let tags {
            result.tags = try SchemaError.at(.key("tags")) { () throws(SchemaError) in try qualify(tags, in: ns) }
        }
        return result
    }

    private func qualify(_ action: Fragment.Action, in ns: String?) throws(SchemaError) -> QualifiedAction {
        var result = QualifiedAction(
            uid: EntityUID(type: Self.actionType(in: ns), id: action.name), declaration: action)
        if let appliesTo = action.appliesTo {
            try SchemaError.at(.key("appliesTo")) { () throws(SchemaError) in
                result.context = try SchemaError.at(.key("context")) { () throws(SchemaError) in
                    try qualify(appliesTo.context, in: ns)
                }
                result.principalTypes = try SchemaError.at(.key("principalTypes")) { () throws(SchemaError) in
                    try qualifyEntityTypes(appliesTo.principalTypes, in: ns)
                }
                result.resourceTypes = try SchemaError.at(.key("resourceTypes")) { () throws(SchemaError) in
                    try qualifyEntityTypes(appliesTo.resourceTypes, in: ns)
                }
            }
        }
        var seen: Set<EntityUID> = []
        for (index, reference) in (action.memberOf ?? []).enumerated() {
            let uid = try SchemaError.at(.key("memberOf")) { () throws(SchemaError) in
                try SchemaError.at(.index(index)) { () throws(SchemaError) in try qualify(reference, in: ns) }
            }
            if seen.insert(uid).inserted { result.memberOf.append(uid) }
        }
        return result
    }

    /// Entity type references, without repeats.
    private func qualifyEntityTypes(_ names: [Fragment.Name], in ns: String?) throws(SchemaError) -> [EntityType] {
        var result: [EntityType] = []
        var seen: Set<EntityType> = []
        for (index, name) in names.enumerated() {
            let type = try SchemaError.at(.index(index)) { () throws(SchemaError) in
                EntityType(try resolve(name, as: .entity, in: ns))
            }
            if seen.insert(type).inserted { result.append(type) }
        }
        return result
    }

    /// `type` with every reference resolved.
    func qualify(_ type: Fragment.TypeExpr, in ns: String?) throws(SchemaError) -> Fragment.TypeExpr {
        switch type {
        case .boolean, .long, .string, .extension:
            return type
        case .set(let element):
            return .set(try SchemaError.at(.key("element")) { () throws(SchemaError) in try qualify(element, in: ns) })
        case .record(var record):
            try SchemaError.at(.key("attributes")) { () throws(SchemaError) in
                for index in record.attributes.indices {
                    let attribute = record.attributes[index]
                    record.attributes[index].type = try SchemaError.at(.key(attribute.name)) {
                        () throws(SchemaError) in try qualify(attribute.type, in: ns)
                    }
                }
            }
            return .record(record)
        case .entity(let name):
            let qualified = try SchemaError.at(.key("name")) { () throws(SchemaError) in
                try resolve(name, as: .entity, in: ns)
            }
            return .entity(Fragment.Name(text: qualified, location: name.location))
        case .commonType(let name):
            let qualified = try SchemaError.at(.key("type")) { () throws(SchemaError) in
                try resolve(name, as: .common, in: ns)
            }
            return .commonType(Fragment.Name(text: qualified, location: name.location))
        case .entityOrCommon(let name):
            let qualified = try SchemaError.at(.key("name")) { () throws(SchemaError) in
                try resolve(name, as: .commonOrEntity, in: ns)
            }
            let resolved = Fragment.Name(text: qualified, location: name.location)
            return isCommonType(qualified) ? .commonType(resolved) : .entity(resolved)
        }
    }

    /// The fully qualified name `name` refers to from namespace `ns`: the first of
    /// `ns::name` and `name` (just `name` when it is qualified or `ns` is empty) that is
    /// declared as something `kind` allows, a common type winning over an entity type.
    func resolve(_ name: Fragment.Name, as kind: ReferenceKind, in ns: String?) throws(SchemaError) -> String {
        let candidates = ns == nil || name.isQualified ? [name.text] : [name.qualified(by: ns), name.text]
        for candidate in candidates {
            if kind != .entity && isCommonType(candidate) { return candidate }
            if kind != .common && isEntityType(candidate) { return candidate }
        }
        let reason: String
        if candidates.count == 1 {
            reason = "`\(name.text.truncatedForMessage)` has not been declared as \(kind.description)"
        } else {
            reason =
                "neither `\(candidates[0].truncatedForMessage)` nor `\(candidates[1].truncatedForMessage)` refers to anything that has been declared as "
                + kind.description
        }
        let message = "failed to resolve type `\(name.text.truncatedForMessage)`: \(reason)"
        if let position = name.location.position { throw SchemaError(.undefinedType, message, at: position) }
        throw SchemaError(.undefinedType, message)
    }

    /// The action a group reference names: `Action::"id"` (or the one written) in
    /// `ns`, else in the empty namespace.
    private func qualify(_ reference: Fragment.Action.Reference, in ns: String?) throws(SchemaError) -> EntityUID {
        let type = reference.type ?? Fragment.Name(text: "Action")
        let candidates = ns == nil || type.isQualified ? [type.text] : [type.qualified(by: ns), type.text]
        for candidate in candidates {
            let uid = EntityUID(type: EntityType(candidate), id: reference.id)
            if actionUIDs.contains(uid) { return uid }
        }
        let written = EntityUID(type: EntityType(type.text), id: reference.id)
        let message =
            "undeclared action `\(written.description.truncatedForMessage)`; "
            + "the groups of an action must be declared as actions"
        if let position = reference.location.position {
            throw SchemaError(.undefinedAction, message, at: position)
        }
        throw SchemaError(.undefinedAction, message)
    }

    func isCommonType(_ name: String) -> Bool {
        commonTypeNames.contains(name) || builtinTypes[name] != nil
    }

    func isEntityType(_ name: String) -> Bool {
        entityTypeNames.contains(name) || actionTypeNames.contains(name)
    }
}
