/// Cedar's strict validator: checks policies against a schema, as Rust Cedar 4.x's
/// `Validator::validate` does in strict mode.
///
/// A policy that validates cannot raise a type error when evaluated on entities and
/// requests that conform to the schema. Validation fails when a policy names an entity
/// type or action the schema does not declare, when its scope admits no request the
/// schema allows, or when its conditions do not typecheck under every request
/// environment its scope admits (`principal.age` where `age` is optional and not
/// guarded by `has`, `1 + "a"`, `[1, "a"]`, `ip("bad")`, …).
///
///     let result = Validator(schema: schema).validate(policySet)
///     if !result.passed { for error in result.errors { print(error) } }
public struct Validator: Sendable {
    private let index: SchemaIndex
    private let environments: [RequestEnvironment]

    /// A validator for policies written against `schema`.
    public init(schema: Schema) {
        index = SchemaIndex(schema)
        environments = index.requestEnvironments
    }

    /// Validates every static policy and template of `policies`, and the slot values
    /// and scope of every template link.
    public func validate(_ policies: PolicySet) -> ValidationResult {
        var diagnostics: [ValidationDiagnostic] = []
        let linkedIDs = Set(policies.links.map(\.newID))
        for policy in policies.policies where !linkedIDs.contains(policy.id) {
            diagnostics += validate(policy)
        }
        for template in policies.templates {
            diagnostics += validate(template)
        }
        let linked = Dictionary(
            policies.policies.filter { linkedIDs.contains($0.id) }.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let scope = ScopeChecks(schema: index)
        for link in policies.links {
            diagnostics += scope.slotErrors(link)
            if let policy = linked[link.newID] { diagnostics += scope.actionApplicationErrors(policy) }
        }
        return ValidationResult(diagnostics: Self.unique(diagnostics))
    }

    /// Validates one static policy or template.
    private func validate(_ policy: Policy) -> [ValidationDiagnostic] {
        let condition: TypecheckedCondition
        do {
            condition = try TypecheckedCondition(policy)
        } catch {
            return [.expressionTooDeep(policy.id, policy.span)]
        }
        let scope = ScopeChecks(schema: index)
        var diagnostics = scope.namedEntityErrors(policy, clauses: condition.clauses)
        diagnostics += scope.actionApplicationErrors(policy)
        var alwaysFalse = true
        for env in index.environments(for: policy, from: environments) {
            let typechecker = Typechecker(schema: index, env: env, policyID: policy.id)
            let answer = typechecker.typecheckConjunction(condition.conjuncts)
            diagnostics += typechecker.diagnostics
            if answer.type != .falseType { alwaysFalse = false }
        }
        if alwaysFalse { diagnostics.append(.impossiblePolicy(policy.id, policy.span)) }
        return diagnostics
    }

    /// `diagnostics` without repeats (the same error is often found under several
    /// request environments), in first-found order.
    private static func unique(_ diagnostics: [ValidationDiagnostic]) -> [ValidationDiagnostic] {
        struct Key: Hashable {
            let code: ValidationDiagnostic.Code
            let policyID: PolicyID
            let span: SourceSpan?
            let message: String
        }
        var seen = Set<Key>()
        return diagnostics.filter {
            seen.insert(Key(code: $0.code, policyID: $0.policyID, span: $0.span, message: $0.message)).inserted
        }
    }
}
