/// One request shape a policy is typechecked under: a declared action with one of
/// its principal types, one of its resource types and its context type, plus the
/// entity type each template slot is assumed to be linked to.
struct RequestEnvironment: Sendable {
    let principal: EntityType
    let action: EntityUID
    let resource: EntityType
    let context: RecordType
    /// The type of the entity linked to `?principal`, when the policy has that slot.
    var principalSlot: EntityType?
    /// The type of the entity linked to `?resource`, when the policy has that slot.
    var resourceSlot: EntityType?
}

extension SchemaIndex {
    /// Every (principal type, action, resource type) the schema allows, with the
    /// action's context: the cross product of each action's `appliesTo` lists.
    var requestEnvironments: [RequestEnvironment] {
        sortedActions.flatMap { uid -> [RequestEnvironment] in
            guard let action = actions[uid] else { return [] }
            return action.principalTypes.flatMap { principal in
                action.resourceTypes.map { resource in
                    RequestEnvironment(principal: principal, action: uid, resource: resource, context: action.context)
                }
            }
        }
    }

    /// The environments to typecheck `policy` under: for a template, each environment
    /// once per pair of slot types that its scope could link without making the scope
    /// always false, as Rust Cedar enumerates them.
    func environments(for policy: Policy, from unlinked: [RequestEnvironment]) -> [RequestEnvironment] {
        let slots = policy.slots
        guard !slots.isEmpty else { return unlinked }
        var result: [RequestEnvironment] = []
        for env in unlinked {
            let principalLinks = slotLinks(slots.contains(.principal), env.principal, policy.principal)
            let resourceLinks = slotLinks(slots.contains(.resource), env.resource, policy.resource)
            for p in principalLinks {
                for r in resourceLinks {
                    var linked = env
                    linked.principalSlot = p
                    linked.resourceSlot = r
                    result.append(linked)
                }
            }
        }
        return result
    }

    /// The entity types a slot could be linked to, given the type of its scope variable
    /// in the environment: `[nil]` when the policy lacks the slot.
    private func slotLinks(_ hasSlot: Bool, _ variableType: EntityType, _ constraint: ScopeConstraint) -> [EntityType?] {
        guard hasSlot else { return [nil] }
        switch constraint {
        case .equal:
            // `var == ?slot`: only a slot of the variable's own type can match.
            return [variableType]
        case .in, .isIn:
            // `var in ?slot`: the slot's type must be an ancestor of the variable's (or it).
            var links: [EntityType?] = sortedEntityTypes.filter {
                entityTypes[$0]?.descendants.contains(variableType) == true && $0 != variableType
            }
            links.append(variableType)
            return links
        case .any, .is:
            return sortedEntityTypes
        }
    }
}
