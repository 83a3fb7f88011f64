/// `in`: typed `False` when the schema's hierarchy makes it impossible, and decided
/// exactly between action literals.
extension Typechecker {
    func typecheckIn(_ lhs: Expr, _ rhs: Expr, _ prior: KnownCapabilities, _ d: Int) -> TypecheckAnswer {
        let left = expect(lhs, prior, .anyEntity, depth: d) { _ in
            "try using `contains`, `containsAny` or `containsAll` to examine the contents of a set"
        }
        let right = expect(rhs, prior, oneOf: [.set(.anyEntity), .anyEntity], depth: d) { type in
            switch type {
            case .set: return "try using `contains`, `containsAny` or `containsAll` to examine the contents of a set"
            case .string: return "try using `like` to examine the contents of a string"
            default: return nil
            }
        }
        let bothSucceeded = left.succeeded && right.succeeded
        let answer = left.then { leftType, _ in
            right.then { rightType, _ in
                guard bothSucceeded else { return .failure(.boolean) }
                if let action = entityLiteral(lhs), action.type.isAction, let targets = entityLiterals(rhs) {
                    return actionIn(action, targets)
                }
                guard case .entity(let member)? = leftType, let group = Self.entityElementType(rightType) else {
                    return .success(.boolean)
                }
                return .success(mayBeIn(member, group) ? .boolean : .falseType)
            }
        }
        return answer.then { type, _ in .success(type) }
    }

    /// The entity type of an entity, or of a set of entities.
    private static func entityElementType(_ type: CedarType?) -> EntityType? {
        switch type {
        case .entity(let t)?, .set(.entity(let t)?)?: return t
        default: return nil
        }
    }

    /// Whether an entity of type `member` may be `in` one of type `group`: the schema
    /// lets `member` be a descendant of `group` (or they are the same type), or they
    /// are action types and some action of type `group` has one of type `member` in it.
    private func mayBeIn(_ member: EntityType, _ group: EntityType) -> Bool {
        schema.typesIn(group).contains(member) || schema.actionTypeMayBeIn(member, group)
    }

    /// `action in [A, B]` with the action known: `True` or `False` from the schema's
    /// action hierarchy. Non-action entities on the right cannot contain an action.
    private func actionIn(_ action: EntityUID, _ targets: [EntityUID]) -> TypecheckAnswer {
        let actionTargets = targets.filter(\.type.isAction)
        guard !actionTargets.isEmpty else { return .success(.falseType) }
        // An undeclared action on the right fails here; the scope checks report it.
        guard let isIn = schema.isAction(action, in: actionTargets) else { return .failure(.boolean) }
        return .success(.singleton(isIn))
    }

    /// The uid of an entity literal, or of the `action` variable.
    private func entityLiteral(_ e: Expr) -> EntityUID? {
        if case .entity(let uid)? = literal(e) { return uid }
        return nil
    }

    /// The uids of an entity literal, the `action` variable, or a set made only of those.
    private func entityLiterals(_ e: Expr) -> [EntityUID]? {
        if let uid = entityLiteral(e) { return [uid] }
        guard case .set(let elements) = e.kind else { return nil }
        var uids: [EntityUID] = []
        for element in elements {
            guard let uid = entityLiteral(element) else { return nil }
            uids.append(uid)
        }
        return uids
    }
}
