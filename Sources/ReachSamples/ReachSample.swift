import Cedar
import Foundation
import WritCore

/// A generated, seeded deployment for testing and timing `ReachAnalyzer`: tools behind
/// MCP servers behind gateways, agents in groups, users who own them, prompts,
/// documents and destinations, and the organisation's policies — with conditions over
/// the context, entity attributes and the hierarchy, some that err, some forbids
/// approvable. Every policy validates against the sample's schema (the base schema with
/// one action per tool), and the same seed gives the same text.
public struct ReachSample: Sendable {
    /// The schema: the base schema with an action `in [call]` per tool.
    public let schema: String
    /// The policies, one per line group, each with an `@id`.
    public let policies: String
    /// The entities, in Cedar's entity JSON.
    public let entities: String

    /// The numbers of things the sample holds.
    public struct Size: Sendable, Equatable {
        public var tools: Int
        public var agents: Int
        public var policies: Int
        public init(tools: Int, agents: Int, policies: Int) {
            self.tools = tools
            self.agents = agents
            self.policies = policies
        }
        /// 20 tools, 5 agents, 30 policies: small enough to decide every request.
        public static let small = Size(tools: 20, agents: 5, policies: 30)
        /// 1,000 tools, 50 agents, 500 policies: the benchmark's size.
        public static let large = Size(tools: 1000, agents: 50, policies: 500)
    }

    /// Generates the sample of `size` from `seed`.
    public init(_ size: Size, seed: UInt64) {
        var g = Generator(size: size, seed: seed)
        schema = g.schemaText()
        entities = g.entitiesText()
        policies = g.policiesText()
    }

    /// Writes the sample as a policy directory (`writ serve --from`, `writ analyze
    /// reach --from`): `org.cedar`, `sample.cedarschema` and `entities.json`.
    public func write(to directory: String) throws {
        let url = URL(fileURLWithPath: directory)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, text) in [("org.cedar", policies), ("sample.cedarschema", schema), ("entities.json", entities)] {
            try Data(text.utf8).write(to: url.appendingPathComponent(name))
        }
    }

    /// The contexts a brute-force check decides every triple under: every combination
    /// of the values the sample's conditions test (task depth, labels, counters, agent,
    /// tool input, output size), and two that lack members the conditions read (so
    /// conditions err).
    public static let contexts: [Record] = {
        var result: [Record] = [Record(), Record([("task", .record(Record([("depth", .long(0))])))])]
        for agent in ["a0", "a1"] {
            for depth: Int64 in [0, 1] {
                for labels in [[], ["pii"]] {
                    for calls: Int64 in [0, 9] {
                        for (amount, to): (Int64, String) in [(0, "x@example.com"), (500, "x@evil.test")] {
                            for bytes: Int64 in [10, 5000] {
                                let counters = Record([
                                    ("decisions", .long(calls)), ("calls", .long(calls)), ("sameTool", .long(0)),
                                    ("spend", .long(0)),
                                ])
                                let task = Record([
                                    ("id", .string("t_1")), ("purpose", .string("sample")),
                                    ("onBehalfOf", .entity(EntityUID("Writ::User", "u0"))),
                                    ("agent", .entity(EntityUID("Writ::Agent", agent))), ("depth", .long(depth)),
                                    ("labels", .set(CedarSet(labels.map(Value.string)))), ("counters", .record(counters)),
                                ])
                                result.append(Record([
                                    ("task", .record(task)),
                                    ("input", .record(Record([("amount", .long(amount)), ("to", .string(to))]))),
                                    ("output", .record(Record([("labels", .set(CedarSet())), ("bytes", .long(bytes))]))),
                                ]))
                            }
                        }
                    }
                }
            }
        }
        return result
    }()
}

/// SplitMix64: small, fast and the same on every platform.
private struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

private struct Generator {
    let size: ReachSample.Size
    var random: SplitMix64
    let servers: Int
    let users = 4, groups = 3
    /// Whether conditions may be the constants `true` and `false` (not for forbids).
    var constants = true

    init(size: ReachSample.Size, seed: UInt64) {
        self.size = size
        random = SplitMix64(state: seed)
        servers = max(2, size.tools / 10)
    }

    func tool(_ n: Int) -> String { "s\(n % servers)___t\(n)" }

    func schemaText() -> String { schemaText(tools: Array(0..<size.tools)) }

    /// The schema with the actions of `tools` only.
    func schemaText(tools: [Int]) -> String {
        let actions = tools.map { n in
            """
              action "\(tool(n))" in [call] appliesTo {
                principal: [Agent], resource: [Tool],
                context: { task: TaskContext, system: SystemContext, input: { amount: Long, to: String } }
              };
            """
        }
        return BaseSchema.extended(with: actions.joined(separator: "\n"), name: "sample.cedarschema").file.text
    }

    mutating func entitiesText() -> String {
        func uid(_ type: String, _ id: String) -> String { #"{"type": "Writ::\#(type)", "id": "\#(id)"}"# }
        func entity(_ type: String, _ id: String, _ attrs: String = "{}", parents: [String] = []) -> String {
            #"{"uid": \#(uid(type, id)), "attrs": \#(attrs), "parents": [\#(parents.joined(separator: ", "))]}"#
        }
        func user(_ n: Int) -> String { #"{"__entity": \#(uid("User", "u\(n)"))}"# }
        func labels(_ l: [String]) -> String { "[" + l.map { "\"\($0)\"" }.joined(separator: ", ") + "]" }
        var list: [String] = []
        list += (0..<users).map { entity("User", "u\($0)") }
        list += (0..<groups).map { entity("AgentGroup", "ag\($0)") }
        list += [entity("Gateway", "g0"), entity("Gateway", "g1"), entity("Group", "staff")]
        for s in 0..<servers {
            list.append(entity("McpServer", "s\(s)", #"{"owner": \#(user(s % users)), "labels": []}"#,
                               parents: [uid("Gateway", "g\(s % 2)")]))
        }
        for n in 0..<size.tools {
            let l = ["pii", "finance", "public"].filter { _ in random.chance(30) }
            let attrs = #"{"name": "\#(tool(n))", "owner": \#(user(random.below(users))), "labels": \#(labels(l)), "egress": \#(random.chance(40))}"#
            list.append(entity("Tool", tool(n), attrs, parents: [uid("McpServer", "s\(n % servers)")]))
        }
        for a in 0..<size.agents {
            let parents = (0..<groups).filter { _ in random.chance(40) }.map { uid("AgentGroup", "ag\($0)") }
            list.append(entity("Agent", "a\(a)", #"{"owner": \#(user(random.below(users)))}"#, parents: parents))
        }
        for p in 0..<2 {
            let attrs = #"{"name": "prompt \#(p)", "owner": \#(user(p)), "labels": \#(labels(p == 1 ? ["draft"] : []))}"#
            list.append(entity("Prompt", "p\(p)", attrs, parents: [uid("McpServer", "s\(p)")]))
        }
        for d in 0..<2 {
            let attrs = #"{"owner": \#(user(d)), "readers": {"__entity": \#(uid("Group", "staff"))}, "labels": []}"#
            list.append(entity("Dataset", "d\(d)", attrs, parents: [uid("McpServer", "s\(d)")]))
        }
        for n in 0..<3 {
            let attrs = #"{"uri": "files://doc\#(n)", "dataset": {"__entity": \#(uid("Dataset", "d\(n % 2)"))}, "labels": \#(labels(n == 2 ? ["pii"] : []))}"#
            list.append(entity("Document", "doc\(n)", attrs, parents: [uid("Dataset", "d\(n % 2)")]))
        }
        list.append(entity("Destination", "chat", #"{"kind": "chat", "internal": true}"#))
        list.append(entity("Destination", "partner", #"{"kind": "api", "internal": false}"#))
        return "[\n" + list.joined(separator: ",\n") + "\n]\n"
    }

    mutating func policiesText() -> String {
        var texts: [String] = []
        var attempts = 0
        while texts.count < size.policies {
            attempts += 1
            let (text, named) = policy(texts.count)
            // Keep only what validates, as the compiler will demand. Every tool action has
            // the same context, so a schema with the actions the policy names (and one
            // more) types it as the whole schema does, at a fraction of the cost.
            if attempts < size.policies * 50, let schema = try? Schema(cedarSchema: schemaText(tools: named + [0])),
                let parsed = try? PolicyParser.parsePolicies(text), let set = try? PolicySet(parsed),
                !Validator(schema: schema).validate(set).passed
            {
                continue
            }
            texts.append(text)
        }
        return texts.joined(separator: "\n\n") + "\n"
    }

    /// The kinds of resource a policy's scope aims at.
    private enum Aim { case tools, documents, destinations, prompts, anything }

    /// The text of policy `n`, and the tools whose actions it names.
    private mutating func policy(_ n: Int) -> (text: String, tools: [Int]) {
        let forbid = random.chance(35)
        var head = "@id(\"\(forbid ? "forbid" : "permit")-\(n)\")\n"
        if forbid && random.chance(15) { head += "@approvable(\"a person decides\")\n" }
        let principal: String
        switch random.below(100) {
        case ..<25: principal = "principal"
        case ..<55: principal = "principal in Writ::AgentGroup::\"ag\(random.below(groups))\""
        case ..<75: principal = "principal == Writ::Agent::\"a\(random.below(size.agents))\""
        case ..<90: principal = "principal is Writ::Agent"
        default: principal = "principal is Writ::Agent in Writ::AgentGroup::\"ag\(random.below(groups))\""
        }
        let aim: Aim
        let action: String, resource: String
        var named: [Int] = []
        switch random.below(100) {
        case ..<60:
            aim = .tools
            let t = random.below(size.tools)
            switch random.below(100) {
            case ..<40: action = "action in Writ::Action::\"call\""
            case ..<75:
                action = "action == Writ::Action::\"\(tool(t))\""
                named = [t]
            default:
                let other = random.below(size.tools)
                action = "action in [Writ::Action::\"\(tool(t))\", Writ::Action::\"\(tool(other))\"]"
                named = [t, other]
            }
            switch random.below(100) {
            case ..<30: resource = "resource"
            case ..<60: resource = "resource in Writ::McpServer::\"s\(random.below(servers))\""
            case ..<75: resource = "resource in Writ::Gateway::\"g\(random.below(2))\""
            case ..<90: resource = "resource == Writ::Tool::\"\(random.chance(70) ? tool(t) : tool(random.below(size.tools)))\""
            default: resource = "resource is Writ::Tool"
            }
        case ..<70:
            aim = .documents
            action = "action == Writ::Action::\"retrieve\""
            resource = random.chance(50) ? "resource" : "resource in Writ::Dataset::\"d\(random.below(2))\""
        case ..<80:
            aim = .destinations
            action = "action == Writ::Action::\"release\""
            resource = random.chance(50) ? "resource" : "resource == Writ::Destination::\"\(random.pick(["chat", "partner"]))\""
        case ..<85:
            aim = .prompts
            action = "action == Writ::Action::\"prompt\""
            resource = "resource"
        default:
            aim = .anything
            action = "action"
            resource = "resource"
        }
        var text = head + "\(forbid ? "forbid" : "permit") (\(principal), \(action), \(resource))"
        var clauses = random.below(100) < 40 ? 0 : random.below(100) < 65 ? 1 : 2
        // A forbid always has a condition, one plain `when` test and never a constant:
        // forbids of everything would leave nothing to analyse.
        if forbid && clauses == 0 { clauses = 1 }
        constants = !forbid
        for _ in 0..<clauses {
            let kind = random.chance(75) || forbid ? "when" : "unless"
            text += "\n\(kind) { \(forbid ? atom(aim) : condition(aim)) }"
        }
        return (text + ";", named)
    }

    private mutating func condition(_ aim: Aim) -> String {
        switch random.below(100) {
        case ..<50: return atom(aim)
        case ..<60: return "!(\(atom(aim)))"
        case ..<75: return "\(atom(aim)) && \(atom(aim))"
        case ..<90: return "\(atom(aim)) || \(atom(aim))"
        default: return "if \(atom(aim)) then \(atom(aim)) else \(atom(aim))"
        }
    }

    private mutating func atom(_ aim: Aim) -> String {
        var atoms = [
            "context.task.labels.contains(\"pii\")", "context.task.depth == 0", "context.task.counters.calls < 5",
            "principal.owner == Writ::User::\"u\(random.below(users))\"",
            "principal in Writ::AgentGroup::\"ag\(random.below(groups))\"", "context.task.agent == principal",
        ]
        switch aim {
        case .tools:
            atoms += [
                "resource.egress", "resource.labels.contains(\"pii\")", "principal.owner == resource.owner",
                "resource in Writ::McpServer::\"s\(random.below(servers))\"", "context.input.amount > 100",
                "context.input.to like \"*@example.com\"",
                "(if resource.egress then 9223372036854775807 + context.input.amount else 0) == 0",
                "(if resource.labels.contains(\"finance\") then 9223372036854775807 + 1 else 0) == 0",
            ]
        case .documents: atoms += ["resource.labels.contains(\"pii\")", "resource in Writ::Dataset::\"d0\""]
        case .destinations: atoms += ["resource.internal", "context.output.bytes < 1000"]
        case .prompts: atoms += ["resource.labels.contains(\"draft\")"]
        case .anything: atoms += constants ? ["true", "false"] : ["context.task.labels.isEmpty()"]
        }
        return random.pick(atoms)
    }
}
