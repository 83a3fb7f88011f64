import Cedar

/// Answers "who can reach what" from the organisation's policies: for every agent ×
/// resource × checkpoint action of a `ReachUniverse`, whether a request can be allowed
/// never, only inside a task, under conditions, or always — and the findings a person
/// should look at (docs/ANALYSIS.md).
///
/// The policies are compiled once and indexed by scope; each triple then checks only
/// the policies whose scope holds it, evaluating their conditions with `context`
/// unknown (`AbstractCondition`). Tasks' mandates only narrow what the organisation's
/// policies allow, so what is found here bounds what any task can be allowed.
///
/// Soundness: `never` means no request of the triple is allowed, whatever its context;
/// `always` means every one is (by the organisation's policies, in strict and
/// cedar-compat mode alike).
public struct ReachAnalyzer: Sendable {
    /// Bounds on the work one analysis does.
    public struct Limits: Sendable, Equatable {
        /// The most agent × resource × action triples analysed; a larger universe is
        /// refused before any is.
        public var maxTriples: Int
        public init(maxTriples: Int = 1_000_000) { self.maxTriples = maxTriples }
    }

    let policies: [AnalyzedPolicy]
    let entities: Entities
    let limits: Limits

    /// An analyzer of the static and linked policies of `policies`; the forbids in
    /// `approvable` are those a person may approve (docs/APPROVALS.md), which count as
    /// conditional. Conditions read attributes and the hierarchy from `entities`.
    public init(policies: PolicySet, approvable: Set<PolicyID> = [], entities: Entities, limits: Limits = Limits()) {
        self.policies = policies.policies.map { AnalyzedPolicy($0, approvable: approvable.contains($0.id)) }
        self.entities = entities
        self.limits = limits
    }

    /// An analyzer of an engine's policies over its entities.
    public init(engine: PolicyEngine, limits: Limits = Limits()) {
        self.init(
            policies: engine.compiled.policies, approvable: Set(engine.compiled.approvable.keys),
            entities: engine.entities, limits: limits)
    }

    /// Decides every triple of `universe` and gathers the findings.
    /// - Throws: `.tooLarge` when the universe has more triples than `limits.maxTriples`.
    public func analyze(_ universe: ReachUniverse) throws(WritError) -> ReachReport {
        let count = universe.tripleCount
        guard count <= limits.maxTriples else {
            throw WritError(
                .tooLarge,
                "the universe has \(count) agent × resource × action triples, more than the limit of \(limits.maxTriples) "
                    + "(\(universe.agents.count) agents, \(universe.resources.count) resources, \(universe.actions.count) actions)")
        }
        let words = (policies.count + 63) / 64
        func bits(_ matches: (AnalyzedPolicy) -> Bool) -> [UInt64] {
            var set = [UInt64](repeating: 0, count: words)
            for (i, p) in policies.enumerated() where matches(p) { set[i >> 6] |= 1 << UInt64(i & 63) }
            return set
        }
        let agentBits = universe.agents.map { a in bits { $0.policy.principal.matches(a.uid, in: entities) } }
        let actionBits = universe.actions.map { a in bits { $0.policy.action.matches(a.uid, in: entities) } }
        let resourceBits = universe.resources.map { r in bits { $0.policy.resource.matches(r.uid, in: entities) } }
        let actionsOf = Self.actionsByResource(universe)

        var findings = FindingsCollector(universe: universe, policies: policies)
        var triples: [ReachTriple] = []
        triples.reserveCapacity(count)
        var candidates: [Int] = []
        var memo = OutcomeMemo(policies, universe)
        for (ai, agent) in universe.agents.enumerated() {
            for (ri, resource) in universe.resources.enumerated() {
                for ki in actionsOf[ri] {
                    let action = universe.actions[ki]
                    candidates.removeAll(keepingCapacity: true)
                    for w in 0..<words {
                        var set = agentBits[ai][w] & resourceBits[ri][w] & actionBits[ki][w]
                        while set != 0 {
                            candidates.append(w << 6 | set.trailingZeroBitCount)
                            set &= set - 1
                        }
                    }
                    let request = Request(principal: agent.uid, action: action.uid, resource: resource.uid)
                    let decided = decide(request, candidates, memo: &memo, at: (ai, ki, ri))
                    findings.record(decided, agent: ai, resource: ri)
                    triples.append(triple(request, action.checkpoint, decided))
                }
            }
        }
        return ReachReport(
            universe: universe, policyCount: policies.count, triples: triples, findings: findings.findings())
    }

    /// The action indices that apply to each resource, in action order.
    private static func actionsByResource(_ universe: ReachUniverse) -> [[Int]] {
        var index: [EntityUID: Int] = [:]
        var byType: [EntityType: [Int]] = [:]
        for (i, r) in universe.resources.enumerated() {
            index[r.uid] = i
            byType[r.uid.type, default: []].append(i)
        }
        var result = [[Int]](repeating: [], count: universe.resources.count)
        for (k, action) in universe.actions.enumerated() {
            if let only = action.only {
                if let i = index[only] { result[i].append(k) }
            } else {
                for type in Set(action.resourceTypes) { for i in byType[type] ?? [] { result[i].append(k) } }
            }
        }
        return result
    }

    /// The policies one triple depends on, and its verdict.
    struct Decided {
        var verdict: ReachVerdict
        /// Permits that can apply (whatever the forbids do).
        var permits: [Int]
        /// Forbids that can apply or err, and are not among `denying`.
        var forbids: [Int]
        /// Forbids that always apply and are not approvable: they make the verdict `never`.
        var denying: [Int]
        /// Every policy whose scope holds the triple.
        var inScope: [Int]
    }

    private func decide(
        _ request: Request, _ candidates: [Int], memo: inout OutcomeMemo, at position: (agent: Int, action: Int, resource: Int)
    ) -> Decided {
        var permits: [Int] = [], permitAlways = false
        var forbids: [Int] = [], denying: [Int] = []
        for i in candidates {
            let policy = policies[i]
            let outcomes = memo.outcomes(i, at: position) { policy.outcomes(request, entities) }
            switch policy.effect {
            case .permit:
                if outcomes.possible {
                    permits.append(i)
                    if outcomes.always { permitAlways = true }
                }
            case .forbid:
                if outcomes.always && !policy.approvable {
                    denying.append(i)
                } else if outcomes.possible || outcomes.mayErr {
                    forbids.append(i)
                }
            }
        }
        let verdict: ReachVerdict =
            !denying.isEmpty || permits.isEmpty ? .never
            : permitAlways && forbids.isEmpty ? .always
            : permits.allSatisfy({ policies[$0].readsTask }) ? .insideTaskOnly : .conditional
        return Decided(verdict: verdict, permits: permits, forbids: forbids, denying: denying, inScope: candidates)
    }

    private func triple(_ request: Request, _ checkpoint: ReachUniverse.Checkpoint, _ decided: Decided) -> ReachTriple {
        var conditions: [ReachCondition] = []
        if decided.verdict == .conditional || decided.verdict == .insideTaskOnly {
            for i in (decided.permits + decided.forbids).sorted(by: { policies[$0].id < policies[$1].id }) {
                conditions += policies[i].uncertainClauses(request, entities)
            }
        }
        return ReachTriple(
            agent: request.principal, resource: request.resource, action: request.action, checkpoint: checkpoint,
            verdict: decided.verdict,
            permits: decided.verdict == .never ? [] : decided.permits.map { policies[$0].id }.sorted(),
            forbids: (decided.verdict == .never ? decided.denying : decided.forbids).map { policies[$0].id }.sorted(),
            conditions: conditions)
    }
}

/// One policy prepared for analysis: its scope, and each clause as an
/// `AbstractCondition` with its text.
final class AnalyzedPolicy: Sendable {
    struct Clause: Sendable {
        let condition: AbstractCondition
        /// An `unless` clause: the policy needs the condition false.
        let negate: Bool
        let text: String
    }

    let policy: Policy
    let approvable: Bool
    let clauses: [Clause]
    /// Whether a clause reads `context.task`.
    let readsTask: Bool
    /// Whether a clause reads `principal`, `action`, `resource`: what its outcomes
    /// depend on (besides the context, which is unknown anyway).
    let reads: (principal: Bool, action: Bool, resource: Bool)

    var id: PolicyID { policy.id }
    var effect: Effect { policy.effect }

    init(_ policy: Policy, approvable: Bool) {
        self.policy = policy
        self.approvable = approvable
        clauses = policy.conditions.map { c in
            Clause(
                condition: AbstractCondition(c.body), negate: c.kind == .unless,
                text: "\(c.kind.rawValue) { \(PolicyFormatter.format(c.body)) }")
        }
        readsTask = policy.conditions.contains { $0.body.readsTask }
        func anyReads(_ v: Variable) -> Bool { policy.conditions.contains { $0.body.reads(v) } }
        reads = (anyReads(.principal), anyReads(.action), anyReads(.resource))
    }

    /// The outcomes of the policy's clauses together, evaluated in order as Cedar does.
    func outcomes(_ request: Request, _ entities: Entities) -> Outcomes {
        var result = Outcomes.none
        for clause in clauses {
            let own = outcomes(of: clause, request, entities)
            result = result.union(own.withoutHolds)
            if !own.possible { return result }
        }
        return result.union(.holds)
    }

    private func outcomes(of clause: Clause, _ request: Request, _ entities: Entities) -> Outcomes {
        let own = clause.condition.outcomes(request, entities)
        return clause.negate ? own.negated : own
    }

    /// The clauses that do not hold for every context (and, for an approvable forbid,
    /// its approval), as a verdict names them.
    func uncertainClauses(_ request: Request, _ entities: Entities) -> [ReachCondition] {
        var result = clauses.filter { !outcomes(of: $0, request, entities).always }.map {
            ReachCondition(policy: id, effect: effect, text: $0.text)
        }
        if approvable {
            let text = policy.annotation(PolicySetCompiler.approvableAnnotation) ?? ""
            result.append(ReachCondition(
                policy: id, effect: effect,
                text: "@\(PolicySetCompiler.approvableAnnotation)(\(CedarStringLiteral.quote(text))): unless a person approves"))
        }
        return result
    }
}

/// The outcomes of each policy already found, keyed by what they depend on: a policy
/// whose clauses read only `resource` is evaluated once per resource, not once per
/// agent × resource × action. Policies whose key space is too large are not kept.
struct OutcomeMemo {
    /// The most entries one policy's table may have.
    static let maxEntries = 1 << 20

    private var tables: [[UInt8]?]
    private let strides: [(agent: Int, action: Int, resource: Int)]

    init(_ policies: [AnalyzedPolicy], _ universe: ReachUniverse) {
        var tables: [[UInt8]?] = []
        var strides: [(agent: Int, action: Int, resource: Int)] = []
        for p in policies {
            let r = p.reads.resource ? universe.resources.count : 1
            let k = p.reads.action ? universe.actions.count : 1
            let a = p.reads.principal ? universe.agents.count : 1
            let (size, overflow) = r.multipliedReportingOverflow(by: k)
            let (total, overflow2) = size.multipliedReportingOverflow(by: a)
            let kept = !overflow && !overflow2 && total <= Self.maxEntries
            tables.append(kept ? [UInt8](repeating: 0, count: max(total, 1)) : nil)
            strides.append((p.reads.principal ? k * r : 0, p.reads.action ? r : 0, p.reads.resource ? 1 : 0))
        }
        self.tables = tables
        self.strides = strides
    }

    /// The outcomes of policy `i` at `position`, computed by `compute` the first time.
    mutating func outcomes(
        _ i: Int, at position: (agent: Int, action: Int, resource: Int), _ compute: () -> Outcomes
    ) -> Outcomes {
        guard tables[i] != nil else { return compute() }
        let s = strides[i]
        let slot = position.agent * s.agent + position.action * s.action + position.resource * s.resource
        let known = tables[i]![slot]
        if known != 0 { return Outcomes(rawValue: known & 7) }
        let found = compute()
        tables[i]![slot] = found.rawValue | 0x80
        return found
    }
}
