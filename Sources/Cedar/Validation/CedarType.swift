/// A type as the strict typechecker sees it.
///
/// These are Rust Cedar's validator types restricted to what strict validation builds:
/// an entity type is a single named type (the least upper bound of two different
/// entity types is an error in strict mode, so unions never arise), booleans carry the
/// singleton types `True` and `False` that make short-circuit typing precise, and a
/// few types exist only as the *expected* side of a check (`anyEntity`, a set with no
/// element type, an open record).
indirect enum CedarType: Sendable, Equatable {
    /// The bottom type: the element type of an empty set.
    case never
    case bool(BoolType)
    case long
    case string
    /// An entity of one named type.
    case entity(EntityType)
    /// Any entity: the expected type of `in`, `is`, `hasTag`; the type of an unlinked slot.
    case anyEntity
    /// A set; a nil element type means any set (an expected type only).
    case set(CedarType?)
    case record(RecordType)
    /// An extension type: `decimal`, `ipaddr`, `datetime` or `duration`.
    case `extension`(String)

    /// `Bool`, `True` or `False`.
    enum BoolType: Sendable, Equatable {
        case any, `true`, `false`
    }

    static let boolean = CedarType.bool(.any)
    static let trueType = CedarType.bool(.true)
    static let falseType = CedarType.bool(.false)
    static func singleton(_ value: Bool) -> CedarType { value ? trueType : falseType }
    /// Every record, as an expected type: open, with no attributes required.
    static let anyRecord = CedarType.record(RecordType(attributes: [:], isOpen: true))
    static let anySet = CedarType.set(nil)
}

/// The attributes of a record type, and whether others may be present.
struct RecordType: Sendable, Equatable {
    var attributes: [ScalarKey: AttributeType]
    /// Whether a value may have attributes beyond those listed. Every record type a
    /// schema or a policy produces is closed; only `CedarType.anyRecord` is open.
    var isOpen: Bool

    subscript(name: String) -> AttributeType? { attributes[ScalarKey(name)] }

    /// The attribute names in Unicode scalar order.
    var sortedNames: [String] { attributes.keys.map(\.string).sorted { $0.scalarsLess($1) } }
}

/// The type of one attribute and whether it must be present.
struct AttributeType: Sendable, Equatable {
    var type: CedarType
    var isRequired: Bool
}

/// Why two types have no least upper bound; it becomes the help of an
/// `incompatible_types` diagnostic.
enum LubFailure: Error, Sendable, Equatable {
    /// One record has an attribute required and the other has it optional.
    case attributeQualifier
    /// The records have different attribute names.
    case recordWidth
    /// Two different entity types.
    case entityType
    /// An entity and a record.
    case entityRecord
    /// Anything else: the types must be equal.
    case other

    var help: String {
        switch self {
        case .attributeQualifier:
            return "corresponding attributes of compatible record types must both be required or both be optional"
        case .recordWidth: return "compatible record types must have exactly the same attributes"
        case .entityType:
            return "different entity types are never compatible, even when their attributes would be"
        case .entityRecord: return "entity and record types are never compatible, even when their attributes would be"
        case .other: return "types must be exactly equal to be compatible"
        }
    }
}

extension CedarType {
    /// Whether every value of `self` is a value of `other`. `strict` forbids width
    /// subtyping of records and an entity type being a subtype of `anyEntity`, as
    /// Rust's strict mode does; the checks of an operand against its expected type are
    /// always made permissively.
    func isSubtype(of other: CedarType, strict: Bool) -> Bool {
        switch (self, other) {
        case (.never, _): return true
        case (.bool(let a), .bool(let b)): return a == b || b == .any
        case (.long, .long), (.string, .string), (.anyEntity, .anyEntity): return true
        case (.set(let a), .set(let b)):
            switch (a, b) {
            case (let a?, let b?): return a.isSubtype(of: b, strict: strict)
            case (_, nil): return true
            case (nil, _?): return false
            }
        case (.record(let a), .record(let b)):
            // Closed records subtype open ones, never the reverse. Width subtyping
            // applies only to an open supertype outside strict mode.
            guard !a.isOpen || b.isOpen else { return false }
            return (b.isOpen && !strict && a.hasAttributes(of: b, strict: strict))
                || (a.attributes.count == b.attributes.count && a.hasAttributes(of: b, strict: strict))
        case (.entity(let a), .entity(let b)): return a == b
        case (.entity, .anyEntity): return !strict
        case (.extension(let a), .extension(let b)): return a == b
        default: return false
        }
    }

    /// The least upper bound of two types in strict mode, or why there is none.
    static func leastUpperBound(_ a: CedarType, _ b: CedarType) -> Result<CedarType, LubFailure> {
        if a.isSubtype(of: b, strict: true) { return .success(b) }
        if b.isSubtype(of: a, strict: true) { return .success(a) }
        switch (a, b) {
        case (.bool, .bool): return .success(.boolean)
        case (.set(nil), .set), (.set, .set(nil)): return .success(.anySet)
        case (.set(let x?), .set(let y?)): return leastUpperBound(x, y).map { .set($0) }
        case (.record(let x), .record(let y)): return RecordType.leastUpperBound(x, y).map { .record($0) }
        case (.entity, .entity), (.entity, .anyEntity), (.anyEntity, .entity): return .failure(.entityType)
        case (.entity, .record), (.anyEntity, .record), (.record, .entity), (.record, .anyEntity):
            return .failure(.entityRecord)
        default: return .failure(.other)
        }
    }

    /// The least upper bound of all of `types` (`never` for none).
    static func leastUpperBound(of types: [CedarType]) -> Result<CedarType, LubFailure> {
        var lub = CedarType.never
        for t in types {
            switch leastUpperBound(lub, t) {
            case .success(let next): lub = next
            case .failure(let why): return .failure(why)
            }
        }
        return .success(lub)
    }

    /// Whether no value has both types. Conservative, as Rust's: only two different
    /// entity types are known to be disjoint (sets of different element types share
    /// the empty set, for instance).
    static func areDisjoint(_ a: CedarType, _ b: CedarType) -> Bool {
        if case .entity(let x) = a, case .entity(let y) = b { return x != y }
        return false
    }
}

extension RecordType {
    /// Whether every attribute of `other` is in `self` with a subtype and a compatible
    /// qualifier (width subtyping allowed).
    func hasAttributes(of other: RecordType, strict: Bool) -> Bool {
        other.attributes.allSatisfy { key, theirs in
            guard let mine = attributes[key] else { return false }
            let qualifierFits = strict ? mine.isRequired == theirs.isRequired : mine.isRequired || !theirs.isRequired
            return qualifierFits && mine.type.isSubtype(of: theirs.type, strict: strict)
        }
    }

    /// The strict least upper bound of two records: the same attribute names, each with
    /// the same qualifier and types that have a least upper bound.
    static func leastUpperBound(_ a: RecordType, _ b: RecordType) -> Result<RecordType, LubFailure> {
        guard Set(a.attributes.keys) == Set(b.attributes.keys) else { return .failure(.recordWidth) }
        var attributes: [ScalarKey: AttributeType] = [:]
        for name in a.sortedNames {
            let key = ScalarKey(name)
            guard let x = a.attributes[key], let y = b.attributes[key] else { return .failure(.recordWidth) }
            switch CedarType.leastUpperBound(x.type, y.type) {
            case .failure(let why): return .failure(why)
            case .success(let lub):
                guard x.isRequired == y.isRequired else { return .failure(.attributeQualifier) }
                attributes[key] = AttributeType(type: lub, isRequired: x.isRequired)
            }
        }
        return .success(RecordType(attributes: attributes, isOpen: a.isOpen || b.isOpen))
    }
}

extension CedarType: CustomStringConvertible {
    /// The type as a schema would write it: `Long`, `Set<String>`, `{ age?: Long }`,
    /// `User`. The singleton booleans print as `Bool`.
    var description: String {
        switch self {
        case .never: return "Never"
        case .bool: return "Bool"
        case .long: return "Long"
        case .string: return "String"
        case .entity(let t): return t.name
        case .anyEntity: return "(any entity type)"
        case .set(let element?): return "Set<\(element)>"
        case .set(nil): return "Set"
        case .record(let r):
            if r.attributes.isEmpty { return r.isOpen ? "(any record)" : "{}" }
            let fields = r.sortedNames.map { name -> String in
                let attribute = r.attributes[ScalarKey(name)]
                let mark = attribute?.isRequired == false ? "?" : ""
                return "\(AttributePath.displayName(name))\(mark): \(attribute.map { "\($0.type)" } ?? "")"
            }
            return "{ " + fields.joined(separator: ", ") + " }"
        case .extension(let name): return name
        }
    }
}
