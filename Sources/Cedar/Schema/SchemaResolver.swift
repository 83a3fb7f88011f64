/// Resolves a `SchemaFragment` into a `Schema`, as Rust Cedar builds its validator
/// schema (`schema.rs`, `schema/namespace_def.rs`), making the same checks in the same
/// order so that the first error is the one Rust reports:
///
/// 1. per namespace: no entity type is called `Action`, no action has attributes;
/// 2. no namespaced declaration shadows one in the empty namespace (RFC 70);
/// 3. every name resolves: a name written without a namespace is looked up in the
///    current namespace, then in the empty one, as a common type first, then as an
///    entity type; `Bool`, `Long`, `String` and the extension types are common types
///    of the empty namespace unless declared there, and always `__cedar::` ones; the
///    `Action` type of a namespace with actions is an entity type;
/// 4. common types form no cycle, and are inlined (within the size limits);
/// 5. entity shapes and action contexts are records;
/// 6. action groups form no cycle;
/// 7. parents, principals and resources are declared entity types (an `Action` type
///    is an entity type only where attributes refer to one).
struct SchemaResolver {
    typealias Fragment = SchemaFragment

    let fragment: Fragment
    /// The declared entity types, fully qualified.
    var entityTypeNames: Set<String> = []
    /// The `Action` types of namespaces that declare actions, usable as entity types.
    var actionTypeNames: Set<String> = []
    /// The declared common types, fully qualified.
    var commonTypeNames: Set<String> = []
    /// Built-in types by the names they are common types under: `__cedar::Long`, and
    /// `Long` unless the empty namespace declares a `Long`.
    var builtinTypes: [String: SchemaType] = [:]
    /// The declared actions.
    var actionUIDs: Set<EntityUID> = []

    init(_ fragment: Fragment) {
        self.fragment = fragment
    }

    func resolve() throws(SchemaError) -> Schema {
        var resolver = self
        return try resolver.run()
    }

    private mutating func run() throws(SchemaError) -> Schema {
        for namespace in fragment.namespaces { try checkRestrictions(namespace) }
        collectDeclarations()
        try checkShadowing()
        addBuiltinTypes()
        var qualified: [QualifiedNamespace] = []
        for namespace in fragment.namespaces { qualified.append(try qualify(namespace)) }
        let commonTypes = try inlineCommonTypes(qualified)
        var schema = Schema()
        for namespace in qualified {
            for entityType in namespace.entityTypes {
                let resolved = try resolveEntityType(entityType, in: namespace, commonTypes: commonTypes)
                schema.entityTypes[resolved.name] = resolved
            }
        }
        for namespace in qualified {
            for action in namespace.actions {
                schema.actions[action.uid] = try resolveAction(action, in: namespace, commonTypes: commonTypes)
            }
        }
        try checkActionHierarchy(qualified)
        try checkDeclaredEntityTypes(qualified)
        return schema
    }

    // MARK: - Declarations

    /// The checks Rust makes on each namespace before looking at names.
    private func checkRestrictions(_ namespace: Fragment.Namespace) throws(SchemaError) {
        let path: JSONPathComponent = .key(namespace.name ?? "")
        if let action = namespace.entityTypes.first(where: { $0.name == "Action" }) {
            throw Self.error(
                .actionEntityTypeDeclared, "entity type `Action` cannot be declared; only actions have that type",
                at: action.location, path: [path, .key("entityTypes"), .key("Action")])
        }
        if let action = namespace.actions.first(where: { $0.attributes != nil }) {
            throw Self.error(
                .unsupportedFeature,
                "action `\(action.name.truncatedForMessage)` declares attributes, "
                    + "which Cedar does not support",
                at: action.location, path: [path, .key("actions"), .key(action.name), .key("attributes")])
        }
    }

    private mutating func collectDeclarations() {
        for namespace in fragment.namespaces {
            for entityType in namespace.entityTypes {
                entityTypeNames.insert(Fragment.Name(text: entityType.name).qualified(by: namespace.name))
            }
            for commonType in namespace.commonTypes {
                commonTypeNames.insert(Fragment.Name(text: commonType.name).qualified(by: namespace.name))
            }
            for action in namespace.actions {
                actionUIDs.insert(EntityUID(type: Self.actionType(in: namespace.name), id: action.name))
            }
        }
    }

    /// RFC 70: a declaration in a named namespace may not have the base name of an
    /// entity or common type, or the id of an action, declared in the empty namespace.
    private func checkShadowing() throws(SchemaError) {
        guard let empty = fragment.namespaces.first(where: { $0.name == nil }) else { return }
        let emptyTypes = Set(empty.entityTypes.map(\.name) + empty.commonTypes.map(\.name))
        let emptyActions = Set(empty.actions.map { ScalarKey($0.name) })
        for namespace in fragment.namespaces {
            guard let name = namespace.name else { continue }
            let declarations =
                namespace.commonTypes.map { ($0.name, $0.location, "commonTypes") }
                + namespace.entityTypes.map { ($0.name, $0.location, "entityTypes") }
            for (typeName, location, kind) in declarations where emptyTypes.contains(typeName) {
                throw Self.error(
                    .illegalShadowing,
                    "definition of `\((name + "::" + typeName).truncatedForMessage)` illegally shadows the existing "
                        + "definition of `\(typeName.truncatedForMessage)`",
                    at: location, path: [.key(name), .key(kind), .key(typeName)])
            }
            for action in namespace.actions where emptyActions.contains(ScalarKey(action.name)) {
                let shadowing = EntityUID(type: Self.actionType(in: name), id: action.name)
                let shadowed = EntityUID(type: Self.actionType(in: nil), id: action.name)
                throw Self.error(
                    .illegalShadowing,
                    "definition of `\(shadowing.description.truncatedForMessage)` illegally shadows the existing "
                        + "definition of `\(shadowed.description.truncatedForMessage)`",
                    at: action.location, path: [.key(name), .key("actions"), .key(action.name)])
            }
        }
    }

    /// The `__cedar` types, their aliases in the empty namespace where it declares no
    /// type of the same name, and the `Action` entity types.
    private mutating func addBuiltinTypes() {
        var builtins = SchemaNames.primitiveTypes
        for name in SchemaNames.extensionTypes { builtins[name] = .extension(name) }
        for (name, type) in builtins {
            builtinTypes[SchemaNames.cedarNamespace + "::" + name] = type
            if !entityTypeNames.contains(name) && !commonTypeNames.contains(name) { builtinTypes[name] = type }
        }
        for uid in actionUIDs { actionTypeNames.insert(uid.type.name) }
    }

    // MARK: - Helpers

    /// The type of the actions of `namespace`: `Action` or `NS::Action`.
    static func actionType(in namespace: String?) -> EntityType {
        EntityType(namespace.map { $0 + "::Action" } ?? "Action")
    }

    /// An error at `location` in the text when known, else at `path` in the JSON form.
    static func error(
        _ code: SchemaError.Code, _ message: String, at location: Fragment.Location, path: [JSONPathComponent]
    ) -> SchemaError {
        if let position = location.position { return SchemaError(code, message, at: position) }
        return SchemaError(code, message, path: path)
    }
}
