/// Unary and binary operators other than `in` (see `Typechecker+In.swift`).
extension Typechecker {
    func typecheckUnary(_ e: Expr, _ prior: KnownCapabilities, _ d: Int) -> TypecheckAnswer {
        switch e.kind {
        case .not(let operand):
            return expect(operand, prior, .boolean, depth: d).then { type, _ in
                switch type {
                case .bool(.true)?: return .success(.falseType)
                case .bool(.false)?: return .success(.trueType)
                case _?: return .success(.boolean)
                case nil: return .failure(.boolean)
                }
            }
        case .negate(let operand):
            return expect(operand, prior, .long, depth: d).then { _, _ in .success(.long) }
        case .isEmpty(let operand):
            let help = { (type: CedarType) -> String? in
                type == .string ? "try using `== \"\"` to test whether a string is empty" : nil
            }
            return expect(operand, prior, .anySet, depth: d, help: help).then { _, _ in .success(.boolean) }
        default:
            return .failure(nil)
        }
    }

    func typecheckBinary(_ e: Expr, _ prior: KnownCapabilities, _ d: Int) -> TypecheckAnswer {
        guard case .binary(let op, let a, let b) = e.kind else { return .failure(nil) }
        switch op {
        case .equal:
            let left = typecheck(a, prior, depth: d)
            let right = typecheck(b, prior, depth: d)
            return left.then { leftType, _ in
                right.then { rightType, _ in
                    let type = typeOfEquality(a, leftType, b, rightType)
                    return enforceStrictEquality(e, type, leftType, rightType, .equality)
                }
            }
        case .less, .lessEqual:
            return typecheck(a, prior, depth: d).then { leftType, _ in
                typecheck(b, prior, depth: d).then { rightType, _ in
                    typecheckComparison(a, leftType, b, rightType)
                }
            }
        case .add, .subtract, .multiply:
            let help = { (type: CedarType) -> String? in
                switch type {
                case .string where op == .add: return "Cedar does not support string concatenation"
                case .set: return "Cedar does not support computing the union, intersection or difference of sets"
                default: return nil
                }
            }
            return expect(a, prior, .long, depth: d, help: help).then { _, _ in
                expect(b, prior, .long, depth: d, help: help).then { _, _ in .success(.long) }
            }
        case .in:
            return typecheckIn(a, b, prior, d)
        case .contains:
            return expect(a, prior, .anySet, depth: d, help: Self.setOperandHelp).then { setType, _ in
                typecheck(b, prior, depth: d).then { elementType, _ in
                    var declared: CedarType?
                    if case .set(let element?)? = setType { declared = element }
                    return enforceStrictEquality(e, .boolean, declared, elementType, .contains)
                }
            }
        case .containsAll, .containsAny:
            return expect(a, prior, .anySet, depth: d, help: Self.setOperandHelp).then { leftType, _ in
                expect(b, prior, .anySet, depth: d) { _ in "try using `contains` to test whether a single element is in a set" }
                    .then { rightType, _ in
                        enforceStrictEquality(e, .boolean, leftType, rightType, .containsAnyAll)
                    }
            }
        case .hasTag, .getTag:
            return typecheckTag(e, op, a, b, prior, d)
        case .notEqual, .greater, .greaterEqual:
            // `TypecheckedCondition` rewrites these as Rust's parser does.
            return .failure(nil)
        }
    }

    private static func setOperandHelp(_ type: CedarType) -> String? {
        switch type {
        case .entity, .anyEntity: return "try using `in` for entity hierarchy membership"
        case .record: return "try using `has` to test for an attribute"
        case .string: return "try using `like` to examine the contents of a string"
        default: return nil
        }
    }

    /// In strict mode the operands of `==`, `contains`, `containsAll` and `containsAny`
    /// must have compatible types, unless the result is already known to be `True` or
    /// `False`.
    private func enforceStrictEquality(
        _ e: Expr, _ type: CedarType, _ left: CedarType?, _ right: CedarType?,
        _ context: ValidationDiagnostic.LubContext
    ) -> TypecheckAnswer {
        if type == .trueType || type == .falseType { return .success(type) }
        guard let left, let right else { return .success(type) }
        if case .failure(let why) = CedarType.leastUpperBound(left, right) {
            report(.incompatibleTypes(policyID, e.span, [left, right], why, context))
            return .failure(type)
        }
        return .success(type)
    }

    /// `False` for operands of disjoint types; the result itself for two literals;
    /// `Bool` otherwise.
    private func typeOfEquality(_ a: Expr, _ left: CedarType?, _ b: Expr, _ right: CedarType?) -> CedarType {
        if let left, let right, CedarType.areDisjoint(left, right) { return .falseType }
        if let x = literal(a), let y = literal(b) { return .singleton(x == y) }
        return .boolean
    }

    /// The value of a literal, taking the `action` variable as the environment's action.
    func literal(_ e: Expr) -> Value? {
        switch e.kind {
        case .value(let v): return v
        case .variable(.action): return .entity(env.action)
        default: return nil
        }
    }

    /// `<` and `<=` apply to two longs, two datetimes or two durations.
    private func typecheckComparison(_ a: Expr, _ left: CedarType?, _ b: Expr, _ right: CedarType?) -> TypecheckAnswer {
        let comparable: [CedarType] = [.long, .extension("datetime"), .extension("duration")]
        func isComparable(_ t: CedarType) -> Bool { comparable.contains(t) }
        func mismatch(_ e: Expr, _ expected: [CedarType], _ actual: CedarType) -> TypecheckAnswer {
            report(.unexpectedType(policyID, e.span, expected: expected, actual: actual))
            return .failure(.boolean)
        }
        switch (left, right) {
        case (.never?, .never?): return .failure(.boolean)
        case (.never?, let other?): return isComparable(other) ? .success(.boolean) : mismatch(b, comparable, other)
        case (let other?, .never?): return isComparable(other) ? .success(.boolean) : mismatch(a, comparable, other)
        case (let l?, let r?) where l == r && isComparable(l): return .success(.boolean)
        case (.long?, let other?): return mismatch(b, [.long], other)
        case (let other?, .long?): return mismatch(a, [.long], other)
        case (let l?, let r?) where isComparable(l): return mismatch(b, [l], r)
        case (let l?, let r?) where isComparable(r): return mismatch(a, [r], l)
        case (let l?, let r?):
            report(.unexpectedType(policyID, a.span, expected: comparable, actual: l))
            report(.unexpectedType(policyID, b.span, expected: comparable, actual: r))
            return .failure(.boolean)
        default: return .failure(.boolean)
        }
    }

    /// `e.hasTag(t)` and `e.getTag(t)`: the tag types come from the entity type's
    /// `tags` declaration, and a tag may be read only under a `hasTag` guard.
    private func typecheckTag(
        _ e: Expr, _ op: BinaryOperator, _ a: Expr, _ b: Expr, _ prior: KnownCapabilities, _ d: Int
    ) -> TypecheckAnswer {
        expect(a, prior, .anyEntity, depth: d).then { entityType, _ in
            expect(b, prior, .string, depth: d).then { _, _ in
                let single: EntityType?
                switch entityType {
                case .entity(let t)?: single = t
                case .anyEntity?: single = nil
                default: return .failure(nil)
                }
                let tagTypes = self.tagTypes(single)
                let capability = Capability.tag(a, b)
                if op == .hasTag {
                    let type: CedarType =
                        tagTypes.isEmpty ? .falseType : prior.contains(capability) ? .trueType : .boolean
                    return .success(type, [capability])
                }
                guard prior.contains(capability) else {
                    report(.unsafeTagAccess(policyID, e.span, single, tag: b))
                    return .failure(nil)
                }
                if tagTypes.isEmpty {
                    report(.noTagsAllowed(policyID, e.span, single))
                    return .failure(nil)
                }
                switch CedarType.leastUpperBound(of: tagTypes) {
                case .success(let type): return .success(type)
                case .failure(let why):
                    report(.incompatibleTypes(policyID, e.span, tagTypes, why, .getTag))
                    return .failure(nil)
                }
            }
        }
    }

    /// The tag types of an entity type, or of every entity type for `nil` (any entity).
    private func tagTypes(_ type: EntityType?) -> [CedarType] {
        if let type { return schema.entityTypes[type]?.tags.map { [$0] } ?? [] }
        var types: [CedarType] = []
        for name in schema.sortedEntityTypes {
            if let tags = schema.entityTypes[name]?.tags, !types.contains(tags) { types.append(tags) }
        }
        return types
    }
}
