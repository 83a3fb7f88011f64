import Cedar

// Policies as the JSON policy format keeps them, which is as Rust Cedar's AST keeps
// them: annotations and a record literal's keys are sorted maps. The JSON format writes
// them sorted, so a policy read from text or JSON comes back from it in this form;
// nothing else changes. Round trips through JSON compare canonical forms.

extension PolicyJSON.Document {
    /// Every policy and template in canonical form.
    var canonical: PolicyJSON.Document {
        PolicyJSON.Document(
            staticPolicies: staticPolicies.map(\.canonical), templates: templates.map(\.canonical),
            templateLinks: templateLinks)
    }
}

extension Policy {
    /// This policy with its annotations and the record literals in its conditions
    /// sorted by key.
    var canonical: Policy {
        var copy = self
        copy.annotations = annotations.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        copy.conditions = conditions.map { Condition($0.kind, $0.body.canonical) }
        return copy
    }
}

extension Expr {
    /// This expression with every record literal sorted by key (by Unicode scalars).
    var canonical: Expr {
        let kind: Kind
        switch self.kind {
        case .value, .variable, .slot:
            return self
        case .not(let e): kind = .not(e.canonical)
        case .negate(let e): kind = .negate(e.canonical)
        case .binary(let op, let a, let b): kind = .binary(op, a.canonical, b.canonical)
        case .and(let a, let b): kind = .and(a.canonical, b.canonical)
        case .or(let a, let b): kind = .or(a.canonical, b.canonical)
        case .ifThenElse(let c, let t, let e): kind = .ifThenElse(c.canonical, then: t.canonical, else: e.canonical)
        case .getAttribute(let e, let attribute): kind = .getAttribute(e.canonical, attribute)
        case .hasAttribute(let e, let attribute): kind = .hasAttribute(e.canonical, attribute)
        case .like(let e, let pattern): kind = .like(e.canonical, pattern)
        case .isType(let e, let type, let other): kind = .isType(e.canonical, type, in: other?.canonical)
        case .set(let elements): kind = .set(elements.map(\.canonical))
        case .record(let fields):
            kind = .record(
                fields.map { RecordField(key: $0.key, value: $0.value.canonical) }
                    .sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) })
        case .isEmpty(let e): kind = .isEmpty(e.canonical)
        case .call(let name, let arguments): kind = .call(name, arguments.map(\.canonical))
        }
        return Expr(kind, span: span)
    }
}
