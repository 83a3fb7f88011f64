/// A Cedar expression: what a policy's `when` and `unless` conditions hold.
///
/// Equality ignores source spans, so a policy parsed from text equals the same
/// policy read from JSON.
public struct Expr: Sendable, Equatable {
    /// The shape of the expression.
    public var kind: Kind
    /// Where in the policy text the expression came from, when it came from text.
    public var span: SourceSpan?

    public init(_ kind: Kind, span: SourceSpan? = nil) {
        self.kind = kind
        self.span = span
    }

    public static func == (lhs: Expr, rhs: Expr) -> Bool { lhs.kind == rhs.kind }

    /// The cases of a Cedar expression. Operators keep their source form (`!=`, `>`)
    /// so that formatting and the JSON form round-trip.
    public indirect enum Kind: Sendable, Equatable {
        /// A literal: a bool, long, string or entity uid.
        case value(Value)
        case variable(Variable)
        /// A template slot: `?principal` or `?resource`.
        case slot(SlotID)
        /// `!e`
        case not(Expr)
        /// `-e`
        case negate(Expr)
        case binary(BinaryOperator, Expr, Expr)
        /// `a && b` — evaluates `b` only when `a` is true.
        case and(Expr, Expr)
        /// `a || b` — evaluates `b` only when `a` is false.
        case or(Expr, Expr)
        case ifThenElse(Expr, then: Expr, else: Expr)
        /// `e.attr` or `e["attr"]`
        case getAttribute(Expr, String)
        /// `e has attr`; `e has a.b` is parsed as `e has a && e.a has b`.
        case hasAttribute(Expr, String)
        /// `e like "pat*tern"`
        case like(Expr, Pattern)
        /// `e is T` and `e is T in other`
        case isType(Expr, EntityType, in: Expr?)
        /// `[a, b, c]`
        case set([Expr])
        /// `{ key: value, ... }` in source order; keys are unique.
        case record([RecordField])
        /// `e.isEmpty()`
        case isEmpty(Expr)
        /// An extension function or method: `ip("10.0.0.1")`, `d.lessThan(e)`.
        /// For methods the receiver is the first argument.
        case call(String, [Expr])
    }
}

/// One `key: value` entry of a record literal.
public struct RecordField: Sendable, Equatable {
    public var key: String
    public var value: Expr
    public init(key: String, value: Expr) {
        self.key = key
        self.value = value
    }
    public static func == (lhs: RecordField, rhs: RecordField) -> Bool {
        lhs.key.scalarsEqual(rhs.key) && lhs.value == rhs.value
    }
}

/// The four request variables.
public enum Variable: String, Sendable, Equatable, CaseIterable {
    case principal, action, resource, context
}

/// A template slot.
public enum SlotID: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case principal = "?principal"
    case resource = "?resource"
    public var description: String { rawValue }
}

/// Binary operators, each as written in source.
public enum BinaryOperator: String, Sendable, Equatable, CaseIterable {
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case lessEqual = "<="
    case greater = ">"
    case greaterEqual = ">="
    case `in` = "in"
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case contains
    case containsAll
    case containsAny
    case hasTag
    case getTag
}

/// A `like` pattern: literal scalars and `*` wildcards.
public struct Pattern: Sendable, Equatable {
    public enum Element: Sendable, Equatable {
        case wildcard
        case literal(Unicode.Scalar)
    }
    public var elements: [Element]
    public init(_ elements: [Element]) { self.elements = elements }
}
