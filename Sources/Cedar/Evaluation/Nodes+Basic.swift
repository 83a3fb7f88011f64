// Leaves, boolean logic and control flow.

final class ConstantNode: Node {
    let value: Value
    init(_ value: Value) { self.value = value }
    func eval(_ env: EvaluationEnvironment) throws(EvaluationError) -> Value { value }
}

final class PrincipalNode: Node {
    func eval(_ env: EvaluationEnvironment) throws(EvaluationError) -> Value { env.principal }
    var isPure: Bool { false }
}

final class ActionNode: Node {
    func eval(_ env: EvaluationEnvironment) throws(EvaluationError) -> Value { env.action }
    var isPure: Bool { false }
}

final class ResourceNode: Node {
    func eval(_ env: EvaluationEnvironment) throws(EvaluationError) -> Value { env.resource }
    var isPure: Bool { false }
}

final class ContextNode: Node {
    func eval(_ env: EvaluationEnvironment) throws(EvaluationError) -> Value { env.context }
    var isPure: Bool { false }
}

/// A slot left unlinked: evaluating it is an error.
final class UnlinkedSlotNode: Node {
    let slot: SlotID
    init(_ slot: SlotID) { self.slot = slot }
    func eval(_ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        throw EvaluationError(.unlinkedSlot, "template slot `\(slot)` is not linked")
    }
    var isPure: Bool { false }
}

final class AndNode: Node {
    let left: any Node, right: any Node
    init(_ left: any Node, _ right: any Node) {
        self.left = left
        self.right = right
    }
    func eval(_ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        guard try left.evalBool(env) else { return .bool(false) }
        return .bool(try right.evalBool(env))
    }
    var children: [any Node] { [left, right] }
}

final class OrNode: Node {
    let left: any Node, right: any Node
    init(_ left: any Node, _ right: any Node) {
        self.left = left
        self.right = right
    }
    func eval(_ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        if try left.evalBool(env) { return .bool(true) }
        return .bool(try right.evalBool(env))
    }
    var children: [any Node] { [left, right] }
}

final class IfNode: Node {
    let test: any Node, then: any Node, otherwise: any Node
    init(_ test: any Node, _ then: any Node, _ otherwise: any Node) {
        self.test = test
        self.then = then
        self.otherwise = otherwise
    }
    func eval(_ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        try test.evalBool(env) ? try then.eval(env) : try otherwise.eval(env)
    }
    var children: [any Node] { [test, then, otherwise] }
}

final class SetNode: Node {
    let elements: [any Node]
    init(_ elements: [any Node]) { self.elements = elements }
    func eval(_ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        var values = Set<Value>(minimumCapacity: elements.count)
        for e in elements { values.insert(try e.eval(env)) }
        return .set(CedarSet(values))
    }
    var children: [any Node] { elements }
}

final class RecordNode: Node {
    let keys: [String]
    let values: [any Node]
    init(keys: [String], values: [any Node]) {
        self.keys = keys
        self.values = values
    }
    func eval(_ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        var pairs: [(String, Value)] = []
        pairs.reserveCapacity(keys.count)
        for (k, v) in zip(keys, values) { pairs.append((k, try v.eval(env))) }
        return .record(Record(pairs))
    }
    var children: [any Node] { values }
}

final class ExtensionCallNode: Node {
    let function: ExtensionFunction
    let arguments: [any Node]
    init(_ function: ExtensionFunction, _ arguments: [any Node]) {
        self.function = function
        self.arguments = arguments
    }
    func eval(_ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        var values: [Value] = []
        values.reserveCapacity(arguments.count)
        for a in arguments { values.append(try a.eval(env)) }
        return try function.apply(values)
    }
    var children: [any Node] { arguments }
}
