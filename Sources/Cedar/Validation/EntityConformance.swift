/// Checks entities read with a schema against it, as Rust Cedar does when it builds an
/// entity store with a schema.
///
/// A non-action entity must have a declared type (and, for an enumerated type, one of
/// its ids); every required attribute and no undeclared one, each of its declared
/// type; parents of the types its type may be in (directly or through the schema's
/// `in` chain); and tags only when its type declares them, each of the tag type. Every
/// entity named inside an attribute or tag must be valid too: a declared action, or
/// one of an enumerated type's ids.
///
/// An action listed in the data must be declared and match the declaration: no
/// attributes or tags, and the same action groups, transitively.
///
/// Errors are located relative to the entity's JSON object (`attrs.age`, `parents`).
struct EntityConformance {
    let schema: Schema
    /// For each entity type, every type its entities may be in.
    private let allowedParentTypes: [EntityType: Set<EntityType>]
    /// For each action, every action group it is in, transitively.
    private let actionAncestors: [EntityUID: Set<EntityUID>]

    init(schema: Schema) {
        self.schema = schema
        allowedParentTypes = Self.closure(schema.entityTypes.mapValues { $0.memberOfTypes })
        actionAncestors = Self.closure(schema.actions.mapValues { $0.memberOf })
    }

    // MARK: - Entities

    /// Checks a non-action entity.
    func checkEntity(_ entity: Entity) throws(JSONError) {
        let uid = entity.uid
        guard let type = schema.entityTypes[uid.type] else {
            throw Self.undeclaredType(uid)
        }
        if let problem = schema.referenceProblem(uid) {
            throw JSONError(problem.code, problem.message, path: [.key("uid")])
        }
        try checkAttributes(of: entity, type)
        for parent in entity.parents.sorted() {
            if let problem = schema.referenceProblem(parent) {
                throw JSONError(problem.code, problem.message, path: [.key("parents")])
            }
            guard allowedParentTypes[uid.type]?.contains(parent.type) ?? false else {
                let allowed = type.memberOfTypes.map { "`\($0)`" }.joined(separator: ", ")
                throw JSONError(
                    .invalidParentType,
                    "`\(uid)` is not allowed to have an ancestor of type `\(parent.type)` according to the schema"
                        + (allowed.isEmpty ? "" : " (it may be in \(allowed))"),
                    path: [.key("parents")])
            }
        }
        try checkTags(of: entity, type)
    }

    private func checkAttributes(of entity: Entity, _ type: EntityTypeSchema) throws(JSONError) {
        let uid = entity.uid
        for attribute in type.attributes.attributes.sorted(by: { $0.name.scalarsLess($1.name) })
        where attribute.isRequired && entity.attributes[attribute.name] == nil {
            throw JSONError(
                .missingAttribute, "expected entity `\(uid)` to have attribute `\(attribute.name)`, but it does not",
                path: [.key("attrs")])
        }
        for field in entity.attributes {
            let path: [JSONPathComponent] = [.key("attrs"), .key(field.key)]
            guard let attribute = type.attributes[field.key] else {
                throw Self.unexpectedAttribute(field.key, of: uid).inside(.key("attrs"))
            }
            if let mismatch = attribute.type.mismatch(with: field.value) {
                throw JSONError(
                    .typeMismatch, mismatch.message(subject: "attribute", name: field.key, on: "`\(uid)`"), path: path)
            }
            if let problem = schema.firstReferenceProblem(in: field.value) {
                throw JSONError(problem.code, problem.message, path: path)
            }
        }
    }

    private func checkTags(of entity: Entity, _ type: EntityTypeSchema) throws(JSONError) {
        let uid = entity.uid
        guard let tagType = type.tags else {
            if let first = entity.tags.fields.first {
                throw Self.unexpectedTag(first.key, of: uid).inside(.key("tags"))
            }
            return
        }
        for tag in entity.tags {
            let path: [JSONPathComponent] = [.key("tags"), .key(tag.key)]
            if let mismatch = tagType.mismatch(with: tag.value) {
                throw JSONError(
                    .typeMismatch, mismatch.message(subject: "tag", name: tag.key, on: "`\(uid)`"), path: path)
            }
            if let problem = schema.firstReferenceProblem(in: tag.value) {
                throw JSONError(problem.code, problem.message, path: path)
            }
        }
    }

    // MARK: - Actions

    /// Checks an action entity given in the data, whose groups in the data's hierarchy
    /// are `ancestors`, against the schema's declaration of it.
    func checkAction(_ entity: Entity, ancestors: Set<EntityUID>) throws(JSONError) {
        let uid = entity.uid
        guard schema.actions[uid] != nil else {
            throw JSONError(
                .undeclaredAction,
                "found action entity `\(uid)`, but it was not declared as an action in the schema",
                path: [.key("uid")])
        }
        let declared = actionAncestors[uid] ?? []
        let difference: String?
        if !entity.attributes.isEmpty {
            difference = "it has attributes, which actions declared in a schema do not"
        } else if !entity.tags.isEmpty {
            difference = "it has tags, which actions cannot have"
        } else if ancestors != declared {
            difference =
                "it is in \(Self.list(ancestors)), but the schema puts it in \(Self.list(declared))"
        } else {
            difference = nil
        }
        if let difference {
            throw JSONError(
                .actionMismatch,
                "definition of action `\(uid)` does not match its schema declaration: \(difference); "
                    + "leave it out of the entities to use the schema's")
        }
    }

    // MARK: - Errors shared with schema-based reading

    static func undeclaredType(_ uid: EntityUID) -> JSONError {
        JSONError(
            .undeclaredEntityType, "entity `\(uid)` has type `\(uid.type)` which is not declared in the schema",
            path: [.key("uid")])
    }

    static func unexpectedAttribute(_ name: String, of uid: EntityUID) -> JSONError {
        JSONError(
            .unexpectedAttribute, "attribute `\(name)` on `\(uid)` should not exist according to the schema",
            path: [.key(name)])
    }

    static func unexpectedTag(_ name: String, of uid: EntityUID) -> JSONError {
        JSONError(
            .unexpectedTag,
            "found a tag `\(name)` on `\(uid)`, but no tags should exist on `\(uid)` according to the schema",
            path: [.key(name)])
    }

    // MARK: - Helpers

    /// `{}` or the uids, sorted: `[Action::"read", Action::"write"]`.
    private static func list(_ uids: Set<EntityUID>) -> String {
        uids.isEmpty ? "no groups" : "[" + uids.sorted().map(\.description).joined(separator: ", ") + "]"
    }

    /// For each key, everything reachable from it through `edges` (not itself unless on
    /// a cycle). Walks iteratively, so deep or cyclic declarations are safe.
    private static func closure<Node: Hashable>(_ edges: [Node: [Node]]) -> [Node: Set<Node>] {
        var result: [Node: Set<Node>] = [:]
        result.reserveCapacity(edges.count)
        for start in edges.keys {
            var seen: Set<Node> = []
            var stack = edges[start] ?? []
            while let next = stack.popLast() {
                guard seen.insert(next).inserted else { continue }
                stack.append(contentsOf: edges[next] ?? [])
            }
            result[start] = seen
        }
        return result
    }
}

// MARK: - Entity references

/// Why an entity uid named in data is not valid under a schema.
package struct ReferenceProblem: Sendable, Equatable {
    package let uid: EntityUID
    package let code: JSONError.Code
    package let message: String
}

extension Schema {
    /// Why `uid` cannot be named under this schema, or nil when it can: an id outside
    /// an enumerated type's ids, or an action the schema does not declare.
    package func referenceProblem(_ uid: EntityUID) -> ReferenceProblem? {
        if let problem = enumeratedIDProblem(uid) { return problem }
        if uid.type.isAction && actions[uid] == nil {
            return ReferenceProblem(
                uid: uid, code: .undeclaredAction,
                message: "found action entity `\(uid)`, but it was not declared as an action in the schema")
        }
        return nil
    }

    /// Whether entity type `type` is enumerated: only the ids it lists are valid.
    package func isEnumerated(_ type: EntityType) -> Bool {
        entityTypes[type]?.enumValues != nil
    }

    /// The problem with `uid` when its type is enumerated and does not list its id.
    package func enumeratedIDProblem(_ uid: EntityUID) -> ReferenceProblem? {
        guard let choices = entityTypes[uid.type]?.enumValues, !choices.contains(where: { $0.scalarsEqual(uid.id) })
        else { return nil }
        let shown = choices.prefix(5).map { "`\(CedarStringLiteral.quote($0))`" }.joined(separator: ", ")
        return ReferenceProblem(
            uid: uid, code: .invalidEnumEntity,
            message: "entity `\(uid)` is of an enumerated entity type, but `\(CedarStringLiteral.quote(uid.id))` "
                + "is not declared as a valid eid (the ids are \(shown)\(choices.count > 5 ? ", ..." : ""))")
    }

    /// The problem with the smallest uid among the entities named anywhere in `value`.
    package func firstReferenceProblem(in value: Value) -> ReferenceProblem? {
        var first: ReferenceProblem?
        // Only sets and records below the top are stacked: most values, and most of a
        // request's context, are looked through without allocating.
        var stack: [Value] = []
        func visit(_ value: Value) {
            switch value {
            case .entity(let uid):
                if let problem = referenceProblem(uid), first.map({ uid < $0.uid }) ?? true { first = problem }
            case .set, .record:
                stack.append(value)
            case .bool, .long, .string, .ext:
                break
            }
        }
        func visitMembers(_ value: Value) {
            switch value {
            case .set(let set):
                for element in set { visit(element) }
            case .record(let record):
                for field in record.fields { visit(field.value) }
            case .entity, .bool, .long, .string, .ext:
                visit(value)
            }
        }
        visitMembers(value)
        while let next = stack.popLast() { visitMembers(next) }
        return first
    }
}
