import Cedar
import Foundation

/// How AuthZEN requests become Cedar requests: which entity type an AuthZEN `type`
/// names, which action an action `name` names, and what becomes of the `properties`
/// a caller sends. docs/AUTHZEN.md describes the whole mapping.
///
/// Read from `authzen.json` beside the policies; every member is optional and the
/// defaults map `{"type": "user", "id": "alice"}` to `user::"alice"` and
/// `{"name": "read"}` to `Action::"read"`:
///
/// ```json
/// {
///   "namespace": "Todo",
///   "entityTypes": { "user": "Todo::User" },
///   "actions": { "can_read": "read" },
///   "propertyPolicy": "fill",
///   "extraMembersAsProperties": false
/// }
/// ```
public struct AuthZENMapping: Sendable, Equatable, Codable {
    /// What request `properties` do to the entity they describe.
    public enum PropertyPolicy: String, Sendable, Equatable, Codable, CaseIterable {
        /// The default. Attributes the entity store holds win; a property fills only an
        /// attribute the stored entity lacks (or, for an entity the store does not
        /// hold, every attribute). The store is the source of truth about a subject —
        /// a caller cannot raise its own `roles` by sending them — while stateless
        /// resources (a todo whose owner the caller passes) still work.
        case fill
        /// Properties replace stored attributes of the same name: for deployments
        /// where the PEP is the trusted source of attributes.
        case override
        /// Properties are never used; only stored attributes count.
        case ignore
    }

    /// Prefixed, with `::`, to AuthZEN types without an explicit mapping and to the
    /// action type: with `Todo`, type `todo` is `Todo::todo` and action `read` is
    /// `Todo::Action::"read"`. Nil: no namespace.
    public var namespace: String? { didSet { actionType = Self.actionType(in: namespace) } }
    /// Explicit AuthZEN type → Cedar entity type (fully qualified); these win over
    /// the namespace rule.
    public var entityTypes: [String: String] { didSet { typeIndex = Self.typeIndex(entityTypes) } }
    /// Explicit AuthZEN action name → id of the Cedar action (in the namespace's
    /// `Action` type); other names are the action id themselves.
    public var actions: [String: String] { didSet { actionIndex = Self.index(actions) { $0 } } }
    /// See `PropertyPolicy`; `fill` by default.
    public var propertyPolicy: PropertyPolicy
    /// Compatibility with AuthZEN draft 00, which put attributes beside `type` and `id`
    /// (`{"type": "todo", "id": "1", "ownerID": "…"}`): when true, the other members
    /// of a subject or resource are read as properties too. Off by default.
    public var extraMembersAsProperties: Bool

    // Lookups compare by Unicode scalars, never by Swift's canonical equivalence.
    /// The explicit entity types, checked once: nil for a name that is not a valid
    /// Cedar type name.
    private var typeIndex: [ScalarKey: EntityType?]
    private var actionIndex: [ScalarKey: String]
    private var actionType: EntityType

    /// A mapping; the defaults are those of an empty `authzen.json`.
    public init(
        namespace: String? = nil, entityTypes: [String: String] = [:], actions: [String: String] = [:],
        propertyPolicy: PropertyPolicy = .fill, extraMembersAsProperties: Bool = false
    ) {
        self.namespace = namespace
        self.entityTypes = entityTypes
        self.actions = actions
        self.propertyPolicy = propertyPolicy
        self.extraMembersAsProperties = extraMembersAsProperties
        self.typeIndex = Self.typeIndex(entityTypes)
        self.actionIndex = Self.index(actions) { $0 }
        self.actionType = Self.actionType(in: namespace)
    }

    // MARK: - Mapping

    /// The Cedar entity type for AuthZEN type `type`, or nil when the mapping gives a
    /// name that is not a valid Cedar type name.
    func cedarType(for type: String) -> EntityType? {
        if let explicit = typeIndex[ScalarKey(type)] { return explicit }
        let name = namespace.map { "\($0)::\(type)" } ?? type
        guard CedarIdentifier.isValidName(name) else { return nil }
        return EntityType(name)
    }

    /// The Cedar action for AuthZEN action `name`.
    func actionUID(for name: String) -> EntityUID {
        EntityUID(type: actionType, id: actionIndex[ScalarKey(name)] ?? name)
    }

    /// The AuthZEN names that map to the Cedar action `uid`, in scalar order; none
    /// for an action of another type.
    func actionNames(for uid: EntityUID) -> [String] {
        guard uid.type == actionType else { return [] }
        var names = actions.filter { $0.value.scalarsEqual(uid.id) }.map(\.key)
        if actionIndex[ScalarKey(uid.id)] == nil { names.append(uid.id) }
        return names.sorted { $0.scalarsLess($1) }
    }

    private static func actionType(in namespace: String?) -> EntityType {
        EntityType(namespace.map { "\($0)::Action" } ?? "Action")
    }

    /// The explicit entity types, each checked once.
    private static func typeIndex(_ map: [String: String]) -> [ScalarKey: EntityType?] {
        index(map) { CedarIdentifier.isValidName($0) ? EntityType($0) : nil }
    }

    private static func index<Value>(_ map: [String: String], _ transform: (String) -> Value) -> [ScalarKey: Value] {
        var index: [ScalarKey: Value] = [:]
        // `updateValue`, since assigning a nil `Value` would remove the key.
        for (key, value) in map { index.updateValue(transform(value), forKey: ScalarKey(key)) }
        return index
    }

    // MARK: - Reading the configuration file

    /// Reads and checks an `authzen.json` document: strict JSON (no duplicate keys),
    /// only the members above, a valid Cedar namespace and type names. Errors name the
    /// file and member.
    public static func parse(_ bytes: [UInt8], file: String = "authzen.json") throws(WritError) -> AuthZENMapping {
        let document: JSON
        do {
            document = try JSON.parse(bytes, limits: JSONLimits(maxDepth: 8, maxBytes: 1 << 20))
        } catch {
            throw WritError.fromJSON(error, what: file)
        }
        let mapping: AuthZENMapping
        do {
            mapping = try JSONDecoder().decode(AuthZENMapping.self, from: Data(bytes))
        } catch let error as WritError {
            throw WritError(error.code, "\(file): \(error.message)")
        } catch {
            throw WritError(.invalidRequest, "\(file): \(Self.describe(error))")
        }
        // Swift dictionaries merge keys that differ only in Unicode normalisation.
        for key in ["entityTypes", "actions"] {
            if case .object(let outer) = document, case .object(let inner)? = outer[key],
                inner.count != (key == "entityTypes" ? mapping.entityTypes.count : mapping.actions.count)
            {
                throw WritError(.invalidRequest, "\(file): `\(key)` has keys that differ only in Unicode normalisation")
            }
        }
        return mapping
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case namespace, entityTypes, actions, propertyPolicy, extraMembersAsProperties
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Decodes a mapping; an unknown member or a name that cannot be a Cedar name is
    /// an error. Prefer `parse(_:file:)`, which also rejects duplicate keys.
    public init(from decoder: any Decoder) throws {
        let all = try decoder.container(keyedBy: AnyKey.self)
        if let unknown = all.allKeys.first(where: { CodingKeys(rawValue: $0.stringValue) == nil }) {
            let known = CodingKeys.allCases.map { "`\($0.rawValue)`" }.joined(separator: ", ")
            throw WritError(.invalidRequest, "unknown member `\(unknown.stringValue)`; expected one of \(known)")
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            namespace: try container.decodeIfPresent(String.self, forKey: .namespace),
            entityTypes: try container.decodeIfPresent([String: String].self, forKey: .entityTypes) ?? [:],
            actions: try container.decodeIfPresent([String: String].self, forKey: .actions) ?? [:],
            propertyPolicy: try container.decodeIfPresent(PropertyPolicy.self, forKey: .propertyPolicy) ?? .fill,
            extraMembersAsProperties: try container.decodeIfPresent(Bool.self, forKey: .extraMembersAsProperties)
                ?? false)
        try check()
    }

    /// Encodes every member, defaults included.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(namespace, forKey: .namespace)
        try container.encode(entityTypes, forKey: .entityTypes)
        try container.encode(actions, forKey: .actions)
        try container.encode(propertyPolicy, forKey: .propertyPolicy)
        try container.encode(extraMembersAsProperties, forKey: .extraMembersAsProperties)
    }

    /// Checks that every name the mapping produces can be a Cedar name.
    public func check() throws(WritError) {
        if let namespace, !CedarIdentifier.isValidName(namespace) {
            throw WritError(.invalidIdentifier, "`namespace` `\(namespace)` is not a valid Cedar namespace")
        }
        for (type, cedar) in entityTypes.sorted(by: { $0.key.scalarsLess($1.key) }) {
            guard CedarIdentifier.isValidName(cedar), !EntityType(cedar).isAction else {
                throw WritError(
                    .invalidIdentifier, "`entityTypes.\(type)` maps to `\(cedar)`, which is not a Cedar entity type name")
            }
        }
        for name in Array(entityTypes.keys) + Array(actions.keys) + Array(actions.values) {
            if AuthZENIdentifier.firstRefused(in: name) != nil {
                throw WritError(
                    .invalidIdentifier, "`\(name)` in the mapping contains a control, bidirectional or zero-width character")
            }
        }
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
            DecodingError.keyNotFound(_, let context), DecodingError.dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "`\(path)`: \(context.debugDescription)"
        default:
            return "\(error)"
        }
    }
}
