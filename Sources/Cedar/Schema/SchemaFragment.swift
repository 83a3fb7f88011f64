/// A Cedar schema as written, before its names are resolved: namespaces of common
/// types, entity types and actions, with type references as they appear in the text.
///
/// Both formats read into this one model, which is Rust Cedar's JSON schema model
/// (`json_schema::Fragment`), so a fragment prints in either format:
///
/// ```swift
/// let fragment = try SchemaFragment.parse(cedarSchema: text)
/// let json = fragment.jsonText(pretty: true)          // what `cedar translate-schema` prints
/// let schema = try fragment.resolve()                 // names resolved, common types inlined
/// ```
///
/// Like Rust's model, a fragment keeps its declarations sorted by name (namespaces
/// with the empty one first, then by base name and path), so printing is canonical and
/// `parse → print → parse` gives an equal fragment. Source positions are kept for
/// error messages and never take part in equality.
public struct SchemaFragment: Sendable, Equatable {
    /// The namespaces, in canonical order; names are unique.
    var namespaces: [Namespace]

    /// A fragment of `namespaces`, which must have unique names; they are put in
    /// canonical order.
    init(namespaces: [Namespace]) {
        self.namespaces = namespaces.sorted { SchemaNames.namespaceOrder($0.name, $1.name) }
    }

    /// The longest schema text accepted, in UTF-8 bytes (8 MiB), in either format.
    public static let maxInputBytes = 8 * 1024 * 1024

    /// How deeply types may nest in `.cedarschema` text: every `Set<...>` and record
    /// `{...}` inside a declaration is one level. (JSON is limited by its reader, to
    /// 127 levels of arrays and objects, as in Rust Cedar.)
    public static let maxNestingDepth = 128

    /// How deeply a resolved type may nest once its common types are inlined: a chain
    /// of common types, each a `Set` of the last, can otherwise nest without bound.
    public static let maxResolvedTypeDepth = 256

    /// How many parts (sets, records, attributes, leaves) a resolved type may have once
    /// its common types are inlined: common types that each use the previous one twice
    /// otherwise double in size at every step.
    public static let maxResolvedTypeSize = 1_000_000

    /// Reads a schema in Cedar's human format (`.cedarschema`).
    ///
    /// Errors carry the line and column of the offending text.
    public static func parse(cedarSchema text: String) throws(SchemaError) -> SchemaFragment {
        let document = try CedarSchemaParser.parse(text)
        return try CedarSchemaConversion.fragment(from: document)
    }

    /// Reads a schema in Cedar's JSON format (`.cedarschema.json`).
    ///
    /// Errors in a well-formed document carry the JSON path of the offending value.
    public static func parse(json text: String) throws(SchemaError) -> SchemaFragment {
        try SchemaJSONDecoder.fragment(fromText: text)
    }

    /// The schema in Cedar's human format, as Rust Cedar prints it.
    ///
    /// Throws `notExpressible` for the JSON schemas the human format cannot say: an
    /// entity type and a common type with the same name in a namespace, or an entity
    /// type whose shape is not written as a record.
    public var cedarSchemaText: String {
        get throws(SchemaError) { try CedarSchemaFormatter.text(of: self) }
    }

    /// The schema in Cedar's JSON format, as Rust Cedar writes it; `pretty` indents by
    /// two spaces.
    public func jsonText(pretty: Bool = false) -> String {
        SchemaJSONEncoder.json(of: self).encoded(pretty: pretty)
    }

    /// Resolves every name and inlines every common type, checking that everything
    /// referenced is declared, nothing is declared twice, and neither common types nor
    /// action groups form a cycle.
    public func resolve() throws(SchemaError) -> Schema {
        try SchemaResolver(self).resolve()
    }
}

extension SchemaFragment {
    /// One namespace: its common types, entity types and actions, each sorted by name.
    struct Namespace: Sendable, Equatable {
        /// The namespace's name (`PhotoApp`, `Org::Dept`), or nil for the empty namespace.
        var name: String?
        var commonTypes: [CommonType] = []
        var entityTypes: [EntityType] = []
        var actions: [Action] = []
        var annotations = Annotations()
        /// Where the namespace's name is written.
        var location = Location()
    }

    /// `type Name = T;`
    struct CommonType: Sendable, Equatable {
        var name: String
        var type: TypeExpr
        var annotations = Annotations()
        var location = Location()
    }

    /// `entity Name ...;`
    struct EntityType: Sendable, Equatable {
        enum Kind: Sendable, Equatable {
            /// `entity Name in [Parents] = { shape } tags T;` — `shape` is a record or a
            /// common type reference (JSON only).
            case standard(memberOfTypes: [Name], shape: TypeExpr, tags: TypeExpr?)
            /// `entity Name enum ["a", "b"];` — never empty.
            case enumeration([String])
        }

        var name: String
        var kind: Kind
        var annotations = Annotations()
        var location = Location()
    }

    /// `action "name" in [groups] appliesTo { ... };`
    struct Action: Sendable, Equatable {
        /// Who and what the action is for, and its context.
        struct AppliesTo: Sendable, Equatable {
            var principalTypes: [Name]
            var resourceTypes: [Name]
            var context: TypeExpr = .emptyRecord
        }

        /// A group the action is in: `Action::"read"`, `NS::Action::"read"` or `"read"`.
        struct Reference: Sendable, Equatable {
            var id: String
            /// The group's type as written; nil means `Action` in the current namespace
            /// or the empty one.
            var type: Name?
            /// Where the reference is written.
            var location = Location()
        }

        var name: String
        /// JSON `attributes`, which Rust Cedar reads but refuses to resolve.
        var attributes: JSONObject?
        var appliesTo: AppliesTo?
        var memberOf: [Reference]?
        var annotations = Annotations()
        var location = Location()
    }

    /// A type as written, with its references not yet resolved.
    indirect enum TypeExpr: Sendable, Equatable {
        /// JSON `Boolean`.
        case boolean
        /// JSON `Long`.
        case long
        /// JSON `String`.
        case string
        case set(TypeExpr)
        case record(Record)
        /// JSON `{"type": "Entity", "name": ...}`: must name an entity type.
        case entity(Name)
        /// A bare name in the human format, JSON `EntityOrCommon`: a common type if one
        /// of that name is in scope, else an entity type.
        case entityOrCommon(Name)
        /// JSON `{"type": "Extension", "name": ...}`.
        case `extension`(String)
        /// JSON `{"type": "Name"}`, or a context written as a name: must name a common type.
        case commonType(Name)

        /// The empty closed record, the default shape and context.
        static let emptyRecord = TypeExpr.record(Record())

        /// Whether this is the empty closed record, which printers leave out.
        var isEmptyRecord: Bool {
            guard case .record(let record) = self else { return false }
            return record.attributes.isEmpty && !record.additionalAttributes
        }
    }

    /// A record type: attributes sorted by name, unique.
    struct Record: Sendable, Equatable {
        var attributes: [Attribute] = []
        /// JSON `additionalAttributes`, which Rust Cedar reads but refuses to resolve.
        var additionalAttributes = false
    }

    /// One attribute of a record type.
    struct Attribute: Sendable, Equatable {
        var name: String
        var type: TypeExpr
        var isRequired = true
        var annotations = Annotations()
    }

    /// A type or namespace name as written: `User`, `NS::User`, `__cedar::Long`.
    struct Name: Sendable, Equatable {
        var text: String
        var location = Location()

        /// Whether the name has a namespace part.
        var isQualified: Bool { text.utf8.contains(UInt8(ascii: ":")) }

        /// The name a declaration or an unqualified reference has in `namespace`.
        func qualified(by namespace: String?) -> String {
            guard let namespace, !isQualified else { return text }
            return namespace + "::" + text
        }
    }

    /// Annotations, sorted by key, unique. A value is nil when written in JSON as `null`;
    /// the human format's `@key` without a value reads as `""`, as in Rust Cedar.
    struct Annotations: Sendable, Equatable {
        struct Entry: Sendable, Equatable {
            var key: String
            var value: String?
        }

        private(set) var entries: [Entry] = []

        init() {}

        /// Annotations from entries with unique keys, put in order.
        init(uniqueEntries: [Entry]) {
            entries = uniqueEntries.sorted { $0.key.scalarsLess($1.key) }
        }

        var isEmpty: Bool { entries.isEmpty }

        /// The annotations as the resolved schema keeps them: a missing value is `""`.
        var resolved: [Annotation] {
            entries.map { Annotation(key: $0.key, value: $0.value ?? "") }
        }
    }

    /// Where something was written in `.cedarschema` text; nil for JSON. Locations
    /// never take part in equality.
    struct Location: Sendable, Equatable {
        var position: SourceLocation?
        init(_ position: SourceLocation? = nil) { self.position = position }
        static func == (lhs: Location, rhs: Location) -> Bool { true }
    }
}

extension SchemaFragment.Record {
    /// A record of `attributes`, where a later attribute replaces an earlier one of the
    /// same name (as Rust Cedar's human-format reader does); sorted by name.
    init(replacingDuplicates attributes: [SchemaFragment.Attribute], additionalAttributes: Bool = false) {
        var latest: [ScalarKey: Int] = [:]
        for (index, attribute) in attributes.enumerated() { latest[ScalarKey(attribute.name)] = index }
        let kept = attributes.enumerated().filter { latest[ScalarKey($0.element.name)] == $0.offset }.map(\.element)
        self.attributes = kept.sorted { $0.name.scalarsLess($1.name) }
        self.additionalAttributes = additionalAttributes
    }
}
