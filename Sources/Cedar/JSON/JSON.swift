/// A JSON value, as read by `JSON.parse` and written by `JSON.encoded(pretty:)`.
///
/// Objects keep their members in document order and compare keys by Unicode
/// scalars; numbers keep their source text, so integers of any size stay exact.
/// Equality treats objects as unordered and strings by their scalars.
package enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSON])
    case object(JSONObject)

    package static func == (lhs: JSON, rhs: JSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.string(a), .string(b)): return a.scalarsEqual(b)
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)): return a == b
        default: return false
        }
    }

    /// The kind of value, with an article, for messages: `a string`, `an object`.
    package var kindDescription: String {
        switch self {
        case .null: return "`null`"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

/// A JSON number, kept as the text it was written with.
package struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The number as written, e.g. `-12` or `1.5e3`.
    package let text: String

    /// A number written as a decimal integer.
    package init(_ value: Int64) {
        self.text = String(value)
    }

    /// A number from text the caller has checked against the JSON number grammar.
    package init(validatedText text: String) {
        self.text = text
    }

    package var description: String { text }

    /// The exact integer this number denotes, or nil when it has a fraction or an
    /// exponent (`1.0`, `1e2`), is `-0`, or lies outside the 64-bit range — the numbers
    /// Rust Cedar (through serde_json) reads as an `i64`.
    package var int64: Int64? {
        var digits = Substring(text).utf8[...]
        let negative = digits.first == UInt8(ascii: "-")
        if negative { digits = digits.dropFirst() }
        guard !digits.isEmpty else { return nil }
        var value: Int64 = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let digit = Int64(byte - UInt8(ascii: "0"))
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            // Accumulate negatively so that Int64.min is reachable.
            let (next, overflowB) =
                negative
                ? shifted.subtractingReportingOverflow(digit)
                : shifted.addingReportingOverflow(digit)
            if overflowA || overflowB { return nil }
            value = next
        }
        // serde_json reads `-0` as the float -0.0, which is not a Cedar integer.
        if negative && value == 0 { return nil }
        return value
    }
}

/// A JSON object: members in document order, keys unique by Unicode scalars.
package struct JSONObject: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    /// The members in document order.
    package private(set) var members: [(key: String, value: JSON)]

    /// The empty object.
    package init() { members = [] }

    /// An object from members whose keys the caller guarantees are unique.
    package init(uniqueMembers: [(key: String, value: JSON)]) {
        members = uniqueMembers
    }

    /// An object literal; keys must be unique.
    package init(dictionaryLiteral elements: (String, JSON)...) {
        members = elements.map { (key: $0.0, value: $0.1) }
    }

    package var count: Int { members.count }
    package var isEmpty: Bool { members.isEmpty }
    package var keys: [String] { members.map(\.key) }

    /// The value of member `key`, compared by Unicode scalars, or nil.
    package subscript(key: String) -> JSON? {
        for member in members where member.key.scalarsEqual(key) { return member.value }
        return nil
    }

    /// Adds a member at the end; the caller guarantees `key` is not already present.
    package mutating func append(_ key: String, _ value: JSON) {
        members.append((key: key, value: value))
    }

    package func makeIterator() -> IndexingIterator<[(key: String, value: JSON)]> {
        members.makeIterator()
    }

    /// Objects are equal when they have the same keys with equal values, in any order.
    package static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        guard lhs.count > 16 else {
            return lhs.members.allSatisfy { member in rhs[member.key] == member.value }
        }
        var others: [ScalarKey: JSON] = [:]
        for member in rhs.members { others[ScalarKey(string: member.key)] = member.value }
        return lhs.members.allSatisfy { member in others[ScalarKey(string: member.key)] == member.value }
    }
}

extension JSON: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    package init(nilLiteral: ()) { self = .null }
    package init(booleanLiteral value: Bool) { self = .bool(value) }
    package init(integerLiteral value: Int64) { self = .number(JSONNumber(value)) }
    package init(stringLiteral value: String) { self = .string(value) }
    package init(arrayLiteral elements: JSON...) { self = .array(elements) }
    package init(dictionaryLiteral elements: (String, JSON)...) {
        self = .object(JSONObject(uniqueMembers: elements.map { (key: $0.0, value: $0.1) }))
    }
}

