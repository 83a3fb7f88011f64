/// The condition Rust Cedar typechecks for a policy, in the form its AST has.
///
/// Rust typechecks one expression per policy: the scope constraints and the `when` and
/// `unless` clauses joined by `&&`, right-nested. Its parser also rewrites some
/// operators (`a != b` is `!(a == b)`, `a > b` is `!(a <= b)`, `a >= b` is `!(a < b)`,
/// `e is T in x` is `e is T && e in x`, and `&&` or `||` between two boolean literals
/// becomes one literal), and those rewrites decide the types: a `!` turns `True` into
/// `False`, and `(true || true) == "a"` compares two literals, so it is `False` rather
/// than an error. This builds the same conjuncts from a `Policy`.
struct TypecheckedCondition {
    /// The conjuncts in order: principal, action and resource constraints, then each
    /// clause (`true` when there is none), an `unless` clause negated.
    let conjuncts: [Expr]

    /// The rewritten clauses: the conjuncts after the three scope constraints.
    var clauses: ArraySlice<Expr> { conjuncts.dropFirst(3) }

    /// Thrown when an expression nests deeper than `Typechecker.maxDepth`.
    struct TooDeep: Error {}

    init(_ policy: Policy) throws(TooDeep) {
        let span = policy.span
        var conjuncts = [
            Self.scopeExpr(.principal, policy.principal, span),
            Self.actionExpr(policy.action, span),
            Self.scopeExpr(.resource, policy.resource, span),
        ]
        for condition in policy.conditions {
            let body = try Self.rewrite(condition.body, depth: 0)
            conjuncts.append(condition.kind == .when ? body : Expr(.not(body), span: body.span))
        }
        if policy.conditions.isEmpty { conjuncts.append(Expr(.value(.bool(true)), span: span)) }
        self.conjuncts = conjuncts
    }

    private static func scopeExpr(_ variable: Variable, _ constraint: ScopeConstraint, _ span: SourceSpan?) -> Expr {
        let v = Expr(.variable(variable), span: span)
        func reference(_ r: EntityReference) -> Expr {
            switch r {
            case .entity(let uid): return Expr(.value(.entity(uid)), span: span)
            case .slot(let slot): return Expr(.slot(slot), span: span)
            }
        }
        switch constraint {
        case .any: return Expr(.value(.bool(true)), span: span)
        case .equal(let r): return Expr(.binary(.equal, v, reference(r)), span: span)
        case .in(let r): return Expr(.binary(.in, v, reference(r)), span: span)
        case .is(let type): return Expr(.isType(v, type, in: nil), span: span)
        case .isIn(let type, let r):
            return Expr(
                .and(Expr(.isType(v, type, in: nil), span: span), Expr(.binary(.in, v, reference(r)), span: span)),
                span: span)
        }
    }

    /// The action constraint; `action in A` is `action in [A]`, as Rust stores it.
    private static func actionExpr(_ constraint: ActionConstraint, _ span: SourceSpan?) -> Expr {
        let v = Expr(.variable(.action), span: span)
        func set(_ uids: [EntityUID]) -> Expr {
            Expr(.set(uids.map { Expr(.value(.entity($0)), span: span) }), span: span)
        }
        switch constraint {
        case .any: return Expr(.value(.bool(true)), span: span)
        case .equal(let uid): return Expr(.binary(.equal, v, Expr(.value(.entity(uid)), span: span)), span: span)
        case .in(let uid): return Expr(.binary(.in, v, set([uid])), span: span)
        case .inSet(let uids): return Expr(.binary(.in, v, set(uids)), span: span)
        }
    }

    /// `expr` with Rust's parser rewrites applied, and literal sets, records and
    /// extension values spelled out as the expressions that build them.
    static func rewrite(_ expr: Expr, depth: Int) throws(TooDeep) -> Expr {
        guard depth < Typechecker.maxDepth else { throw TooDeep() }
        func r(_ e: Expr) throws(TooDeep) -> Expr { try rewrite(e, depth: depth + 1) }
        let span = expr.span
        func node(_ kind: Expr.Kind) -> Expr { Expr(kind, span: span) }
        switch expr.kind {
        case .variable, .slot: return expr
        case .value(let value): return spelledOut(value, span)
        case .not(let e): return node(.not(try r(e)))
        case .negate(let e): return node(.negate(try r(e)))
        case .binary(let op, let a, let b):
            let (a, b) = (try r(a), try r(b))
            switch op {
            case .notEqual: return node(.not(node(.binary(.equal, a, b))))
            case .greater: return node(.not(node(.binary(.lessEqual, a, b))))
            case .greaterEqual: return node(.not(node(.binary(.less, a, b))))
            default: return node(.binary(op, a, b))
            }
        case .and(let a, let b):
            let (a, b) = (try r(a), try r(b))
            if case .value(.bool(let x)) = a.kind, case .value(.bool(let y)) = b.kind { return node(.value(.bool(x && y))) }
            return node(.and(a, b))
        case .or(let a, let b):
            let (a, b) = (try r(a), try r(b))
            if case .value(.bool(let x)) = a.kind, case .value(.bool(let y)) = b.kind { return node(.value(.bool(x || y))) }
            return node(.or(a, b))
        case .ifThenElse(let c, let t, let e): return node(.ifThenElse(try r(c), then: try r(t), else: try r(e)))
        case .getAttribute(let e, let a): return node(.getAttribute(try r(e), a))
        case .hasAttribute(let e, let a): return node(.hasAttribute(try r(e), a))
        case .like(let e, let p): return node(.like(try r(e), p))
        case .isType(let e, let type, let other):
            let e = try r(e)
            guard let other else { return node(.isType(e, type, in: nil)) }
            return node(.and(node(.isType(e, type, in: nil)), node(.binary(.in, e, try r(other)))))
        case .set(let elements):
            var rewritten: [Expr] = []
            for element in elements { rewritten.append(try r(element)) }
            return node(.set(rewritten))
        case .record(let fields):
            var rewritten: [RecordField] = []
            for field in fields { rewritten.append(RecordField(key: field.key, value: try r(field.value))) }
            return node(.record(rewritten))
        case .isEmpty(let e): return node(.isEmpty(try r(e)))
        case .call(let name, let args):
            var rewritten: [Expr] = []
            for arg in args { rewritten.append(try r(arg)) }
            return node(.call(name, rewritten))
        }
    }

    /// A literal as Rust's AST holds it: primitives stay literals; a set, record or
    /// extension value (possible only in a programmatically built `Expr`) becomes the
    /// expression that builds it. Values are finite trees that Swift built, so the
    /// recursion is as deep as the value.
    private static func spelledOut(_ value: Value, _ span: SourceSpan?) -> Expr {
        switch value {
        case .bool, .long, .string, .entity: return Expr(.value(value), span: span)
        case .set(let set):
            return Expr(.set(set.map { spelledOut($0, span) }), span: span)
        case .record(let record):
            return Expr(.record(record.fields.map { RecordField(key: $0.key, value: spelledOut($0.value, span)) }), span: span)
        case .ext(let x):
            let literal = x.cedarLiteral
            return Expr(.call(literal.function, [Expr(.value(.string(literal.argument)), span: span)]), span: span)
        }
    }
}
