import Cedar
import Foundation

/// What the inventory says about each resource it registers — tool, prompt, dataset,
/// MCP server, destination — joined with what the policies and the audit log say about
/// it: its owner and labels, the policies that name it, the agents that can reach it
/// (by the reach analysis, docs/ANALYSIS.md), and its last decisions
/// (docs/INVENTORY.md, "The report").
///
/// `InventoryReport.make(items:engine:audit:last:limits:)` builds one from a store;
/// `json()`, `html` and the CLI's text show it.
public struct InventoryReport: Sendable, Equatable {
    /// Where a policy names a resource.
    public enum Place: String, Sendable, Equatable, CaseIterable, Comparable {
        /// Its resource scope is `==` the resource, or `in` it or an entity it is in.
        case resourceScope = "resource_scope"
        /// Its action scope names the tool's own action (`Writ::Action::"mail___send_email"`).
        case actionScope = "action_scope"
        /// A condition names the resource, an entity it is in, or the tool's own action.
        case condition

        public static func < (lhs: Place, rhs: Place) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    /// A policy that names a resource, where, and through which entities.
    public struct PolicyReference: Sendable, Equatable {
        public var id: PolicyID
        public var effect: Effect
        /// Sorted, without repeats.
        public var places: [Place]
        /// The entities the policy names that hold the resource (the resource itself,
        /// an entity it is in, its action), sorted.
        public var via: [EntityUID]

        public init(id: PolicyID, effect: Effect, places: [Place], via: [EntityUID]) {
            self.id = id
            self.effect = effect
            self.places = places
            self.via = via
        }
    }

    /// What one agent can do to a resource, and to what is in it.
    public struct AgentReach: Sendable, Equatable {
        public var agent: EntityUID
        public var owner: EntityUID?
        /// The widest verdict of `triples`: `always` over `conditional` over `inside a
        /// task only` over `never`.
        public var verdict: ReachVerdict
        /// The agent's triples on the resource and on the resources in it, by resource
        /// then action.
        public var triples: [ReachTriple]

        public init(agent: EntityUID, owner: EntityUID?, verdict: ReachVerdict, triples: [ReachTriple]) {
            self.agent = agent
            self.owner = owner
            self.verdict = verdict
            self.triples = triples
        }
    }

    /// A decision on a resource, as its audit record tells it.
    public struct Decision: Sendable, Equatable {
        /// The record's sequence in the log.
        public var sequence: Int
        /// When it was decided (to the microsecond, as recorded).
        public var time: Date
        /// The agent's id (of a `Writ::Agent`), when an agent asked.
        public var agent: String?
        /// The action, as a Cedar uid.
        public var action: String?
        /// allow, deny or ask.
        public var outcome: AuditOutcome?
        /// The denial's reason code (`policy_denied`, `unregistered`, `tool_changed`,
        /// `mandate_denied` …); nil when allowed, or denied outside a task by the
        /// policies alone (then `policies` names them).
        public var reason: String?
        /// The organisation's policies that decided, as recorded.
        public var policies: [String]
        public var decisionID: String?
        public var taskID: String?

        public init(
            sequence: Int, time: Date, agent: String?, action: String?, outcome: AuditOutcome?, reason: String?,
            policies: [String], decisionID: String?, taskID: String?
        ) {
            self.sequence = sequence
            self.time = time
            self.agent = agent
            self.action = action
            self.outcome = outcome
            self.reason = reason
            self.policies = policies
            self.decisionID = decisionID
            self.taskID = taskID
        }

        /// The decision a `.decision` record holds.
        public init(record: AuditRecord) {
            let event = record.event
            var reason: String?
            var policies: [String] = []
            if case .object(let details) = event.details {
                if case .object(let denial)? = details["denial"], case .string(let code)? = denial["reason"] { reason = code }
                if case .array(let reasons)? = details["reasons"] {
                    policies = reasons.compactMap { if case .string(let id) = $0 { id } else { nil } }
                }
            }
            self.init(
                sequence: record.sequence, time: event.time, agent: event.agent, action: event.action,
                outcome: event.outcome, reason: reason, policies: policies, decisionID: event.decisionID,
                taskID: event.taskID)
        }
    }

    /// One registered resource and what is known about it.
    public struct Entry: Sendable, Equatable {
        /// The registration: uid, owner, description, labels, state.
        public var item: InventoryItem
        /// The policies that name it, sorted by id.
        public var policies: [PolicyReference]
        /// The resources of the reach analysis the entry covers: the resource itself
        /// when a checkpoint action applies to it, and those in it (a server's tools,
        /// a dataset's documents), sorted. Empty: no agent can reach it or anything
        /// in it through any checkpoint action.
        public var covers: [EntityUID]
        /// Every agent's reach, sorted by agent; empty when `covers` is.
        public var reach: [AgentReach]
        /// Its last decisions, newest first.
        public var decisions: [Decision]

        public init(
            item: InventoryItem, policies: [PolicyReference], covers: [EntityUID], reach: [AgentReach],
            decisions: [Decision]
        ) {
            self.item = item
            self.policies = policies
            self.covers = covers
            self.reach = reach
            self.decisions = decisions
        }

        /// The widest verdict of any agent; nil when no triple covers it.
        public var widest: ReachVerdict? { reach.map(\.verdict).max() }
    }

    /// The registered resources (every item but agents), sorted by uid.
    public var entries: [Entry]
    /// The agents of the analysis, sorted by uid, with their owners.
    public var agents: [ReachUniverse.Agent]
    /// The number of policies analysed.
    public var policyCount: Int
    /// How many decisions each entry was asked for.
    public var last: Int

    public init(entries: [Entry], agents: [ReachUniverse.Agent], policyCount: Int, last: Int) {
        self.entries = entries
        self.agents = agents
        self.policyCount = policyCount
        self.last = last
    }
}

extension ReachVerdict: Comparable {
    /// Ordered by how much they let through: `never` < `inside a task only` <
    /// `conditional` < `always`.
    public static func < (lhs: ReachVerdict, rhs: ReachVerdict) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

extension InventoryReport {
    /// The most decisions a report lists per resource.
    public static let maxLast = AuditQuery.maxLimit

    /// The report on `items` (the inventory) under `engine`'s policies and entities:
    /// the reach analysis of `ReachUniverse(engine:inventory:)`, and for each resource
    /// its last `last` decisions from `audit`, read by resource
    /// (`AuditStore.latestDecisions(on:limit:)`), one query per resource.
    /// - Throws: `.invalidRequest` when `last` is not 0…`maxLast`; `.tooLarge` when the
    ///   analysis pairs more triples than `limits` allows; a store error.
    public static func make(
        items: [InventoryItem], engine: PolicyEngine, audit: (any AuditStore)?, last: Int,
        limits: ReachAnalyzer.Limits = ReachAnalyzer.Limits()
    ) async throws(WritError) -> InventoryReport {
        guard (0...maxLast).contains(last) else {
            throw WritError(.invalidRequest, "the number of decisions per resource must be 0 to \(maxLast), not \(last)")
        }
        let reach = try ReachAnalyzer(engine: engine, limits: limits).analyze(ReachUniverse(engine: engine, inventory: items))
        var decisions: [EntityUID: [Decision]] = [:]
        if last > 0, let audit {
            for item in items where item.kind != .agent {
                decisions[item.uid] = try await audit.latestDecisions(on: item.uid.description, limit: last).map { Decision(record: $0) }
            }
        }
        return InventoryReport(
            items: items, reach: reach, policies: engine.compiled.policies, entities: engine.entities,
            decisions: decisions, last: last)
    }

    /// The report on `items` from a finished reach analysis, the policies it analysed,
    /// the entities it read, and each resource's decisions (newest first).
    public init(
        items: [InventoryItem], reach: ReachReport, policies: PolicySet, entities: Entities,
        decisions: [EntityUID: [Decision]], last: Int
    ) {
        let names = PolicyNames(policies.policies)
        let universe = reach.universe
        var triplesOf: [EntityUID: [Int]] = [:]
        for (i, t) in reach.triples.enumerated() { triplesOf[t.resource, default: []].append(i) }
        var inside: [EntityUID: [EntityUID]] = [:]
        for resource in universe.resources where triplesOf[resource.uid] != nil {
            inside[resource.uid, default: []].append(resource.uid)
            for ancestor in entities.ancestors(of: resource.uid) { inside[ancestor, default: []].append(resource.uid) }
        }
        var ownActions: [EntityUID: [EntityUID]] = [:]
        for action in universe.actions { if let only = action.only { ownActions[only, default: []].append(action.uid) } }
        let agentOwners = Dictionary(universe.agents.map { ($0.uid, $0.owner) }, uniquingKeysWith: { a, _ in a })

        var entries: [Entry] = []
        for item in items.sorted(by: { $0.uid < $1.uid }) where item.kind != .agent {
            let covers = (inside[item.uid] ?? []).sorted()
            var byAgent: [EntityUID: [ReachTriple]] = [:]
            for resource in covers {
                for i in triplesOf[resource] ?? [] { byAgent[reach.triples[i].agent, default: []].append(reach.triples[i]) }
            }
            let agentReach = byAgent.keys.sorted().map { agent in
                let triples = byAgent[agent]!.sorted { ($0.resource, $0.action) < ($1.resource, $1.action) }
                return AgentReach(
                    agent: agent, owner: agentOwners[agent] ?? nil, verdict: triples.map(\.verdict).max() ?? .never,
                    triples: triples)
            }
            entries.append(Entry(
                item: item,
                policies: names.references(to: item.uid, actions: ownActions[item.uid] ?? [], entities: entities),
                covers: covers, reach: agentReach, decisions: decisions[item.uid] ?? []))
        }
        self.init(entries: entries, agents: universe.agents, policyCount: reach.policyCount, last: last)
    }
}

/// Which policies name which entities, in their resource scope, their action scope and
/// their conditions: built once, then asked per resource.
struct PolicyNames {
    private let policies: [Policy]
    /// For each entity named, the policies naming it and where.
    private var named: [EntityUID: [(policy: Int, place: InventoryReport.Place)]] = [:]

    init(_ policies: [Policy]) {
        self.policies = policies
        for (i, policy) in policies.enumerated() {
            if case .entity(let uid)? = policy.resource.reference { named[uid, default: []].append((i, .resourceScope)) }
            switch policy.action {
            case .any: break
            case .equal(let uid), .in(let uid): named[uid, default: []].append((i, .actionScope))
            case .inSet(let uids): for uid in Set(uids) { named[uid, default: []].append((i, .actionScope)) }
            }
            var literals: Set<EntityUID> = []
            for condition in policy.conditions { condition.body.collectEntityLiterals(into: &literals) }
            for uid in literals { named[uid, default: []].append((i, .condition)) }
        }
    }

    /// The policies naming `resource` (whose own actions are `actions`): a resource
    /// scope that holds it through the entity named; an action scope naming one of its
    /// actions; a condition naming it, an entity it is in, or one of its actions.
    func references(to resource: EntityUID, actions: [EntityUID], entities: Entities) -> [InventoryReport.PolicyReference] {
        var found: [Int: (places: Set<InventoryReport.Place>, via: Set<EntityUID>)] = [:]
        let holders = [resource] + entities.ancestors(of: resource).sorted()
        for uid in holders {
            for (i, place) in named[uid] ?? [] {
                switch place {
                case .resourceScope where !policies[i].resource.matches(resource, in: entities): continue
                case .actionScope: continue
                default: break
                }
                found[i, default: ([], [])].places.insert(place)
                found[i, default: ([], [])].via.insert(uid)
            }
        }
        for uid in actions {
            for (i, place) in named[uid] ?? [] where place != .resourceScope {
                found[i, default: ([], [])].places.insert(place)
                found[i, default: ([], [])].via.insert(uid)
            }
        }
        return found.map { i, names in
            InventoryReport.PolicyReference(
                id: policies[i].id, effect: policies[i].effect, places: names.places.sorted(), via: names.via.sorted())
        }.sorted { $0.id < $1.id }
    }
}

extension Expr {
    /// Adds every entity uid written in the expression (as a literal, or in a set
    /// literal) to `found`.
    func collectEntityLiterals(into found: inout Set<EntityUID>) {
        _ = contains { e in
            if case .value(let value) = e.kind { value.collectEntities(into: &found) }
            return false
        }
    }
}

extension Value {
    fileprivate func collectEntities(into found: inout Set<EntityUID>) {
        switch self {
        case .entity(let uid): found.insert(uid)
        case .set(let set): for element in set { element.collectEntities(into: &found) }
        default: break
        }
    }
}
