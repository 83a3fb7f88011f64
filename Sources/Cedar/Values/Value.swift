/// A Cedar value.
///
/// Strings are compared by Unicode scalars (see `String.scalarsEqual`), sets are
/// unordered, and records are ordered by key for deterministic output.
public enum Value: Sendable, Hashable {
    case bool(Bool)
    /// A 64-bit signed integer. Arithmetic that leaves the range is an evaluation error.
    case long(Int64)
    case string(String)
    case entity(EntityUID)
    case set(CedarSet)
    case record(Record)
    /// A value of an extension type: decimal, ipaddr, datetime or duration.
    case ext(ExtensionValue)

    public static func == (lhs: Value, rhs: Value) -> Bool {
        switch (lhs, rhs) {
        case let (.bool(a), .bool(b)): return a == b
        case let (.long(a), .long(b)): return a == b
        case let (.string(a), .string(b)): return a.scalarsEqual(b)
        case let (.entity(a), .entity(b)): return a == b
        case let (.set(a), .set(b)): return a == b
        case let (.record(a), .record(b)): return a == b
        case let (.ext(a), .ext(b)): return a == b
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .bool(let b): hasher.combine(0); hasher.combine(b)
        case .long(let n): hasher.combine(1); hasher.combine(n)
        case .string(let s): hasher.combine(2); hasher.combineScalars(s)
        case .entity(let e): hasher.combine(3); hasher.combine(e)
        case .set(let s): hasher.combine(4); hasher.combine(s)
        case .record(let r): hasher.combine(5); hasher.combine(r)
        case .ext(let x): hasher.combine(6); hasher.combine(x)
        }
    }

    /// The Cedar name of this value's type, as used in error messages and schemas.
    public var typeName: String {
        switch self {
        case .bool: return "bool"
        case .long: return "long"
        case .string: return "string"
        case .entity(let uid): return "(entity of type `\(uid.type.name)`)"
        case .set: return "set"
        case .record: return "record"
        case .ext(let x): return x.typeName
        }
    }
}

/// An unordered set of Cedar values.
public struct CedarSet: Sendable, Hashable, Sequence {
    /// The elements.
    public private(set) var elements: Set<Value>

    /// Creates a set from any sequence of values; duplicates collapse.
    public init<S: Sequence>(_ values: S) where S.Element == Value {
        self.elements = Set(values)
    }

    /// The empty set.
    public init() { self.elements = [] }

    public var count: Int { elements.count }
    public var isEmpty: Bool { elements.isEmpty }
    public func contains(_ v: Value) -> Bool { elements.contains(v) }
    public func makeIterator() -> Set<Value>.Iterator { elements.makeIterator() }

    /// Whether every element of `other` is in this set.
    public func isSuperset(of other: CedarSet) -> Bool { elements.isSuperset(of: other.elements) }
    /// Whether the two sets share an element.
    public func intersects(_ other: CedarSet) -> Bool { !elements.isDisjoint(with: other.elements) }
}

/// A Cedar record: string keys (compared by Unicode scalars) mapped to values,
/// kept sorted by key.
public struct Record: Sendable, Hashable, Sequence {
    /// The fields, sorted by key in Unicode scalar order, keys unique.
    public private(set) var fields: [(key: String, value: Value)]

    /// The empty record.
    public init() { self.fields = [] }

    /// Creates a record from key/value pairs. When a key repeats, the last value wins;
    /// parsers that must reject duplicates check before calling this.
    public init<S: Sequence>(_ pairs: S) where S.Element == (String, Value) {
        var fields: [(key: String, value: Value)] = []
        fields.reserveCapacity(pairs.underestimatedCount)
        // Pairs given in order, keys unique (most are: records read from sorted
        // JSON members, or built by code that lists them so), are kept as they come.
        var ordered = true
        for (k, v) in pairs {
            if ordered, let last = fields.last, !last.key.scalarsLess(k) { ordered = false }
            fields.append((k, v))
        }
        if ordered {
            self.fields = fields
            return
        }
        // Stable sort keeps later duplicates after earlier ones; keep the last.
        fields = fields.enumerated().sorted { a, b in
            if a.element.key.scalarsEqual(b.element.key) { return a.offset < b.offset }
            return a.element.key.scalarsLess(b.element.key)
        }.map(\.element)
        var unique: [(key: String, value: Value)] = []
        unique.reserveCapacity(fields.count)
        for f in fields {
            if let last = unique.last, last.key.scalarsEqual(f.key) {
                unique[unique.count - 1] = f
            } else {
                unique.append(f)
            }
        }
        self.fields = unique
    }

    public var count: Int { fields.count }
    public var isEmpty: Bool { fields.isEmpty }
    public var keys: [String] { fields.map(\.key) }
    public func makeIterator() -> IndexingIterator<[(key: String, value: Value)]> { fields.makeIterator() }

    /// The value stored under `key`, or nil.
    public subscript(key: String) -> Value? {
        var lo = 0
        var hi = fields.count
        while lo < hi {
            let mid = (lo + hi) / 2
            let k = fields[mid].key
            if k.scalarsEqual(key) { return fields[mid].value }
            if k.scalarsLess(key) { lo = mid + 1 } else { hi = mid }
        }
        return nil
    }

    /// Replaces the value under `key`, keeping the fields in place; returns false,
    /// changing nothing, when the record has no field `key`. For a record rebuilt
    /// often with new values under the same keys, without sorting it again.
    @discardableResult
    public mutating func replaceValue(_ value: Value, forKey key: String) -> Bool {
        var lo = 0
        var hi = fields.count
        while lo < hi {
            let mid = (lo + hi) / 2
            let k = fields[mid].key
            if k.scalarsEqual(key) {
                fields[mid].value = value
                return true
            }
            if k.scalarsLess(key) { lo = mid + 1 } else { hi = mid }
        }
        return false
    }

    public static func == (lhs: Record, rhs: Record) -> Bool {
        guard lhs.fields.count == rhs.fields.count else { return false }
        for (a, b) in zip(lhs.fields, rhs.fields) where !(a.key.scalarsEqual(b.key) && a.value == b.value) {
            return false
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(fields.count)
        for f in fields {
            hasher.combineScalars(f.key)
            hasher.combine(f.value)
        }
    }
}
