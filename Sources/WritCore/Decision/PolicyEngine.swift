import Cedar

/// One immutable, compiled state of the service: a policy set version, its schema,
/// and the entity set, with the mode decisions are made in. Requests evaluate
/// against an engine concurrently and without locks; a change builds a new engine
/// and swaps it in whole, so every decision sees exactly one version.
public final class PolicyEngine: Sendable {
    /// The policy set version this engine decides with.
    public let version: PolicySetSummary
    public let compiled: CompiledPolicySet
    /// The entity set, with the schema's action entities.
    public let entities: Entities
    /// Stored entities by key, as the store holds them (for rebuilding after changes).
    let storedEntities: [StoredEntityKey: StoredEntity]
    public let mode: DecisionMode
    /// The inventory's quarantined tools: denied `tool_changed` until approved.
    let quarantined: Set<StoredEntityKey>
    /// Validates requests against the schema, each action's shape worked out once
    /// here rather than per request; nil without a schema.
    let requestValidator: RequestValidator?

    init(
        version: PolicySetSummary, compiled: CompiledPolicySet, entities: Entities,
        storedEntities: [StoredEntityKey: StoredEntity], mode: DecisionMode, quarantined: Set<StoredEntityKey> = []
    ) {
        self.version = version
        self.compiled = compiled
        self.entities = entities
        self.storedEntities = storedEntities
        self.mode = mode
        self.quarantined = quarantined
        self.requestValidator = compiled.schema.map(RequestValidator.init(schema:))
    }

    /// The schema, when the policy set has one.
    public var schema: Schema? { compiled.schema }

    /// Decides `request` against the stored entities plus `requestEntities` (entities
    /// the request itself describes, which take the place of stored ones with the same
    /// uid).
    ///
    /// In strict mode a `forbid` policy that applied and raised an error denies the
    /// request and is named in `failedGuardrails`; in cedar-compat mode it is skipped,
    /// as Cedar does. Either way its error is reported.
    public func decide(_ request: Request, requestEntities: [Entity] = []) -> WritDecision {
        decide(request, entities: entities(layering: requestEntities), policies: compiled)
    }

    /// The stored entities with `requestEntities` in place of stored ones with the
    /// same uid.
    func entities(layering requestEntities: [Entity]) -> Entities {
        requestEntities.isEmpty ? entities : entities.layering(requestEntities)
    }

    /// Decides `request` against `entities` with `policies` (this engine's, or a task's
    /// mandate), in this engine's mode.
    func decide(_ request: Request, entities: Entities, policies: CompiledPolicySet) -> WritDecision {
        let response = policies.authorizer.authorize(request, entities: entities)
        var allowed = response.decision == .allow
        var reasons = response.reasons
        var guardrails: [PolicyID] = []
        if mode == .strict {
            guardrails = response.errors.filter { $0.effect == .forbid }.map(\.policyID)
            if !guardrails.isEmpty {
                if allowed { reasons = [] }
                allowed = false
            }
        }
        let redactions = allowed && !policies.redactions.isEmpty ? reasons.compactMap { policies.redactions[$0] } : []
        var decision = WritDecision(
            allowed: allowed, reasons: reasons, errors: response.errors,
            failedGuardrails: guardrails, policySetVersion: version.version, mode: mode, redactions: redactions)
        if !allowed, guardrails.isEmpty, !reasons.isEmpty, let waived = policies.waived,
            reasons.allSatisfy({ policies.approvable[$0] != nil })
        {
            decision.approval = approvalNeed(request, entities: entities, policies: policies, waived: waived, forbids: reasons)
        }
        return decision
    }

    /// Whether `decide(request, entities: entities, policies: policies)` allows, without
    /// building the decision: for a mandate, whose decision only allows or denies.
    func allows(_ request: Request, entities: Entities, policies: CompiledPolicySet) -> Bool {
        // A mandate narrowed to the request's principal and action that permits any
        // resource unconditionally, with no forbid, allows without evaluating.
        if policies.authorizer.allowsWithoutEvaluating(request) { return true }
        let response = policies.authorizer.authorize(request, entities: entities)
        guard response.decision == .allow else { return false }
        return mode != .strict || !response.errors.contains { $0.effect == .forbid }
    }

    /// What the permits decide with the approvable forbids `forbids` waived: an
    /// `ApprovalNeed` when they allow and, in strict mode, no remaining forbid failed.
    private func approvalNeed(
        _ request: Request, entities: Entities, policies: CompiledPolicySet, waived: Authorizer, forbids: [PolicyID]
    ) -> ApprovalNeed? {
        let response = waived.authorize(request, entities: entities)
        guard response.decision == .allow else { return nil }
        if mode == .strict, response.errors.contains(where: { $0.effect == .forbid }) { return nil }
        return ApprovalNeed(
            policies: forbids.map { ApprovablePolicy(policyID: $0, text: policies.approvable[$0] ?? "") },
            reasons: response.reasons,
            redactions: response.reasons.compactMap { policies.redactions[$0] })
    }
}
