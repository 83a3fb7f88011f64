/// Turns expressions into trees of `Node`s once, folding constant subexpressions,
/// so that evaluation never walks the AST.
enum Compiler {
    /// Compiles `expr`. Slots must already be replaced by linking; a remaining slot
    /// compiles to a node that errors when evaluated.
    static func compile(_ expr: Expr) -> any Node {
        fold(build(expr))
    }

    private static func build(_ expr: Expr) -> any Node {
        switch expr.kind {
        case .value(let v): return ConstantNode(v)
        case .variable(let v):
            switch v {
            case .principal: return PrincipalNode()
            case .action: return ActionNode()
            case .resource: return ResourceNode()
            case .context: return ContextNode()
            }
        case .slot(let s): return UnlinkedSlotNode(s)
        case .not(let e): return UnaryNode(Not(), compile(e))
        case .negate(let e): return UnaryNode(Negate(), compile(e))
        case .and(let a, let b): return AndNode(compile(a), compile(b))
        case .or(let a, let b): return OrNode(compile(a), compile(b))
        case .ifThenElse(let c, let t, let e): return IfNode(compile(c), compile(t), compile(e))
        case .getAttribute(let e, let a): return UnaryNode(GetAttribute(attribute: a), compile(e))
        case .hasAttribute(let e, let a): return UnaryNode(HasAttribute(attribute: a), compile(e))
        case .like(let e, let p): return UnaryNode(Like(pattern: p), compile(e))
        case .isType(let e, let type, let other):
            let operand = compile(e)
            let isNode = UnaryNode(IsType(type: type), operand)
            guard let other else { return isNode }
            return AndNode(isNode, BinaryNode<In>(operand, compile(other)))
        case .set(let es): return SetNode(es.map(compile))
        case .record(let fs):
            // Rust Cedar holds a record literal as a map sorted by key and evaluates it in
            // that order, which decides the error of a record with two failing fields.
            let sorted = fs.sorted { $0.key.scalarsLess($1.key) }
            return RecordNode(keys: sorted.map(\.key), values: sorted.map { compile($0.value) })
        case .isEmpty(let e): return UnaryNode(IsEmpty(), compile(e))
        case .call(let name, let args):
            guard let function = Extensions.function(named: name), function.arity == args.count else {
                return UnknownFunctionNode(name: name, arity: args.count, arguments: args.map(compile))
            }
            return ExtensionCallNode(function, args.map(compile))
        case .binary(let op, let a, let b):
            let l = compile(a), r = compile(b)
            switch op {
            case .equal: return BinaryNode<Equal>(l, r)
            case .notEqual: return BinaryNode<NotEqual>(l, r)
            case .less: return BinaryNode<Less>(l, r)
            case .lessEqual: return BinaryNode<LessEqual>(l, r)
            case .greater: return BinaryNode<Greater>(l, r)
            case .greaterEqual: return BinaryNode<GreaterEqual>(l, r)
            case .in: return BinaryNode<In>(l, r)
            case .add: return BinaryNode<Add>(l, r)
            case .subtract: return BinaryNode<Subtract>(l, r)
            case .multiply: return BinaryNode<Multiply>(l, r)
            case .contains: return BinaryNode<Contains>(l, r)
            case .containsAll: return BinaryNode<ContainsAll>(l, r)
            case .containsAny: return BinaryNode<ContainsAny>(l, r)
            case .hasTag: return BinaryNode<HasTag>(l, r)
            case .getTag: return BinaryNode<GetTag>(l, r)
            }
        }
    }

    /// Replaces a pure node whose children are all constants by its value. A node
    /// whose evaluation errors is kept, so the error surfaces at evaluation time and
    /// is attributed to its policy, exactly as without folding.
    private static func fold(_ node: any Node) -> any Node {
        guard node.isPure, !(node is ConstantNode) else { return node }
        guard node.children.allSatisfy({ $0 is ConstantNode }) else { return node }
        guard let value = try? node.eval(.constantFolding) else { return node }
        return ConstantNode(value)
    }
}

/// A call to a function the extensions do not define (possible only from JSON
/// input): evaluating it is an error, after evaluating its arguments as Cedar does.
final class UnknownFunctionNode: Node {
    let name: String
    let arity: Int
    let arguments: [any Node]
    init(name: String, arity: Int, arguments: [any Node]) {
        self.name = name
        self.arity = arity
        self.arguments = arguments
    }
    func eval(_ env: EvaluationEnvironment) throws(EvaluationError) -> Value {
        for a in arguments { _ = try a.eval(env) }
        throw EvaluationError(.wrongArity, "extension function `\(name)` taking \(arity) arguments does not exist")
    }
    var isPure: Bool { false }
    var children: [any Node] { arguments }
}
