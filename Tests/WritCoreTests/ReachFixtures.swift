import Cedar
import Testing
import WritCore

/// A small deployment for reach analysis: two tools on two MCP servers, two agents
/// with different owners, and a destination without an owner.
enum ReachFixtures {
    static let schema = BaseSchema.extended(with: """
          action "docs___search" in [call] appliesTo {
            principal: [Agent], resource: [Tool],
            context: { task: TaskContext, system: SystemContext, input: { query: String } }
          };
          action "mail___send_email" in [call] appliesTo {
            principal: [Agent], resource: [Tool],
            context: { task: TaskContext, system: SystemContext, input: { to: String } }
          };
        """, name: "reach.cedarschema").file.text

    static let entities = """
        [
         {"uid": {"type": "Writ::User", "id": "ann"}, "attrs": {}, "parents": []},
         {"uid": {"type": "Writ::User", "id": "bob"}, "attrs": {}, "parents": []},
         {"uid": {"type": "Writ::AgentGroup", "id": "desk"}, "attrs": {}, "parents": []},
         {"uid": {"type": "Writ::Agent", "id": "bot"}, "attrs": {"owner": {"__entity": {"type": "Writ::User", "id": "ann"}}},
          "parents": [{"type": "Writ::AgentGroup", "id": "desk"}]},
         {"uid": {"type": "Writ::Agent", "id": "rogue"}, "attrs": {"owner": {"__entity": {"type": "Writ::User", "id": "bob"}}},
          "parents": []},
         {"uid": {"type": "Writ::McpServer", "id": "docs"}, "attrs": {"owner": {"__entity": {"type": "Writ::User", "id": "ann"}}, "labels": []}, "parents": []},
         {"uid": {"type": "Writ::McpServer", "id": "mail"}, "attrs": {"owner": {"__entity": {"type": "Writ::User", "id": "bob"}}, "labels": []}, "parents": []},
         {"uid": {"type": "Writ::Tool", "id": "docs___search"},
          "attrs": {"name": "search", "owner": {"__entity": {"type": "Writ::User", "id": "ann"}}, "labels": [], "egress": false},
          "parents": [{"type": "Writ::McpServer", "id": "docs"}]},
         {"uid": {"type": "Writ::Tool", "id": "mail___send_email"},
          "attrs": {"name": "send_email", "owner": {"__entity": {"type": "Writ::User", "id": "bob"}}, "labels": [], "egress": true},
          "parents": [{"type": "Writ::McpServer", "id": "mail"}]},
         {"uid": {"type": "Writ::Destination", "id": "chat"}, "attrs": {"kind": "chat", "internal": true}, "parents": []}
        ]
        """

    static let bot = EntityUID("Writ::Agent", "bot")
    static let rogue = EntityUID("Writ::Agent", "rogue")
    static let search = EntityUID("Writ::Tool", "docs___search")
    static let mail = EntityUID("Writ::Tool", "mail___send_email")
    static let chat = EntityUID("Writ::Destination", "chat")
    static let searchAction = EntityUID("Writ::Action", "docs___search")
    static let mailAction = EntityUID("Writ::Action", "mail___send_email")
    static let release = EntityUID("Writ::Action", "release")

    /// The report on `policies` over this deployment.
    static func report(_ policies: String, limits: ReachAnalyzer.Limits = .init()) async throws -> ReachReport {
        let engine = try await TestService.make(policies: policies, schema: schema, entities: entities).engine()
        return try ReachAnalyzer(engine: engine, limits: limits).analyze(ReachUniverse(engine: engine))
    }
}

extension ReachReport {
    /// The verdict on a triple the universe pairs; nil when it does not.
    func verdict(_ agent: EntityUID, _ resource: EntityUID, _ action: EntityUID) -> ReachVerdict? {
        triple(agent, resource, action)?.verdict
    }

    /// The findings of one kind.
    func findings(_ kind: ReachFinding.Kind) -> [ReachFinding] { findings.filter { $0.kind == kind } }
}
