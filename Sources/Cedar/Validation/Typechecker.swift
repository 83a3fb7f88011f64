/// The result of typechecking one expression, as Rust Cedar's `TypecheckAnswer`.
///
/// A failed expression may still have a type (an `&&` is boolean whatever its operands
/// are), so later checks can go on and report more errors. Capabilities are what the
/// expression proves when it evaluates to true; only successes carry them.
struct TypecheckAnswer {
    var type: CedarType?
    var succeeded: Bool
    var capabilities: CapabilitySet

    static func success(_ type: CedarType?, _ capabilities: CapabilitySet = []) -> TypecheckAnswer {
        TypecheckAnswer(type: type, succeeded: true, capabilities: capabilities)
    }

    static func failure(_ type: CedarType?) -> TypecheckAnswer {
        TypecheckAnswer(type: type, succeeded: false, capabilities: [])
    }

    /// This answer, failed (keeping its type, dropping its capabilities).
    var failed: TypecheckAnswer { .failure(type) }

    /// Runs the next step with this answer's type; when this answer failed, the step
    /// sees no capabilities and its result fails too.
    func then(_ next: (CedarType?, CapabilitySet) -> TypecheckAnswer) -> TypecheckAnswer {
        succeeded ? next(type, capabilities) : next(type, []).failed
    }

    /// Runs `next` with the types of all `answers`; the result fails if any of them did.
    static func all(_ answers: [TypecheckAnswer], _ next: ([CedarType?]) -> TypecheckAnswer) -> TypecheckAnswer {
        let result = next(answers.map(\.type))
        return answers.allSatisfy(\.succeeded) ? result : result.failed
    }
}

/// Typechecks the conditions of one policy under one request environment, following
/// Rust Cedar's strict typechecker rule for rule, and collects the errors it finds.
final class Typechecker {
    /// How deeply a policy's expressions may nest; the parser's limits keep parsed
    /// policies well below it.
    static let maxDepth = 512

    let schema: SchemaIndex
    let env: RequestEnvironment
    let policyID: PolicyID
    let suggester: Suggester
    private let sink: DiagnosticSink
    private let stackLimit = StackLimit()
    private var reportedTooDeep = false

    init(schema: SchemaIndex, env: RequestEnvironment, policyID: PolicyID, suggester: Suggester, sink: DiagnosticSink) {
        self.schema = schema
        self.env = env
        self.policyID = policyID
        self.suggester = suggester
        self.sink = sink
    }

    func report(_ diagnostic: ValidationDiagnostic) { sink.append(diagnostic) }

    /// Typechecks `conjuncts` joined by right-nested `&&`s, as Rust joins a policy's
    /// scope and clauses, without recursing once per conjunct (a policy may have any
    /// number of clauses). The answer carries no capabilities.
    func typecheckConjunction(_ conjuncts: [Expr]) -> TypecheckAnswer {
        guard let last = conjuncts.indices.last else { return .success(.trueType) }
        // Forward: each left operand sees the capabilities of those before it, and a
        // `False` one short-circuits the rest.
        var lefts: [TypecheckAnswer] = []
        var prior = KnownCapabilities()
        var innermost: TypecheckAnswer?
        for (index, conjunct) in conjuncts.enumerated() {
            let answer = expect(conjunct, prior, .boolean)
            if index == last {
                innermost = answer
                break
            }
            let capabilities = answer.succeeded ? answer.capabilities : []
            if answer.type == .falseType {
                innermost = TypecheckAnswer.success(.falseType)
                if !answer.succeeded { innermost = innermost?.failed }
                break
            }
            lefts.append(TypecheckAnswer(type: answer.type, succeeded: answer.succeeded, capabilities: []))
            prior.formClauseUnion(capabilities)
        }
        // Backward: fold each `left && right` from the innermost out. Only the type
        // matters here: what a whole policy proves is of no use to anything.
        var result = innermost ?? .success(.trueType)
        result.capabilities = []
        for left in lefts.reversed() {
            let combined = result.then { rightType, _ in Self.conjoin(left.type, [], rightType, []) }
            result = left.succeeded ? combined : combined.failed
        }
        return result
    }

    /// The type of `left && right` once both operands are typed, `left` not `False`.
    private static func conjoin(
        _ left: CedarType?, _ leftCapabilities: CapabilitySet, _ right: CedarType?, _ rightCapabilities: CapabilitySet
    ) -> TypecheckAnswer {
        switch (left, right) {
        case (_?, .bool(.false)?): return .success(.falseType)
        case (let left?, .bool(.true)?): return .success(left, leftCapabilities.union(rightCapabilities))
        // Rust keeps only the right operand's capabilities here.
        case (.bool(.true)?, let right?): return .success(right, rightCapabilities)
        case (_?, _?): return .success(.boolean, leftCapabilities.union(rightCapabilities))
        default: return .failure(.boolean)
        }
    }

    // MARK: - Expressions

    /// The type of `e` in this environment, where `prior` holds what the guards around
    /// `e` proved. `e` is in the form `TypecheckedCondition` gives (no `!=`, `>`, `>=`,
    /// `is ... in`, or set, record and extension literals).
    func typecheck(_ e: Expr, _ prior: KnownCapabilities, depth: Int = 0) -> TypecheckAnswer {
        guard depth < Self.maxDepth * 2, stackLimit?.hasRoom ?? true else {
            if !reportedTooDeep {
                reportedTooDeep = true
                report(.expressionTooDeep(policyID, e.span))
            }
            return .failure(nil)
        }
        let d = depth + 1
        switch e.kind {
        case .variable(let v): return typecheckVariable(v)
        case .slot(let slot):
            let type = slot == .principal ? env.principalSlot : env.resourceSlot
            return .success(type.map(CedarType.entity) ?? .anyEntity)
        case .value(let value): return typecheckLiteral(value)
        case .ifThenElse(let c, let t, let f): return typecheckIf(e, c, t, f, prior, d)
        case .and(let a, let b): return typecheckAnd(a, b, prior, d)
        case .or(let a, let b): return typecheckOr(a, b, prior, d)
        case .not, .negate, .isEmpty: return typecheckUnary(e, prior, d)
        case .binary: return typecheckBinary(e, prior, d)
        case .call(let name, let args): return typecheckCall(e, name, args, prior, d)
        case .getAttribute(let target, let name): return typecheckGetAttribute(e, target, name, prior, d)
        case .hasAttribute(let target, let name): return typecheckHasAttribute(target, name, prior, d)
        case .like(let target, _):
            let actual = expect(target, prior, .string, depth: d) { type in
                switch type {
                case .entity, .anyEntity: return "try using `is` to test for an entity type"
                default: return nil
                }
            }
            return actual.then { _, _ in .success(.boolean) }
        case .isType(let target, let type, _): return typecheckIs(target, type, prior, d)
        case .set(let elements): return typecheckSet(e, elements, prior, d)
        case .record(let fields):
            let answers = fields.map { typecheck($0.value, prior, depth: d) }
            return TypecheckAnswer.all(answers) { types in
                var attributes: [ScalarKey: AttributeType] = [:]
                for (field, type) in zip(fields, types) {
                    guard let type else { return .failure(nil) }
                    attributes[ScalarKey(field.key)] = AttributeType(type: type, isRequired: true)
                }
                return .success(.record(RecordType(attributes: attributes, isOpen: false)))
            }
        }
    }

    /// Typechecks `e` and checks that its type is a subtype of one of `expected`
    /// (permissively, so that any entity type fits `anyEntity` and any record the open
    /// record); otherwise reports `unexpected_type`, with `help` for the actual type.
    func expect(
        _ e: Expr, _ prior: KnownCapabilities, oneOf expected: [CedarType], depth: Int = 0,
        help: (CedarType) -> String? = { _ in nil }
    ) -> TypecheckAnswer {
        typecheck(e, prior, depth: depth).then { type, capabilities in
            guard let type else { return .failure(nil) }
            guard expected.contains(where: { type.isSubtype(of: $0, strict: false) }) else {
                report(.unexpectedType(policyID, e.span, expected: expected, actual: type, help: help(type)))
                return .failure(nil)
            }
            return .success(type, capabilities)
        }
    }

    func expect(
        _ e: Expr, _ prior: KnownCapabilities, _ expected: CedarType, depth: Int = 0,
        help: (CedarType) -> String? = { _ in nil }
    ) -> TypecheckAnswer {
        expect(e, prior, oneOf: [expected], depth: depth, help: help)
    }

    /// The least upper bound of `types`; nil, with an `incompatible_types` error at
    /// `e`, when there is none, and nil without error when a type is unknown.
    func leastUpperBound(
        at e: Expr, _ types: [CedarType?], _ context: ValidationDiagnostic.LubContext
    ) -> CedarType? {
        let known = types.compactMap { $0 }
        guard known.count == types.count else { return nil }
        switch CedarType.leastUpperBound(of: known) {
        case .success(let lub): return lub
        case .failure(let why):
            report(.incompatibleTypes(policyID, e.span, known, why, context))
            return nil
        }
    }

    private func typecheckVariable(_ v: Variable) -> TypecheckAnswer {
        switch v {
        case .principal: return .success(.entity(env.principal))
        case .resource: return .success(.entity(env.resource))
        case .context: return .success(.record(env.context))
        case .action:
            guard let type = schema.literalType(env.action) else { return .failure(nil) }
            return .success(type)
        }
    }

    private func typecheckLiteral(_ value: Value) -> TypecheckAnswer {
        switch value {
        case .bool(let b): return .success(.singleton(b))
        case .long: return .success(.long)
        case .string: return .success(.string)
        case .entity(let uid):
            // An undeclared type or action fails here; the scope checks report it.
            guard let type = schema.literalType(uid) else { return .failure(nil) }
            return .success(type)
        case .set, .record, .ext:
            // `TypecheckedCondition` spells these out as expressions.
            return .failure(nil)
        }
    }

    private func typecheckIf(
        _ e: Expr, _ condition: Expr, _ then: Expr, _ otherwise: Expr, _ prior: KnownCapabilities, _ d: Int
    ) -> TypecheckAnswer {
        expect(condition, prior, .boolean, depth: d).then { testType, testCapabilities in
            switch testType {
            case .bool(.true)?:
                return typecheck(then, prior.adding(testCapabilities), depth: d).then { type, capabilities in
                    .success(type, capabilities.union(testCapabilities))
                }
            case .bool(.false)?:
                return typecheck(otherwise, prior, depth: d).then { type, capabilities in
                    .success(type, capabilities)
                }
            default:
                var thenAnswer = typecheck(then, prior.adding(testCapabilities), depth: d)
                if thenAnswer.succeeded { thenAnswer.capabilities.formUnion(testCapabilities) }
                let elseAnswer = typecheck(otherwise, prior, depth: d)
                return thenAnswer.then { thenType, thenCapabilities in
                    elseAnswer.then { elseType, elseCapabilities in
                        guard let lub = leastUpperBound(at: e, [thenType, elseType], .conditional) else {
                            return .failure(nil)
                        }
                        // Either branch may have been taken: keep what both prove.
                        return .success(lub, thenCapabilities.intersection(elseCapabilities))
                    }
                }
            }
        }
    }

    private func typecheckAnd(_ left: Expr, _ right: Expr, _ prior: KnownCapabilities, _ d: Int) -> TypecheckAnswer {
        expect(left, prior, .boolean, depth: d).then { leftType, leftCapabilities in
            if leftType == .falseType { return .success(.falseType) }
            return expect(right, prior.adding(leftCapabilities), .boolean, depth: d).then { rightType, rightCapabilities in
                Self.conjoin(leftType, leftCapabilities, rightType, rightCapabilities)
            }
        }
    }

    private func typecheckOr(_ left: Expr, _ right: Expr, _ prior: KnownCapabilities, _ d: Int) -> TypecheckAnswer {
        expect(left, prior, .boolean, depth: d).then { leftType, leftCapabilities in
            if leftType == .trueType { return .success(.trueType, leftCapabilities) }
            // The right operand runs only when the left was false: it learns nothing from it.
            return expect(right, prior, .boolean, depth: d).then { rightType, rightCapabilities in
                switch (leftType, rightType) {
                case (_?, .bool(.true)?): return .success(.trueType, rightCapabilities)
                case (let leftType?, .bool(.false)?): return .success(leftType, leftCapabilities)
                case (.bool(.false)?, let rightType?): return .success(rightType, rightCapabilities)
                case (_?, _?): return .success(.boolean, rightCapabilities.intersection(leftCapabilities))
                default: return .failure(.boolean)
                }
            }
        }
    }

    private func typecheckIs(_ target: Expr, _ type: EntityType, _ prior: KnownCapabilities, _ d: Int) -> TypecheckAnswer {
        expect(target, prior, .anyEntity, depth: d) { _ in "Cedar tests types at run time only for entities" }
            .then { actual, _ in
                switch actual {
                case .entity(let actual)?: return .success(.singleton(actual == type))
                case .anyEntity?: return .success(.boolean)
                default: return .failure(.boolean)
                }
            }
    }

    private func typecheckSet(_ e: Expr, _ elements: [Expr], _ prior: KnownCapabilities, _ d: Int) -> TypecheckAnswer {
        let answers = elements.map { typecheck($0, prior, depth: d) }
        return TypecheckAnswer.all(answers) { types in
            let lub = leastUpperBound(at: e, types, .set)
            if elements.isEmpty {
                report(.emptySetForbidden(policyID, e.span))
                return .failure(nil)
            }
            guard let lub else { return .failure(nil) }
            return .success(.set(lub))
        }
    }
}
