/// Inlining of common types, and the resolved entity types and actions built from
/// them.
extension SchemaResolver {
    /// A resolved type with its nesting depth (sets and records on the longest path)
    /// and size (every set, record, attribute type and leaf, counted once per use), for
    /// the limits that keep inlining from building types no one can walk.
    struct Inlined {
        var type: SchemaType
        var depth: Int
        var size: Int
    }

    /// Every common type, inlined, by its fully qualified name. Common types are
    /// resolved in dependency order; a cycle among them is an error.
    func inlineCommonTypes(_ namespaces: [QualifiedNamespace]) throws(SchemaError) -> [String: Inlined] {
        var definitions: [String: (type: QualifiedCommonType, namespace: String?)] = [:]
        var names: [String] = []
        for namespace in namespaces {
            for commonType in namespace.commonTypes {
                definitions[commonType.name] = (commonType, namespace.name)
                names.append(commonType.name)
            }
        }
        let order = try dependencyOrder(names) { name in
            definitions[name].map { commonTypeReferences(in: $0.type.type) } ?? []
        } cycle: { name in
            let declaration = definitions[name]
            return Self.error(
                .commonTypeCycle, "cycle in common type references containing `\(name.truncatedForMessage)`",
                at: declaration?.type.declaration.location ?? .init(),
                path: [
                    .key(declaration?.namespace ?? ""), .key("commonTypes"), .key(String(SchemaNames.basename(name))),
                ])
        }
        var inlined: [String: Inlined] = [:]
        for name in order {
            guard let (commonType, namespace) = definitions[name] else { continue }
            let path: [JSONPathComponent] = [
                .key(namespace ?? ""), .key("commonTypes"), .key(commonType.declaration.name),
            ]
            inlined[name] = try Self.located(path) { () throws(SchemaError) in
                try inline(commonType.type, commonTypes: inlined)
            }
        }
        return inlined
    }

    /// The user-declared common types `type` refers to.
    private func commonTypeReferences(in type: Fragment.TypeExpr) -> [String] {
        switch type {
        case .commonType(let name): return commonTypeNames.contains(name.text) ? [name.text] : []
        case .set(let element): return commonTypeReferences(in: element)
        case .record(let record): return record.attributes.flatMap { commonTypeReferences(in: $0.type) }
        default: return []
        }
    }

    /// `names` ordered so that each comes after the names `edges` gives it, by a
    /// depth-first search that needs no recursion; a cycle throws `cycle(name)` for a
    /// name on it.
    func dependencyOrder<Name: Hashable>(
        _ names: [Name], edges: (Name) -> [Name], cycle: (Name) -> SchemaError
    ) throws(SchemaError) -> [Name] {
        // false while a name's edges are being followed, true once it is ordered.
        var isDone: [Name: Bool] = [:]
        var order: [Name] = []
        for root in names where isDone[root] == nil {
            isDone[root] = false
            var stack: [(name: Name, edges: [Name], next: Int)] = [(root, edges(root), 0)]
            while var top = stack.popLast() {
                guard top.next < top.edges.count else {
                    isDone[top.name] = true
                    order.append(top.name)
                    continue
                }
                let next = top.edges[top.next]
                top.next += 1
                stack.append(top)
                switch isDone[next] {
                case false: throw cycle(next)
                case true: continue
                default:
                    isDone[next] = false
                    stack.append((next, edges(next), 0))
                }
            }
        }
        return order
    }

    /// `type` with its common types replaced by their definitions.
    func inline(_ type: Fragment.TypeExpr, commonTypes: [String: Inlined]) throws(SchemaError) -> Inlined {
        switch type {
        case .boolean: return Inlined(type: .bool, depth: 0, size: 1)
        case .long: return Inlined(type: .long, depth: 0, size: 1)
        case .string: return Inlined(type: .string, depth: 0, size: 1)
        case .extension(let name):
            guard SchemaNames.extensionTypes.contains(name) else {
                throw SchemaError(
                    .unknownExtensionType, "unknown extension type `\(name.truncatedForMessage)`", path: [.key("name")])
            }
            return Inlined(type: .extension(name), depth: 0, size: 1)
        case .entity(let name):
            return Inlined(type: .entity(EntityType(name.text)), depth: 0, size: 1)
        case .entityOrCommon(let name) where !isCommonType(name.text):
            // Qualified references are already one or the other; as in Rust Cedar, a
            // name that is not a common type is an entity type.
            return Inlined(type: .entity(EntityType(name.text)), depth: 0, size: 1)
        case .commonType(let name), .entityOrCommon(let name):
            if let definition = commonTypes[name.text] { return definition }
            if !commonTypeNames.contains(name.text), let builtin = builtinTypes[name.text] {
                return Inlined(type: builtin, depth: 0, size: 1)
            }
            throw SchemaError(.undefinedType, "failed to resolve type `\(name.text.truncatedForMessage)`")
        case .set(let element):
            let inner = try SchemaError.at(.key("element")) { () throws(SchemaError) in
                try inline(element, commonTypes: commonTypes)
            }
            try Self.checkLimits(depth: inner.depth + 1, size: inner.size + 1)
            return Inlined(type: .set(inner.type), depth: inner.depth + 1, size: inner.size + 1)
        case .record(let record):
            guard !record.additionalAttributes else {
                throw SchemaError(
                    .unsupportedFeature, "records with `additionalAttributes` are not supported",
                    path: [.key("additionalAttributes")])
            }
            var attributes: [AttributeSchema] = []
            attributes.reserveCapacity(record.attributes.count)
            var depth = 0
            var size = 1
            try SchemaError.at(.key("attributes")) { () throws(SchemaError) in
                for attribute in record.attributes {
                    let inner = try SchemaError.at(.key(attribute.name)) { () throws(SchemaError) in
                        let inner = try inline(attribute.type, commonTypes: commonTypes)
                        depth = max(depth, inner.depth)
                        size += inner.size
                        try Self.checkLimits(depth: depth + 1, size: size)
                        return inner
                    }
                    attributes.append(
                        AttributeSchema(
                            name: attribute.name, type: inner.type, isRequired: attribute.isRequired,
                            annotations: attribute.annotations.resolved))
                }
            }
            return Inlined(type: .record(RecordSchema(attributes)), depth: depth + 1, size: size)
        }
    }

    /// Throws if a type of this depth and size breaks a limit.
    private static func checkLimits(depth: Int, size: Int) throws(SchemaError) {
        guard depth <= SchemaFragment.maxResolvedTypeDepth else {
            throw SchemaError(
                .nestingTooDeep,
                "the type nests more than \(SchemaFragment.maxResolvedTypeDepth) levels deep once its common types "
                    + "are inlined")
        }
        guard size <= SchemaFragment.maxResolvedTypeSize else {
            throw SchemaError(
                .typeTooLarge,
                "the type has more than \(SchemaFragment.maxResolvedTypeSize) parts once its common types are inlined")
        }
    }

    /// Runs `body`, placing its errors under `path` (errors with a text position keep it).
    static func located<T>(_ path: [JSONPathComponent], _ body: () throws(SchemaError) -> T) throws(SchemaError) -> T {
        do {
            return try body()
        } catch {
            var located = error
            for component in path.reversed() { located = located.inside(component) }
            throw located
        }
    }

    // MARK: - Entity types and actions

    func resolveEntityType(
        _ entityType: QualifiedEntityType, in namespace: QualifiedNamespace, commonTypes: [String: Inlined]
    ) throws(SchemaError) -> EntityTypeSchema {
        let declaration = entityType.declaration
        let path: [JSONPathComponent] = [.key(namespace.name ?? ""), .key("entityTypes"), .key(declaration.name)]
        let annotations = declaration.annotations.resolved
        if case .enumeration(let choices) = declaration.kind {
            var seen: Set<ScalarKey> = []
            let unique = choices.filter { seen.insert(ScalarKey($0)).inserted }
            return EntityTypeSchema(name: entityType.name, enumValues: unique, annotations: annotations)
        }
        let shape = try Self.located(path + [.key("shape")]) { () throws(SchemaError) in
            try inline(entityType.shape, commonTypes: commonTypes)
        }
        guard case .record(let attributes) = shape.type else {
            throw Self.error(
                .notARecord,
                "the shape of entity type `\(entityType.name.name.truncatedForMessage)` is declared with a type other than `Record`",
                at: declaration.location, path: path + [.key("shape")])
        }
        let tags = try entityType.tags.map { (tags) throws(SchemaError) in
            try Self.located(path + [.key("tags")]) { () throws(SchemaError) in
                try inline(tags, commonTypes: commonTypes).type
            }
        }
        return EntityTypeSchema(
            name: entityType.name, memberOfTypes: entityType.memberOfTypes, attributes: attributes, tags: tags,
            annotations: annotations)
    }

    func resolveAction(
        _ action: QualifiedAction, in namespace: QualifiedNamespace, commonTypes: [String: Inlined]
    ) throws(SchemaError) -> ActionSchema {
        let declaration = action.declaration
        let path: [JSONPathComponent] = [
            .key(namespace.name ?? ""), .key("actions"), .key(declaration.name), .key("appliesTo"), .key("context"),
        ]
        let context = try Self.located(path) { () throws(SchemaError) in
            try inline(action.context, commonTypes: commonTypes)
        }
        guard case .record(let contextRecord) = context.type else {
            throw Self.error(
                .notARecord,
                "the context of action `\(action.uid.description.truncatedForMessage)` is declared with a type "
                    + "other than `Record`",
                at: declaration.location, path: path)
        }
        // The human format cannot leave `appliesTo` out (an action without one reads as
        // applying to no principal and no resource), and Rust Cedar treats an empty list
        // like a missing `appliesTo`: so an action "has" one when it can apply to a request.
        let appliesToRequests = !action.principalTypes.isEmpty && !action.resourceTypes.isEmpty
        return ActionSchema(
            uid: action.uid, memberOf: action.memberOf, principalTypes: action.principalTypes,
            resourceTypes: action.resourceTypes, context: contextRecord, hasAppliesTo: appliesToRequests,
            annotations: declaration.annotations.resolved)
    }

    // MARK: - Hierarchies

    /// Action groups may not form a cycle (an action may not be its own group).
    func checkActionHierarchy(_ namespaces: [QualifiedNamespace]) throws(SchemaError) {
        var actions: [EntityUID: (action: QualifiedAction, namespace: String?)] = [:]
        for namespace in namespaces {
            for action in namespace.actions { actions[action.uid] = (action, namespace.name) }
        }
        let uids = namespaces.flatMap { $0.actions.map(\.uid) }
        _ = try dependencyOrder(uids) { uid in
            actions[uid]?.action.memberOf ?? []
        } cycle: { uid in
            let declaration = actions[uid]
            return Self.error(
                .actionCycle, "cycle in action hierarchy containing `\(uid.description.truncatedForMessage)`",
                at: declaration?.action.declaration.location ?? .init(),
                path: [.key(declaration?.namespace ?? ""), .key("actions"), .key(uid.id)])
        }
    }

    /// Parents, principals and resources must be declared entity types: an `Action`
    /// type, which attributes may refer to, is not one.
    func checkDeclaredEntityTypes(_ namespaces: [QualifiedNamespace]) throws(SchemaError) {
        for namespace in namespaces {
            let ns: JSONPathComponent = .key(namespace.name ?? "")
            for entityType in namespace.entityTypes {
                for (index, parent) in entityType.memberOfTypes.enumerated()
                where !entityTypeNames.contains(parent.name) {
                    throw undeclared(
                        parent, at: entityType.declaration.location,
                        path: [
                            ns, .key("entityTypes"), .key(entityType.declaration.name), .key("memberOfTypes"),
                            .index(index),
                        ])
                }
            }
            for action in namespace.actions {
                let path: [JSONPathComponent] = [ns, .key("actions"), .key(action.declaration.name), .key("appliesTo")]
                for (key, types) in [
                    ("principalTypes", action.principalTypes), ("resourceTypes", action.resourceTypes),
                ] {
                    for (index, type) in types.enumerated() where !entityTypeNames.contains(type.name) {
                        throw undeclared(
                            type, at: action.declaration.location, path: path + [.key(key), .index(index)])
                    }
                }
            }
        }
    }

    private func undeclared(
        _ type: EntityType, at location: Fragment.Location, path: [JSONPathComponent]
    ) -> SchemaError {
        Self.error(
            .undefinedType,
            "undeclared entity type `\(type.name.truncatedForMessage)`; only declared entity types can be parents, "
                + "principals or resources", at: location, path: path)
    }
}
