/// Turns parsed `.cedarschema` text into a `SchemaFragment`, with the checks Rust
/// Cedar makes on the way (`cedar_schema/to_json_schema.rs`): declarations outside any
/// namespace form the empty namespace, nothing is declared twice in a namespace, no
/// namespace is declared twice, no declaration uses `__cedar`, no common type takes a
/// type keyword's name, and every `appliesTo` has one `principal` and one `resource`.
///
/// Each error is the first Rust Cedar reports: namespaces are checked in order (the
/// named ones as written, then the empty one), each for its own declarations before
/// any is converted.
enum CedarSchemaConversion {
    typealias Document = CedarSchemaDocument

    static func fragment(from document: Document) throws(SchemaError) -> SchemaFragment {
        var namespaces = document.namespaces.filter { $0.name != nil }
        let topLevel = document.namespaces.filter { $0.name == nil }.flatMap(\.declarations)
        if !topLevel.isEmpty {
            namespaces.append(Document.Namespace(name: nil, annotations: .init(), declarations: topLevel))
        }
        for namespace in namespaces { try checkDeclarationsAreUnique(namespace) }
        var seen: Set<String> = []
        for namespace in namespaces {
            guard let name = namespace.name else { continue }
            guard seen.insert(name.text).inserted else {
                throw SchemaError(
                    .duplicateNamespace, "namespace `\(name.text.truncatedForMessage)` is declared twice",
                    at: name.location)
            }
        }
        var converted: [SchemaFragment.Namespace] = []
        for namespace in namespaces { converted.append(try convert(namespace)) }
        return SchemaFragment(namespaces: converted)
    }

    // MARK: - Names

    /// Checks the namespace's name and that no entity type, action or common type is
    /// declared twice in it.
    private static func checkDeclarationsAreUnique(_ namespace: Document.Namespace) throws(SchemaError) {
        if let name = namespace.name, SchemaNames.mentionsCedarNamespace(name.text) {
            throw SchemaError(
                .reservedName,
                "`\(name.text.truncatedForMessage)` uses the reserved `__cedar` namespace and cannot name a namespace",
                at: name.location)
        }
        var entityTypes: Set<String> = []
        var actions: Set<ScalarKey> = []
        var commonTypes: Set<String> = []
        for declaration in namespace.declarations {
            if case .entity(let names, _, _, _) = declaration.kind {
                try insert(names, into: &entityTypes, what: "entity type")
            } else if case .enumeration(let names, _) = declaration.kind {
                try insert(names, into: &entityTypes, what: "entity type")
            }
        }
        for declaration in namespace.declarations {
            guard case .action(let names, _, _) = declaration.kind else { continue }
            for name in names where !actions.insert(ScalarKey(name.text)).inserted {
                throw duplicate("action", name)
            }
        }
        for declaration in namespace.declarations {
            guard case .commonType(let name, _) = declaration.kind else { continue }
            try insert([name], into: &commonTypes, what: "common type")
        }
    }

    private static func insert(
        _ names: [Document.Spelling], into seen: inout Set<String>, what: String
    ) throws(SchemaError) {
        for name in names where !seen.insert(name.text).inserted { throw duplicate(what, name) }
    }

    private static func duplicate(_ what: String, _ name: Document.Spelling) -> SchemaError {
        SchemaError(
            .duplicateDeclaration, "\(what) `\(name.text.truncatedForMessage)` is declared twice", at: name.location)
    }

    /// Throws if a declaration's name is `__cedar`.
    private static func checkNotReserved(_ name: Document.Spelling, _ what: String) throws(SchemaError) {
        guard name.text != SchemaNames.cedarNamespace else {
            throw SchemaError(.reservedName, "`__cedar` is reserved and cannot name \(what)", at: name.location)
        }
    }

    // MARK: - Declarations

    /// Converts entity types, then actions, then common types.
    private static func convert(_ namespace: Document.Namespace) throws(SchemaError) -> SchemaFragment.Namespace {
        var result = SchemaFragment.Namespace(name: namespace.name?.text)
        result.annotations = namespace.annotations
        result.location = .init(namespace.name?.location)
        for declaration in namespace.declarations {
            switch declaration.kind {
            case .entity(let names, let memberOfTypes, let shape, let tags):
                let kind = SchemaFragment.EntityType.Kind.standard(
                    memberOfTypes: memberOfTypes, shape: shape, tags: tags)
                try appendEntityTypes(names, kind, declaration.annotations, to: &result)
            case .enumeration(let names, let choices):
                try appendEntityTypes(names, .enumeration(choices), declaration.annotations, to: &result)
            default:
                continue
            }
        }
        for declaration in namespace.declarations {
            guard case .action(let names, let memberOf, let entries) = declaration.kind else { continue }
            let appliesTo = try entries.map { (entries) throws(SchemaError) in try convert(entries, of: names[0]) }
            for name in names {
                result.actions.append(
                    SchemaFragment.Action(
                        name: name.text,
                        appliesTo: appliesTo
                            ?? SchemaFragment.Action.AppliesTo(
                                principalTypes: [], resourceTypes: []),
                        memberOf: memberOf, annotations: declaration.annotations, location: .init(name.location)))
            }
        }
        for declaration in namespace.declarations {
            guard case .commonType(let name, let type) = declaration.kind else { continue }
            try checkNotReserved(name, "a common type")
            guard !SchemaNames.reservedCommonTypeNames.contains(name.text) else {
                throw SchemaError(
                    .reservedKeyword, "`\(name.text)` is a schema type keyword and cannot name a common type",
                    at: name.location)
            }
            result.commonTypes.append(
                SchemaFragment.CommonType(
                    name: name.text, type: type, annotations: declaration.annotations, location: .init(name.location)))
        }
        result.entityTypes.sort { $0.name.scalarsLess($1.name) }
        result.actions.sort { $0.name.scalarsLess($1.name) }
        result.commonTypes.sort { $0.name.scalarsLess($1.name) }
        return result
    }

    private static func appendEntityTypes(
        _ names: [Document.Spelling], _ kind: SchemaFragment.EntityType.Kind,
        _ annotations: SchemaFragment.Annotations, to namespace: inout SchemaFragment.Namespace
    ) throws(SchemaError) {
        for name in names {
            try checkNotReserved(name, "an entity type")
            namespace.entityTypes.append(
                SchemaFragment.EntityType(
                    name: name.text, kind: kind, annotations: annotations, location: .init(name.location)))
        }
    }

    /// An action's `appliesTo` entries as one `AppliesTo`; `action` is the first name
    /// the declaration gives, which messages use.
    private static func convert(
        _ entries: [Document.AppliesTo], of action: Document.Spelling
    ) throws(SchemaError) -> SchemaFragment.Action.AppliesTo {
        var principals: [SchemaFragment.Name]?
        var resources: [SchemaFragment.Name]?
        var context: SchemaFragment.TypeExpr?
        let name = action.text.truncatedForMessage
        func duplicate(_ what: String, _ entry: Document.AppliesTo) -> SchemaError {
            SchemaError(.duplicateAppliesTo, "duplicate `\(what)` declaration in action `\(name)`", at: entry.location)
        }
        func empty(_ what: String, _ entry: Document.AppliesTo) -> SchemaError {
            SchemaError(
                .missingAppliesTo, "for action `\(name)`, `\(what)` is `[]`, which is invalid", at: entry.location)
        }
        for entry in entries {
            switch entry.kind {
            case .context(let type):
                guard context == nil else { throw duplicate("context", entry) }
                context = type
            case .principal(let types):
                guard principals == nil else { throw duplicate("principal", entry) }
                guard !types.isEmpty else { throw empty("principal", entry) }
                principals = types
            case .resource(let types):
                guard resources == nil else { throw duplicate("resource", entry) }
                guard !types.isEmpty else { throw empty("resource", entry) }
                resources = types
            }
        }
        guard let resources else {
            throw SchemaError(.missingAppliesTo, "missing `resource` declaration for `\(name)`", at: action.location)
        }
        guard let principals else {
            throw SchemaError(.missingAppliesTo, "missing `principal` declaration for `\(name)`", at: action.location)
        }
        return SchemaFragment.Action.AppliesTo(
            principalTypes: principals, resourceTypes: resources, context: context ?? .emptyRecord)
    }
}
