import Cedar

/// What the organisation's policies let an agent do to a resource through one action,
/// over every context (docs/ANALYSIS.md).
public enum ReachVerdict: String, Sendable, Equatable, CaseIterable {
    /// No request can be allowed: no permit can apply, or an unconditional forbid
    /// (not approvable) always applies.
    case never
    /// Some request may be allowed, and every permit that can apply reads
    /// `context.task`: only inside a task.
    case insideTaskOnly = "inside_task_only"
    /// Some request may be allowed, depending on the conditions named.
    case conditional
    /// Every request is allowed: a permit that applies whatever the context, and no
    /// forbid that can apply (or err).
    case always

    /// The verdict as a person reads it: `inside a task only`.
    public var words: String {
        switch self {
        case .never: "never"
        case .insideTaskOnly: "inside a task only"
        case .conditional: "conditional"
        case .always: "always"
        }
    }
}

/// A `when` or `unless` clause a verdict depends on, as Cedar text.
public struct ReachCondition: Sendable, Equatable, Hashable {
    public var policy: PolicyID
    public var effect: Effect
    /// `when { … }` or `unless { … }`, formatted on one line.
    public var text: String

    public init(policy: PolicyID, effect: Effect, text: String) {
        self.policy = policy
        self.effect = effect
        self.text = text
    }
}

/// The verdict on one agent × resource × action.
public struct ReachTriple: Sendable, Equatable {
    public var agent: EntityUID
    public var resource: EntityUID
    public var action: EntityUID
    public var checkpoint: ReachUniverse.Checkpoint
    public var verdict: ReachVerdict
    /// The permits that can apply (sorted); none when the verdict is `never`.
    public var permits: [PolicyID]
    /// The forbids that can apply (sorted): for `never`, the unconditional ones that deny.
    public var forbids: [PolicyID]
    /// For `conditional` and `inside a task only`: the clauses of the policies above
    /// that do not hold for every context, in policy then source order.
    public var conditions: [ReachCondition]
}

/// Something in the policies or the universe a person should look at.
public struct ReachFinding: Sendable, Equatable {
    /// The kinds of finding, in the order reports list them.
    public enum Kind: String, Sendable, Equatable, CaseIterable, Comparable {
        /// A permit that can allow an agent something without reading `context.task`.
        case standingAccess = "standing_access"
        /// A resource no agent can reach through any action.
        case unreachableResource = "unreachable_resource"
        /// A policy that applies to no agent × resource × action of the universe, or
        /// that only permits what an unconditional forbid denies.
        case inapplicablePolicy = "inapplicable_policy"
        /// A resource with no `owner`.
        case resourceWithoutOwner = "resource_without_owner"
        /// An agent that can reach resources another user owns.
        case crossOwnerReach = "cross_owner_reach"

        public static func < (lhs: Kind, rhs: Kind) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    public var kind: Kind
    public var message: String
    /// The policies involved, sorted.
    public var policies: [PolicyID]
    /// The agents involved, sorted.
    public var agents: [EntityUID]
    /// The resources involved, sorted.
    public var resources: [EntityUID]

    public init(kind: Kind, message: String, policies: [PolicyID], agents: [EntityUID], resources: [EntityUID]) {
        self.kind = kind
        self.message = message
        self.policies = policies
        self.agents = agents
        self.resources = resources
    }
}

/// The result of `ReachAnalyzer.analyze`: a verdict per triple and the findings.
public struct ReachReport: Sendable, Equatable {
    /// The universe analysed.
    public var universe: ReachUniverse
    /// The number of policies analysed.
    public var policyCount: Int
    /// Sorted by agent, resource, then action.
    public var triples: [ReachTriple]
    /// Sorted by kind, then by what they name.
    public var findings: [ReachFinding]

    /// The triple of `agent`, `resource` and `action`, if the universe pairs them.
    public func triple(_ agent: EntityUID, _ resource: EntityUID, _ action: EntityUID) -> ReachTriple? {
        triples.first { $0.agent == agent && $0.resource == resource && $0.action == action }
    }

    /// How many triples have each verdict.
    public var counts: [ReachVerdict: Int] {
        var counts = Dictionary(uniqueKeysWithValues: ReachVerdict.allCases.map { ($0, 0) })
        for t in triples { counts[t.verdict, default: 0] += 1 }
        return counts
    }
}
