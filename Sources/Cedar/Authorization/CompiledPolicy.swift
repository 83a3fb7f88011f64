/// A policy ready to evaluate: its scope as direct checks and its conditions as
/// compiled node trees. A class, so that walking a policy set never copies policies.
final class CompiledPolicy: Sendable {
    let id: PolicyID
    let effect: Effect
    let principal: ScopeCheck
    let action: ScopeCheck
    let resource: ScopeCheck
    /// `when` bodies and `unless` bodies (with `negate` set), in source order.
    let conditions: [(node: any Node, negate: Bool)]
    /// `[id]`, made once: the reasons of a response this policy alone determined.
    let alone: [PolicyID]

    init(_ policy: Policy) {
        id = policy.id
        effect = policy.effect
        principal = ScopeCheck(policy.principal)
        resource = ScopeCheck(policy.resource)
        action = ScopeCheck(policy.action)
        conditions = policy.conditions.map { (Compiler.compile($0.body), $0.kind == .unless) }
        alone = [policy.id]
    }

    /// Whether the request falls within the policy's scope.
    @inline(__always)
    func scopeMatches(_ request: Request, _ entities: Entities) -> Bool {
        principal.matches(request.principal, entities) && action.matches(request.action, entities)
            && resource.matches(request.resource, entities)
    }

    /// Whether the policy's conditions hold; throws when one errors.
    @inline(__always)
    func conditionsHold(_ env: EvaluationEnvironment) throws(EvaluationError) -> Bool {
        for c in conditions where try c.node.evalBool(env) == c.negate {
            return false
        }
        return true
    }
}

/// One part of a policy scope, reduced to a direct test on the request's entity.
enum ScopeCheck: Sendable {
    case any
    case equal(EntityUID)
    case `in`(EntityUID)
    case inAny([EntityUID])
    case `is`(EntityType)
    case isIn(EntityType, EntityUID)
    /// A slot left unlinked; matches nothing (a template is never evaluated directly).
    case never

    init(_ c: ScopeConstraint) {
        switch c {
        case .any: self = .any
        case .is(let t): self = .is(t)
        case .equal(.entity(let uid)): self = .equal(uid)
        case .in(.entity(let uid)): self = .in(uid)
        case .isIn(let t, .entity(let uid)): self = .isIn(t, uid)
        case .equal(.slot), .in(.slot), .isIn(_, .slot): self = .never
        }
    }

    init(_ c: ActionConstraint) {
        switch c {
        case .any: self = .any
        case .equal(let uid): self = .equal(uid)
        case .in(let uid): self = .in(uid)
        case .inSet(let uids): self = .inAny(uids)
        }
    }

    @inline(__always)
    func matches(_ uid: EntityUID, _ entities: Entities) -> Bool {
        switch self {
        case .any: return true
        case .equal(let target): return uid == target
        case .in(let target): return entities.isDescendant(uid, of: target)
        case .inAny(let targets): return targets.contains { entities.isDescendant(uid, of: $0) }
        case .is(let type): return uid.type == type
        case .isIn(let type, let target): return uid.type == type && entities.isDescendant(uid, of: target)
        case .never: return false
        }
    }
}

extension ScopeConstraint {
    /// Whether `uid` satisfies this principal or resource constraint, exactly as the
    /// authorizer checks a scope: `in` through the hierarchy of `entities`, and a slot
    /// left unlinked matching nothing.
    public func matches(_ uid: EntityUID, in entities: Entities) -> Bool {
        ScopeCheck(self).matches(uid, entities)
    }
}

extension ActionConstraint {
    /// Whether the action `uid` satisfies this constraint, exactly as the authorizer
    /// checks a scope (`in` through the action groups in `entities`).
    public func matches(_ uid: EntityUID, in entities: Entities) -> Bool {
        ScopeCheck(self).matches(uid, entities)
    }
}
