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
        let sink = DiagnosticSink()
        let scope = ScopeChecks(schema: index, suggester: Suggester())
        let linkedIDs = Set(policies.links.map(\.newID))
        for policy in policies.policies where !linkedIDs.contains(policy.id) {
            validate(policy, scope, sink)
        }
        for template in policies.templates {
            validate(template, scope, sink)
        }
        let linked = Dictionary(
            policies.policies.filter { linkedIDs.contains($0.id) }.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for link in policies.links {
            sink.append(contentsOf: scope.slotErrors(link))
            if let policy = linked[link.newID] { sink.append(contentsOf: scope.actionApplicationErrors(policy)) }
        }
        return ValidationResult(diagnostics: sink.diagnostics)
    }

    /// Validates one static policy or template.
    private func validate(_ policy: Policy, _ scope: ScopeChecks, _ sink: DiagnosticSink) {
        let condition: TypecheckedCondition
        do {
            condition = try TypecheckedCondition(policy)
        } catch {
            sink.append(.expressionTooDeep(policy.id, policy.span))
            return
        }
        sink.append(contentsOf: scope.namedEntityErrors(policy, clauses: condition.clauses))
        sink.append(contentsOf: scope.actionApplicationErrors(policy))
        var alwaysFalse = true
        for env in index.environments(for: policy, from: environments) {
            let typechecker = Typechecker(
                schema: index, env: env, policyID: policy.id, suggester: scope.suggester, sink: sink)
            let answer = typechecker.typecheckConjunction(condition.conjuncts)
            if answer.type != .falseType { alwaysFalse = false }
        }
        if alwaysFalse { sink.append(.impossiblePolicy(policy.id, policy.span)) }
        sink.append(contentsOf: TextChecks.warnings(policy.id, condition.conjuncts))
    }
}

/// Collects diagnostics without repeats (the same error is often found under many
/// request environments), in first-found order.
final class DiagnosticSink {
    private(set) var diagnostics: [ValidationDiagnostic] = []
    private var seen = Set<Key>()

    private struct Key: Hashable {
        let code: ValidationDiagnostic.Code
        let policyID: PolicyID
        let span: SourceSpan?
        let message: String
    }

    func append(_ d: ValidationDiagnostic) {
        if seen.insert(Key(code: d.code, policyID: d.policyID, span: d.span, message: d.message)).inserted {
            diagnostics.append(d)
        }
    }

    func append(contentsOf list: [ValidationDiagnostic]) {
        for d in list { append(d) }
    }
}
