/// What a policy's conditions may read of the request, found from their text alone
/// and erring on the side of "may": for callers that decide many requests differing
/// in one part of the context, to know whether a policy could see that part.
extension Expr {
    /// Whether evaluating this expression may read `context.<attribute>`: false only
    /// when every use of `context` in it reads (`context.a`, `context["a"]`) or tests
    /// (`context has a`) another attribute by name. `context` used any other way —
    /// whole, compared, passed to a function — may read anything in it.
    public func mayReadContext(_ attribute: String) -> Bool {
        var found = false
        visit { expr in
            switch expr.kind {
            case .getAttribute(let target, let name), .hasAttribute(let target, let name):
                if case .variable(.context) = target.kind {
                    if name.scalarsEqual(attribute) { found = true }
                    return false  // `context` itself is read only by this name
                }
            case .variable(.context):
                found = true
            default:
                break
            }
            return !found
        }
        return found
    }

    /// Whether evaluating this expression may read an entity's tags (`hasTag`, `getTag`).
    public var mayReadTags: Bool {
        var found = false
        visit { expr in
            if case .binary(let op, _, _) = expr.kind, op == .hasTag || op == .getTag { found = true }
            return !found
        }
        return found
    }

    /// Calls `body` on this expression and, while it returns true, on each
    /// subexpression, depth first.
    private func visit(_ body: (Expr) -> Bool) {
        guard body(self) else { return }
        switch kind {
        case .value, .variable, .slot: return
        case .not(let e), .negate(let e), .getAttribute(let e, _), .hasAttribute(let e, _), .like(let e, _), .isEmpty(let e):
            e.visit(body)
        case .binary(_, let a, let b), .and(let a, let b), .or(let a, let b):
            a.visit(body)
            b.visit(body)
        case .ifThenElse(let a, let b, let c):
            a.visit(body)
            b.visit(body)
            c.visit(body)
        case .isType(let e, _, let other):
            e.visit(body)
            other?.visit(body)
        case .set(let es), .call(_, let es):
            for e in es { e.visit(body) }
        case .record(let fields):
            for field in fields { field.value.visit(body) }
        }
    }
}

extension Policy {
    /// Whether this policy's conditions may read `context.<attribute>`
    /// (`Expr.mayReadContext(_:)`). The scope never reads the context.
    public func mayReadContext(_ attribute: String) -> Bool {
        conditions.contains { $0.body.mayReadContext(attribute) }
    }

    /// Whether this policy's conditions may read an entity's tags.
    public var mayReadTags: Bool {
        conditions.contains { $0.body.mayReadTags }
    }
}
