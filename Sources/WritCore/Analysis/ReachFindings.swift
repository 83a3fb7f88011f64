import Cedar

/// Gathers, triple by triple, what the findings of a reach analysis need, then states
/// them (docs/ANALYSIS.md, "Findings").
struct FindingsCollector {
    private let universe: ReachUniverse
    private let policies: [AnalyzedPolicy]

    /// How many triples each policy's scope holds.
    private var inScope: [Int]
    /// Whether each policy can apply (or, for a forbid, err) in some triple.
    private var mayApply: [Bool]
    /// Whether each permit can allow some triple no unconditional forbid denies.
    private var allows: [Bool]
    /// For each permit, the unconditional forbids that denied the triples it could allow.
    private var overriddenBy: [Set<Int>]
    /// For each permit that reads no `context.task`, the agents and resources it reaches.
    private var standing: [Int: (agents: Set<Int>, resources: Set<Int>)] = [:]
    /// Whether some agent reaches each resource through some action.
    private var reached: [Bool]
    /// Whether each resource has a triple at all.
    private var paired: [Bool]
    /// For each resource, the unconditional forbids that denied it.
    private var deniedBy: [Set<Int>]
    /// For each agent, the resources of other owners it reaches and the permits that let it.
    private var crossOwner: [Int: (resources: Set<Int>, permits: Set<Int>)] = [:]

    init(universe: ReachUniverse, policies: [AnalyzedPolicy]) {
        self.universe = universe
        self.policies = policies
        inScope = Array(repeating: 0, count: policies.count)
        mayApply = Array(repeating: false, count: policies.count)
        allows = Array(repeating: false, count: policies.count)
        overriddenBy = Array(repeating: [], count: policies.count)
        reached = Array(repeating: false, count: universe.resources.count)
        paired = Array(repeating: false, count: universe.resources.count)
        deniedBy = Array(repeating: [], count: universe.resources.count)
    }

    /// Takes in the verdict on agent `a` × resource `r` × one action.
    mutating func record(_ decided: ReachAnalyzer.Decided, agent a: Int, resource r: Int) {
        for i in decided.inScope { inScope[i] += 1 }
        for i in decided.permits { mayApply[i] = true }
        for i in decided.forbids { mayApply[i] = true }
        for i in decided.denying { mayApply[i] = true }
        paired[r] = true
        guard decided.verdict != .never else {
            deniedBy[r].formUnion(decided.denying)
            for i in decided.permits { overriddenBy[i].formUnion(decided.denying) }
            return
        }
        reached[r] = true
        for i in decided.permits {
            allows[i] = true
            if !policies[i].readsTask {
                standing[i, default: ([], [])].agents.insert(a)
                standing[i, default: ([], [])].resources.insert(r)
            }
        }
        if let owner = universe.agents[a].owner, let other = universe.resources[r].owner, owner != other {
            crossOwner[a, default: ([], [])].resources.insert(r)
            crossOwner[a, default: ([], [])].permits.formUnion(decided.permits)
        }
    }

    /// The findings, sorted by kind and then by what they name.
    func findings() -> [ReachFinding] {
        var result: [ReachFinding] = []
        for (i, reach) in standing.sorted(by: { policies[$0.key].id < policies[$1.key].id }) {
            result.append(finding(
                .standingAccess,
                "permit `\(policies[i].id)` can allow \(plural(reach.agents.count, "agent")) to reach "
                    + "\(plural(reach.resources.count, "resource")) without a task: none of its conditions reads context.task",
                policies: [i], agents: reach.agents, resources: reach.resources))
        }
        for (r, resource) in universe.resources.enumerated() where !reached[r] {
            let why =
                !paired[r] ? "no checkpoint action applies to it"
                : !deniedBy[r].isEmpty ? "unconditional forbids deny it (\(names(deniedBy[r])))"
                : "no permit can apply to it"
            result.append(finding(
                .unreachableResource, "no agent can reach \(resource.uid): \(why)",
                policies: deniedBy[r], agents: [], resources: [r]))
        }
        for i in policies.indices.sorted(by: { policies[$0].id < policies[$1].id }) {
            let policy = policies[i]
            if inScope[i] == 0 {
                result.append(finding(
                    .inapplicablePolicy,
                    "\(policy.effect.rawValue) `\(policy.id)` can never apply: no agent × resource × checkpoint action "
                        + "of the universe is in its scope",
                    policies: [i], agents: [], resources: []))
            } else if !mayApply[i] {
                result.append(finding(
                    .inapplicablePolicy,
                    "\(policy.effect.rawValue) `\(policy.id)` can never apply: its conditions are false or an error "
                        + "for all \(plural(inScope[i], "triple")) in its scope",
                    policies: [i], agents: [], resources: []))
            } else if policy.effect == .permit && !allows[i] {
                result.append(finding(
                    .inapplicablePolicy,
                    "permit `\(policy.id)` can never allow anything: unconditional forbids deny everything it could "
                        + "(\(names(overriddenBy[i])))",
                    policies: overriddenBy[i].union([i]), agents: [], resources: []))
            }
        }
        for (r, resource) in universe.resources.enumerated() where resource.owner == nil {
            result.append(finding(
                .resourceWithoutOwner, "\(resource.uid) has no owner", policies: [], agents: [], resources: [r]))
        }
        for (a, reach) in crossOwner.sorted(by: { $0.key < $1.key }) {
            let agent = universe.agents[a]
            result.append(finding(
                .crossOwnerReach,
                "\(agent.uid), owned by \(agent.owner.map(\.description) ?? "nobody"), can reach "
                    + "\(plural(reach.resources.count, "resource")) other users own",
                policies: reach.permits, agents: [a], resources: reach.resources))
        }
        return result
    }

    private func finding(
        _ kind: ReachFinding.Kind, _ message: String, policies ids: Set<Int>, agents: Set<Int>, resources: Set<Int>
    ) -> ReachFinding {
        ReachFinding(
            kind: kind, message: message, policies: ids.map { policies[$0].id }.sorted(),
            agents: agents.sorted().map { universe.agents[$0].uid },
            resources: resources.sorted().map { universe.resources[$0].uid })
    }

    private func names(_ ids: Set<Int>) -> String {
        ids.map { policies[$0].id }.sorted().map { "`\($0)`" }.joined(separator: ", ")
    }

    private func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
}
