/// Allow or deny.
public enum Decision: String, Sendable, Equatable {
    case allow, deny
}

/// A policy whose evaluation failed. Cedar skips such a policy; the caller decides
/// whether that is acceptable (Writ's decision service denies when a forbid errors).
public struct PolicyEvaluationError: Sendable, Equatable, Error, CustomStringConvertible {
    public let policyID: PolicyID
    public let effect: Effect
    public let error: EvaluationError
    public var description: String { "error while evaluating policy `\(policyID)`: \(error.message)" }
}

/// The result of an authorization.
public struct Response: Sendable, Equatable {
    public let decision: Decision
    /// The policies that determined the decision, sorted: the satisfied forbids when a
    /// forbid denied, the satisfied permits when allowed, none when nothing applied.
    public let reasons: [PolicyID]
    /// Every policy that errored, sorted by id.
    public let errors: [PolicyEvaluationError]
}

/// Decides requests against a compiled, indexed policy set.
///
/// Build one per policy set and reuse it: construction compiles every policy once;
/// `authorize` is then safe to call from any thread.
///
/// The semantics are Cedar's: deny by default, a satisfied forbid overrides any
/// permit, and a policy whose evaluation errors is skipped and reported.
public struct Authorizer: Sendable {
    private let policies: [CompiledPolicy]
    private let index: PolicyIndex?
    /// The principal and action every policy's scope was checked against by
    /// `narrowed(principal:action:in:)`: requests with both skip those checks.
    private let narrowedTo: (principal: EntityUID, action: EntityUID)?
    /// Narrowed, with no forbid left and a permit left whose resource scope and
    /// conditions are empty: every request with that principal and action is allowed.
    private let permitsEveryResource: Bool

    /// How an authorizer evaluates; the defaults suit every use but measurement.
    public struct Configuration: Sendable {
        /// Whether to consult the scope index (default). Without it every policy's scope is
        /// checked for every request; decisions are the same, only slower on large sets.
        public var scopeIndex: Bool
        public init(scopeIndex: Bool = true) { self.scopeIndex = scopeIndex }
    }

    /// Compiles and indexes the static and linked policies of `policySet`.
    public init(_ policySet: PolicySet, configuration: Configuration = Configuration()) {
        let compiled = policySet.policies.map(CompiledPolicy.init)
        self.policies = compiled
        self.index = configuration.scopeIndex ? PolicyIndex(compiled) : nil
        self.narrowedTo = nil
        self.permitsEveryResource = false
    }

    private init(policies: [CompiledPolicy], indexed: Bool, narrowedTo: (principal: EntityUID, action: EntityUID)?) {
        self.policies = policies
        self.index = indexed ? PolicyIndex(policies) : nil
        self.narrowedTo = narrowedTo
        self.permitsEveryResource = narrowedTo != nil && !policies.contains { $0.effect == .forbid }
            && policies.contains { policy in
                guard case .any = policy.resource else { return false }
                return policy.effect == .permit && policy.conditions.isEmpty
            }
    }

    /// This authorizer without the policies whose principal or action scope
    /// `principal` or `action` does not satisfy in `entities`: for many requests that
    /// share the principal and the action (the candidates of one retrieval), decided
    /// over entity sets in which both have the ancestors they have in `entities`.
    /// Such a request is decided exactly as this authorizer decides it: the policies
    /// left out could never apply to it, and the principal and action scopes of those
    /// kept are not checked again for a request with that principal and action.
    public func narrowed(principal: EntityUID, action: EntityUID, in entities: Entities) -> Authorizer {
        let kept = policies.filter { $0.principal.matches(principal, entities) && $0.action.matches(action, entities) }
        return Authorizer(policies: kept, indexed: index != nil, narrowedTo: (principal, action))
    }

    /// Whether `authorize(request, entities:)` is known to allow `request` whatever
    /// its resource and the entities, with no forbid that could fail: this authorizer
    /// was narrowed to the request's principal and action, no forbid is left, and a
    /// permit is left with no resource scope and no conditions. False says nothing:
    /// `authorize` decides. (The response's reasons and the errors of other permits
    /// are not known without it.)
    public func allowsWithoutEvaluating(_ request: Request) -> Bool {
        guard permitsEveryResource, let narrowedTo else { return false }
        return narrowedTo.principal == request.principal && narrowedTo.action == request.action
    }

    /// The number of static and linked policies this authorizer decides with.
    public var policyCount: Int { policies.count }

    /// The ids of the static and linked policies this authorizer decides with, in order.
    public var policyIDs: [PolicyID] { policies.map(\.id) }

    /// Decides `request` against the policies, resolving entities in `entities`.
    public func authorize(_ request: Request, entities: Entities) -> Response {
        EvaluationEnvironment.over(entities) { address in authorize(request, entities: entities, at: address) }
    }

    /// `authorize(_:entities:)`, with `entities` at `address` for the conditions' environment.
    private func authorize(
        _ request: Request, entities: Entities, at address: EvaluationEnvironment.EntitiesAddress
    ) -> Response {
        // Made when a policy in scope has conditions to evaluate.
        var env: EvaluationEnvironment?
        // The satisfied permits and forbids: the first of each is kept as a policy, and
        // arrays are made only for a second one (most responses have one reason).
        var permit: CompiledPolicy?
        var forbid: CompiledPolicy?
        var permits: [PolicyID] = []
        var forbids: [PolicyID] = []
        var errors: [PolicyEvaluationError] = []
        // Narrowed to this principal and action: only the resource scope is left to check.
        let narrowed = narrowedTo.map { $0.principal == request.principal && $0.action == request.action } ?? false

        func consider(_ policy: CompiledPolicy) {
            if narrowed {
                guard policy.resource.matches(request.resource, entities) else { return }
            } else {
                guard policy.scopeMatches(request, entities) else { return }
            }
            do {
                if !policy.conditions.isEmpty {
                    let environment = env ?? EvaluationEnvironment(request: request, in: address)
                    env = environment
                    guard try policy.conditionsHold(environment) else { return }
                }
                if policy.effect == .permit {
                    Self.keep(policy, first: &permit, all: &permits)
                } else {
                    Self.keep(policy, first: &forbid, all: &forbids)
                }
            } catch {
                errors.append(PolicyEvaluationError(policyID: policy.id, effect: policy.effect, error: error))
            }
        }

        if let candidates = index?.candidates(for: request, entities) {
            for i in candidates { consider(policies[i]) }
        } else {
            for p in policies { consider(p) }
        }

        if errors.count > 1 { errors.sort { $0.policyID < $1.policyID } }
        if let forbid {
            guard !forbids.isEmpty else { return Response(decision: .deny, reasons: forbid.alone, errors: errors) }
            forbids.sort()
            return Response(decision: .deny, reasons: forbids, errors: errors)
        }
        if let permit {
            guard !permits.isEmpty else { return Response(decision: .allow, reasons: permit.alone, errors: errors) }
            permits.sort()
            return Response(decision: .allow, reasons: permits, errors: errors)
        }
        return Response(decision: .deny, reasons: [], errors: errors)
    }

    /// Keeps satisfied `policy` as `first` when it is the first of its effect; from the
    /// second on, `all` holds the ids of every one.
    private static func keep(_ policy: CompiledPolicy, first: inout CompiledPolicy?, all: inout [PolicyID]) {
        guard let kept = first else {
            first = policy
            return
        }
        if all.isEmpty { all.append(kept.id) }
        all.append(policy.id)
    }
}
