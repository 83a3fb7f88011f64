/// The state one authorization request is evaluated in.
final class EvaluationEnvironment: Sendable {
    let principal: Value
    let action: Value
    let resource: Value
    let context: Value
    let entities: Entities

    init(request: Request, entities: Entities) {
        self.principal = .entity(request.principal)
        self.action = .entity(request.action)
        self.resource = .entity(request.resource)
        self.context = .record(request.context)
        self.entities = entities
    }

    /// An environment with no request, for folding constant subexpressions at compile time.
    static let constantFolding = EvaluationEnvironment(
        request: Request(principal: EntityUID("", ""), action: EntityUID("", ""), resource: EntityUID("", "")),
        entities: Entities()
    )
}

/// A compiled expression: one small final class per operator, built once when a
/// policy is compiled and evaluated many times.
protocol Node: AnyObject, Sendable {
    /// Evaluates the expression in `env`.
    func eval(_ env: EvaluationEnvironment) throws(EvaluationError) -> Value

    /// Whether the result depends only on the node's children — not on the request,
    /// the entity store or slots — so it can be folded when its children are constants.
    var isPure: Bool { get }

    /// The node's children, for constant folding.
    var children: [any Node] { get }
}

extension Node {
    var isPure: Bool { true }
    var children: [any Node] { [] }
}

// MARK: - Typed evaluation helpers

extension Node {
    @inline(__always)
    func evalBool(_ env: EvaluationEnvironment) throws(EvaluationError) -> Bool {
        let v = try eval(env)
        guard case .bool(let b) = v else { throw .typeError(expected: "bool", got: v) }
        return b
    }




}

extension Value {
    @inline(__always)
    func asLong() throws(EvaluationError) -> Int64 {
        guard case .long(let n) = self else { throw .typeError(expected: "long", got: self) }
        return n
    }

    @inline(__always)
    func asSet() throws(EvaluationError) -> CedarSet {
        guard case .set(let s) = self else { throw .typeError(expected: "set", got: self) }
        return s
    }

    @inline(__always)
    func asEntity() throws(EvaluationError) -> EntityUID {
        guard case .entity(let uid) = self else { throw .typeError(expected: "entity", got: self) }
        return uid
    }

    @inline(__always)
    func asString() throws(EvaluationError) -> String {
        guard case .string(let s) = self else { throw .typeError(expected: "string", got: self) }
        return s
    }
}
