/// One expression compiled once, as a policy condition is, and evaluated against many
/// requests: for analyses that evaluate parts of a condition on their own (the parts
/// that read no `context`, for every principal and resource of an inventory).
public struct CompiledExpression: Sendable {
    private let node: any Node

    /// Compiles `expression`; a slot left in it errors when evaluated.
    public init(_ expression: Expr) {
        node = Compiler.compile(expression)
    }

    /// Evaluates the expression for `request`, resolving entities in `entities`,
    /// exactly as the authorizer evaluates a condition.
    public func evaluate(_ request: Request, entities: Entities) throws(EvaluationError) -> Value {
        try EvaluationEnvironment.over(entities) { address throws(EvaluationError) in
            try node.eval(EvaluationEnvironment(request: request, in: address))
        }
    }
}
