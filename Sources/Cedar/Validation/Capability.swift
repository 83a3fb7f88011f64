/// Something known to be safe to read because a guard was true: attribute `a` of
/// expression `e` after `e has a`, or tag `t` of `e` after `e.hasTag(t)`.
///
/// Expressions are compared by shape (their structure, ignoring source positions), as
/// Rust Cedar compares them, so `principal has age && principal.age > 3` is safe
/// wherever the two `principal`s are written.
struct Capability: Hashable, Sendable {
    enum Kind: Hashable, Sendable { case attribute, tag }
    let kind: Kind
    let target: ExprShape
    /// The attribute name as a string literal, or the tag expression.
    let member: ExprShape

    static func attribute(_ target: Expr, _ name: String) -> Capability {
        Capability(kind: .attribute, target: ExprShape(target), member: ExprShape(Expr(.value(.string(name)))))
    }

    static func tag(_ target: Expr, _ tag: Expr) -> Capability {
        Capability(kind: .tag, target: ExprShape(target), member: ExprShape(tag))
    }
}

/// The capabilities an expression grants when it evaluates to true.
typealias CapabilitySet = Set<Capability>

/// The capabilities known where an expression is typechecked: those of the guards
/// around it. A policy's clauses add theirs one after another, so the set can grow as
/// large as the policy; it is kept in two parts so that adding a clause's few
/// capabilities for its subexpressions copies only those few, never the large rest.
struct KnownCapabilities {
    /// What the clauses before the current one proved; grows in place between clauses.
    private var base: CapabilitySet = []
    /// What guards inside the current clause proved.
    private var local: CapabilitySet = []

    func contains(_ capability: Capability) -> Bool {
        local.contains(capability) || base.contains(capability)
    }

    /// These capabilities and `more`.
    func adding(_ more: CapabilitySet) -> KnownCapabilities {
        if more.isEmpty { return self }
        var copy = self
        copy.local.formUnion(more)
        return copy
    }

    /// Adds `more` to the capabilities carried from clause to clause.
    mutating func formClauseUnion(_ more: CapabilitySet) {
        base.formUnion(more)
    }
}

/// An expression compared by shape, with its hash computed once.
struct ExprShape: Hashable, Sendable {
    let expr: Expr
    private let digest: Int

    init(_ expr: Expr) {
        self.expr = expr
        var hasher = Hasher()
        Self.combineShape(of: expr, into: &hasher)
        self.digest = hasher.finalize()
    }

    static func == (lhs: ExprShape, rhs: ExprShape) -> Bool { lhs.digest == rhs.digest && lhs.expr == rhs.expr }
    func hash(into hasher: inout Hasher) { hasher.combine(digest) }

    /// Feeds the structure of `root` to `hasher`, walking it with an explicit stack.
    private static func combineShape(of root: Expr, into hasher: inout Hasher) {
        var pending = [root]
        while let e = pending.popLast() {
            switch e.kind {
            case .value(let v): hasher.combine(0); hasher.combine(v)
            case .variable(let v): hasher.combine(1); hasher.combine(v)
            case .slot(let s): hasher.combine(2); hasher.combine(s)
            case .not(let a): hasher.combine(3); pending.append(a)
            case .negate(let a): hasher.combine(4); pending.append(a)
            case .binary(let op, let a, let b): hasher.combine(5); hasher.combine(op); pending += [b, a]
            case .and(let a, let b): hasher.combine(6); pending += [b, a]
            case .or(let a, let b): hasher.combine(7); pending += [b, a]
            case .ifThenElse(let c, let t, let f): hasher.combine(8); pending += [f, t, c]
            case .getAttribute(let a, let name): hasher.combine(9); hasher.combineScalars(name); pending.append(a)
            case .hasAttribute(let a, let name): hasher.combine(10); hasher.combineScalars(name); pending.append(a)
            case .like(let a, let pattern): hasher.combine(11); hasher.combine(pattern.elements.count); pending.append(a)
            case .isType(let a, let type, let other):
                hasher.combine(12)
                hasher.combine(type)
                hasher.combine(other == nil)
                if let other { pending.append(other) }
                pending.append(a)
            case .set(let elements): hasher.combine(13); hasher.combine(elements.count); pending += elements.reversed()
            case .record(let fields):
                hasher.combine(14)
                hasher.combine(fields.count)
                for f in fields { hasher.combineScalars(f.key) }
                pending += fields.map(\.value).reversed()
            case .isEmpty(let a): hasher.combine(15); pending.append(a)
            case .call(let name, let args):
                hasher.combine(16)
                hasher.combineScalars(name)
                hasher.combine(args.count)
                pending += args.reversed()
            }
        }
    }
}
