// Binary operators (each a `BinaryOperation` run by one generic node) and the
// unary operators that inspect entities, records and strings.

/// A binary operator: both operands are evaluated, left first, then combined.
protocol BinaryOperation: Sendable {
    /// Whether the result depends on the entity store (so it cannot be constant-folded).
    static var readsEntities: Bool { get }
    static func apply(_ a: Value, _ b: Value, _ env: EvaluationEnvironment) throws(EvaluationError) -> Value
}

extension BinaryOperation {
    static var readsEntities: Bool { false }
}

/// Evaluates both operands, then `Operation`. Specialised per operation, so the
/// operator is a static call.
final class BinaryNode<Operation: BinaryOperation>: Node {
    let left: any Node, right: any Node
    init(_ left: any Node, _ right: any Node) {
        self.left = left
        self.right = right
    }
    func eval(_ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        let a = try left.eval(env)
        let b = try right.eval(env)
        return try Operation.apply(a, b, env)
    }
    var isPure: Bool { !Operation.readsEntities }
    var children: [any Node] { [left, right] }
}

enum Equal: BinaryOperation {
    static func apply(_ a: Value, _ b: Value, _ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        .bool(a == b)
    }
}

enum NotEqual: BinaryOperation {
    static func apply(_ a: Value, _ b: Value, _ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        .bool(a != b)
    }
}

/// Orders two values for `<`, `<=`, `>` and `>=`: longs, and extension values of a type
/// that supports ordering (datetime, duration). Anything else is a type error.
private func order(_ a: Value, _ b: Value) throws(EvaluationError) -> Int {
    switch (a, b) {
    case let (.long(x), .long(y)):
        return x < y ? -1 : (x == y ? 0 : 1)
    case let (.ext(x), .ext(y)):
        if let o = x.compare(y) { return o }
        if x.supportsOrdering { throw .typeError(expected: x.typeName, got: b) }
        throw .typeError(expected: "one of [long, datetime, duration]", got: a)
    case (.long, _):
        throw .typeError(expected: "long", got: b)
    case (.ext(let x), _) where x.supportsOrdering:
        throw .typeError(expected: x.typeName, got: b)
    default:
        throw .typeError(expected: "one of [long, datetime, duration]", got: a)
    }
}

enum Less: BinaryOperation {
    static func apply(_ a: Value, _ b: Value, _ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        .bool(try order(a, b) < 0)
    }
}

enum LessEqual: BinaryOperation {
    static func apply(_ a: Value, _ b: Value, _ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        .bool(try order(a, b) <= 0)
    }
}

enum Greater: BinaryOperation {
    static func apply(_ a: Value, _ b: Value, _ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        .bool(try order(a, b) > 0)
    }
}

enum GreaterEqual: BinaryOperation {
    static func apply(_ a: Value, _ b: Value, _ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        .bool(try order(a, b) >= 0)
    }
}

/// Checked 64-bit arithmetic: overflow is an evaluation error.
private func arithmetic(
    _ a: Value, _ b: Value, _ name: String, _ op: (Int64, Int64) -> (partialValue: Int64, overflow: Bool)
) throws(EvaluationError) -> Value {
    let x = try a.asLong()
    let y = try b.asLong()
    let (result, overflow) = op(x, y)
    if overflow { throw .overflow(name, x, y) }
    return .long(result)
}

enum Add: BinaryOperation {
    static func apply(_ a: Value, _ b: Value, _ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        try arithmetic(a, b, "add") { $0.addingReportingOverflow($1) }
    }
}

enum Subtract: BinaryOperation {
    static func apply(_ a: Value, _ b: Value, _ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        try arithmetic(a, b, "subtract") { $0.subtractingReportingOverflow($1) }
    }
}

enum Multiply: BinaryOperation {
    static func apply(_ a: Value, _ b: Value, _ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        try arithmetic(a, b, "multiply") { $0.multipliedReportingOverflow(by: $1) }
    }
}

/// `a in b`: `a` an entity; `b` an entity or a set of entities. An entity missing
/// from the store has no ancestors, so it is only `in` itself.
enum In: BinaryOperation {
    static var readsEntities: Bool { true }
    static func apply(_ a: Value, _ b: Value, _ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        let uid = try a.asEntity()
        switch b {
        case .entity(let target):
            return .bool(env.entities.isDescendant(uid, of: target))
        case .set(let targets):
            // Every element must be an entity, even when an earlier one already matches.
            for t in targets { _ = try t.asEntity() }
            if targets.contains(.entity(uid)) { return .bool(true) }
            let ancestors = env.entities.ancestors(of: uid)
            if ancestors.isEmpty { return .bool(false) }
            for case .entity(let target) in targets where ancestors.contains(target) { return .bool(true) }
            return .bool(false)
        default:
            throw .typeError(expected: "entity or set", got: b)
        }
    }
}

enum Contains: BinaryOperation {
    static func apply(_ a: Value, _ b: Value, _ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        .bool(try a.asSet().contains(b))
    }
}

enum ContainsAll: BinaryOperation {
    static func apply(_ a: Value, _ b: Value, _ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        .bool(try a.asSet().isSuperset(of: try b.asSet()))
    }
}

enum ContainsAny: BinaryOperation {
    static func apply(_ a: Value, _ b: Value, _ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        .bool(try a.asSet().intersects(try b.asSet()))
    }
}

/// `e.hasTag(t)`: false for an entity missing from the store.
enum HasTag: BinaryOperation {
    static var readsEntities: Bool { true }
    static func apply(_ a: Value, _ b: Value, _ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        let uid = try a.asEntity()
        let tag = try b.asString()
        return .bool(env.entities[uid]?.tags[tag] != nil)
    }
}

/// `e.getTag(t)`: an error for a missing entity or tag.
enum GetTag: BinaryOperation {
    static var readsEntities: Bool { true }
    static func apply(_ a: Value, _ b: Value, _ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        let uid = try a.asEntity()
        let tag = try b.asString()
        guard let entity = env.entities[uid] else {
            throw EvaluationError(.entityDoesNotExist, "entity `\(uid)` does not exist")
        }
        guard let value = entity.tags[tag] else {
            throw EvaluationError(.tagNotFound, "`\(uid)` does not have the tag `\(tag)`")
        }
        return value
    }
}

/// A unary operator, possibly carrying data (an attribute name, a type, a pattern).
protocol UnaryOperation: Sendable {
    /// Whether the result depends on the entity store (so it cannot be constant-folded).
    var readsEntities: Bool { get }
    func apply(_ v: Value, _ env: EvaluationEnvironment) throws(EvaluationError) -> Value
}

extension UnaryOperation {
    var readsEntities: Bool { false }
}

/// Evaluates the operand, then `Operation`.
final class UnaryNode<Operation: UnaryOperation>: Node {
    let operand: any Node
    let operation: Operation
    init(_ operation: Operation, _ operand: any Node) {
        self.operation = operation
        self.operand = operand
    }
    func eval(_ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        try operation.apply(try operand.eval(env), env)
    }
    var isPure: Bool { !operation.readsEntities }
    var children: [any Node] { [operand] }
}

struct Not: UnaryOperation {
    func apply(_ v: Value, _ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        guard case .bool(let b) = v else { throw .typeError(expected: "bool", got: v) }
        return .bool(!b)
    }
}

struct Negate: UnaryOperation {
    func apply(_ v: Value, _ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        let n = try v.asLong()
        let (result, overflow) = Int64(0).subtractingReportingOverflow(n)
        if overflow {
            throw EvaluationError(.overflow, "integer overflow while attempting to negate `\(n)`")
        }
        return .long(result)
    }
}

struct IsEmpty: UnaryOperation {
    func apply(_ v: Value, _ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        .bool(try v.asSet().isEmpty)
    }
}

/// `e.attr`: an error when the record or entity lacks it, or the entity does not exist.
struct GetAttribute: UnaryOperation {
    let attribute: String
    var readsEntities: Bool { true }
    func apply(_ v: Value, _ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        switch v {
        case .record(let r):
            guard let value = r[attribute] else {
                throw EvaluationError(.attributeNotFound, "record does not have the attribute `\(attribute)`")
            }
            return value
        case .entity(let uid):
            guard let found = env.entities.attribute(attribute, of: uid) else {
                throw EvaluationError(.entityDoesNotExist, "entity `\(uid)` does not exist")
            }
            guard let value = found else {
                throw EvaluationError(.attributeNotFound, "`\(uid)` does not have the attribute `\(attribute)`")
            }
            return value
        default:
            throw .typeError(expected: "entity or record", got: v)
        }
    }
}

/// `e has attr`: false for an entity missing from the store.
struct HasAttribute: UnaryOperation {
    let attribute: String
    var readsEntities: Bool { true }
    func apply(_ v: Value, _ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        switch v {
        case .record(let r): return .bool(r[attribute] != nil)
        case .entity(let uid): return .bool((env.entities.attribute(attribute, of: uid) ?? nil) != nil)
        default: throw .typeError(expected: "entity or record", got: v)
        }
    }
}

struct IsType: UnaryOperation {
    let type: EntityType
    func apply(_ v: Value, _ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        .bool(try v.asEntity().type == type)
    }
}

struct Like: UnaryOperation {
    let pattern: Pattern
    func apply(_ v: Value, _ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        .bool(pattern.matches(try v.asString()))
    }
}
