// Comparison, arithmetic, hierarchy and collection operators.

final class EqualNode: Node {
    let left: any Node, right: any Node
    let negated: Bool
    init(_ left: any Node, _ right: any Node, negated: Bool) {
        self.left = left
        self.right = right
        self.negated = negated
    }
    func eval(_ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        let a = try left.eval(env)
        let b = try right.eval(env)
        return .bool((a == b) != negated)
    }
    var children: [any Node] { [left, right] }
}

/// `<`, `<=`, `>`, `>=` on longs and on extension types that support ordering.
final class CompareNode: Node {
    enum Operator { case less, lessEqual, greater, greaterEqual }
    let op: Operator
    let left: any Node, right: any Node
    init(_ op: Operator, _ left: any Node, _ right: any Node) {
        self.op = op
        self.left = left
        self.right = right
    }
    func eval(_ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        let a = try left.eval(env)
        let b = try right.eval(env)
        let order: Int
        switch (a, b) {
        case let (.long(x), .long(y)):
            order = x < y ? -1 : (x == y ? 0 : 1)
        case let (.ext(x), .ext(y)):
            guard let o = x.compare(y) else {
                throw EvaluationError(
                    .typeError,
                    "type error: cannot compare `\(x.typeName)` with `\(y.typeName)` using `<`, `<=`, `>` or `>=`")
            }
            order = o
        case (.long, _):
            throw .typeError(expected: "long", got: b)
        default:
            throw .typeError(expected: "long", got: a)
        }
        switch op {
        case .less: return .bool(order < 0)
        case .lessEqual: return .bool(order <= 0)
        case .greater: return .bool(order > 0)
        case .greaterEqual: return .bool(order >= 0)
        }
    }
    var children: [any Node] { [left, right] }
}

final class ArithmeticNode: Node {
    enum Operator: String { case add, subtract, multiply }
    let op: Operator
    let left: any Node, right: any Node
    init(_ op: Operator, _ left: any Node, _ right: any Node) {
        self.op = op
        self.left = left
        self.right = right
    }
    func eval(_ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        let a = try left.eval(env)
        let b = try right.eval(env)
        let x = try a.asLong()
        let y = try b.asLong()
        let (result, overflow): (Int64, Bool)
        switch op {
        case .add: (result, overflow) = x.addingReportingOverflow(y)
        case .subtract: (result, overflow) = x.subtractingReportingOverflow(y)
        case .multiply: (result, overflow) = x.multipliedReportingOverflow(by: y)
        }
        if overflow { throw .overflow(op.rawValue, x, y) }
        return .long(result)
    }
    var children: [any Node] { [left, right] }
}

/// `a in b`: `a` an entity; `b` an entity or a set of entities. An entity missing
/// from the store has no ancestors, so it is only `in` itself.
final class InNode: Node {
    let left: any Node, right: any Node
    init(_ left: any Node, _ right: any Node) {
        self.left = left
        self.right = right
    }
    func eval(_ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        let a = try left.eval(env)
        let b = try right.eval(env)
        let uid = try a.asEntity()
        switch b {
        case .entity(let target):
            return .bool(env.entities.isDescendant(uid, of: target))
        case .set(let targets):
            var candidates: [EntityUID] = []
            candidates.reserveCapacity(targets.count)
            for t in targets { candidates.append(try t.asEntity()) }
            if targets.contains(.entity(uid)) { return .bool(true) }
            let ancestors = env.entities.ancestors(of: uid)
            if ancestors.isEmpty { return .bool(false) }
            for c in candidates where ancestors.contains(c) { return .bool(true) }
            return .bool(false)
        default:
            throw .typeError(expected: "entity or set", got: b)
        }
    }
    var isPure: Bool { false }
    var children: [any Node] { [left, right] }
}

final class ContainsNode: Node {
    let left: any Node, right: any Node
    init(_ left: any Node, _ right: any Node) {
        self.left = left
        self.right = right
    }
    func eval(_ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        let a = try left.eval(env)
        let b = try right.eval(env)
        return .bool(try a.asSet().contains(b))
    }
    var children: [any Node] { [left, right] }
}

final class ContainsAllNode: Node {
    let left: any Node, right: any Node
    init(_ left: any Node, _ right: any Node) {
        self.left = left
        self.right = right
    }
    func eval(_ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        let a = try left.eval(env)
        let b = try right.eval(env)
        return .bool(try a.asSet().isSuperset(of: try b.asSet()))
    }
    var children: [any Node] { [left, right] }
}

final class ContainsAnyNode: Node {
    let left: any Node, right: any Node
    init(_ left: any Node, _ right: any Node) {
        self.left = left
        self.right = right
    }
    func eval(_ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        let a = try left.eval(env)
        let b = try right.eval(env)
        return .bool(try a.asSet().intersects(try b.asSet()))
    }
    var children: [any Node] { [left, right] }
}

final class IsEmptyNode: Node {
    let operand: any Node
    init(_ operand: any Node) { self.operand = operand }
    func eval(_ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        .bool(try operand.evalSet(env).isEmpty)
    }
    var children: [any Node] { [operand] }
}

final class HasTagNode: Node {
    let left: any Node, right: any Node
    init(_ left: any Node, _ right: any Node) {
        self.left = left
        self.right = right
    }
    func eval(_ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        let a = try left.eval(env)
        let b = try right.eval(env)
        let uid = try a.asEntity()
        let tag = try b.asString()
        guard let entity = env.entities[uid] else { return .bool(false) }
        return .bool(entity.tags[tag] != nil)
    }
    var isPure: Bool { false }
    var children: [any Node] { [left, right] }
}

final class GetTagNode: Node {
    let left: any Node, right: any Node
    init(_ left: any Node, _ right: any Node) {
        self.left = left
        self.right = right
    }
    func eval(_ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        let a = try left.eval(env)
        let b = try right.eval(env)
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
    var isPure: Bool { false }
    var children: [any Node] { [left, right] }
}

final class GetAttributeNode: Node {
    let operand: any Node
    let attribute: String
    init(_ operand: any Node, _ attribute: String) {
        self.operand = operand
        self.attribute = attribute
    }
    func eval(_ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        let v = try operand.eval(env)
        switch v {
        case .record(let r):
            guard let value = r[attribute] else {
                throw EvaluationError(.attributeNotFound, "record does not have the attribute `\(attribute)`")
            }
            return value
        case .entity(let uid):
            guard let entity = env.entities[uid] else {
                throw EvaluationError(.entityDoesNotExist, "entity `\(uid)` does not exist")
            }
            guard let value = entity.attributes[attribute] else {
                throw EvaluationError(.attributeNotFound, "`\(uid)` does not have the attribute `\(attribute)`")
            }
            return value
        default:
            throw .typeError(expected: "entity or record", got: v)
        }
    }
    var isPure: Bool { false }
    var children: [any Node] { [operand] }
}

final class HasAttributeNode: Node {
    let operand: any Node
    let attribute: String
    init(_ operand: any Node, _ attribute: String) {
        self.operand = operand
        self.attribute = attribute
    }
    func eval(_ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        let v = try operand.eval(env)
        switch v {
        case .record(let r):
            return .bool(r[attribute] != nil)
        case .entity(let uid):
            return .bool(env.entities[uid]?.attributes[attribute] != nil)
        default:
            throw .typeError(expected: "entity or record", got: v)
        }
    }
    var isPure: Bool { false }
    var children: [any Node] { [operand] }
}

final class IsNode: Node {
    let operand: any Node
    let type: EntityType
    init(_ operand: any Node, _ type: EntityType) {
        self.operand = operand
        self.type = type
    }
    func eval(_ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        .bool(try operand.evalEntity(env).type == type)
    }
    var children: [any Node] { [operand] }
}

final class LikeNode: Node {
    let operand: any Node
    let pattern: Pattern
    init(_ operand: any Node, _ pattern: Pattern) {
        self.operand = operand
        self.pattern = pattern
    }
    func eval(_ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        .bool(pattern.matches(try operand.evalString(env)))
    }
    var children: [any Node] { [operand] }
}
