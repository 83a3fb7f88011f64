import Cedar

/// What a reach analysis ranges over: the agents, the resources they could reach (each
/// with its owner), and the checkpoint actions that join them. `ReachAnalyzer` decides
/// every agent × resource × action the universe pairs.
///
/// `ReachUniverse(engine:)` takes it from an engine's entities and schema;
/// `ReachUniverse(engine:inventory:)` takes owners and labels from the inventory's
/// registrations where it has them.
public struct ReachUniverse: Sendable, Equatable {
    /// The four points where an agent's work is checked (docs/CHECKPOINTS.md).
    public enum Checkpoint: String, Sendable, Equatable, CaseIterable, Comparable {
        case prompt, retrieve, call, release

        /// The base schema's action for this checkpoint: an action is at a checkpoint
        /// when it is this action or in it.
        public var action: EntityUID { EntityUID(type: EntityType("Writ::Action"), id: rawValue) }

        public static func < (lhs: Checkpoint, rhs: Checkpoint) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    /// An agent and the user who owns it.
    public struct Agent: Sendable, Equatable {
        public var uid: EntityUID
        public var owner: EntityUID?
        public init(uid: EntityUID, owner: EntityUID?) {
            self.uid = uid
            self.owner = owner
        }
    }

    /// A tool, prompt, document or destination, the user who owns it, and its labels.
    public struct Resource: Sendable, Equatable {
        public var uid: EntityUID
        public var owner: EntityUID?
        /// Sorted by Unicode scalars.
        public var labels: [String]
        public init(uid: EntityUID, owner: EntityUID?, labels: [String] = []) {
            self.uid = uid
            self.owner = owner
            self.labels = labels.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
        }
    }

    /// An action at a checkpoint and the resources it applies to.
    public struct Action: Sendable, Equatable {
        public var uid: EntityUID
        public var checkpoint: Checkpoint
        /// The resource types the action applies to.
        public var resourceTypes: [EntityType]
        /// When set, the action applies to this resource only: a tool's own action
        /// (`Writ::Action::"mail___send_email"` on `Writ::Tool::"mail___send_email"`).
        public var only: EntityUID?
        public init(uid: EntityUID, checkpoint: Checkpoint, resourceTypes: [EntityType], only: EntityUID? = nil) {
            self.uid = uid
            self.checkpoint = checkpoint
            self.resourceTypes = resourceTypes
            self.only = only
        }

        /// Whether the action applies to `resource`.
        public func applies(to resource: EntityUID) -> Bool {
            if let only { return only == resource }
            return resourceTypes.contains(resource.type)
        }
    }

    /// Sorted by uid.
    public var agents: [Agent]
    /// Sorted by uid.
    public var resources: [Resource]
    /// Sorted by uid.
    public var actions: [Action]

    /// A universe of these agents, resources and actions (each kept sorted by uid).
    public init(agents: [Agent], resources: [Resource], actions: [Action]) {
        self.agents = agents.sorted { $0.uid < $1.uid }
        self.resources = resources.sorted { $0.uid < $1.uid }
        self.actions = actions.sorted { $0.uid < $1.uid }
    }

    /// The number of agent × resource × action triples the universe pairs.
    public var tripleCount: Int {
        agents.count * actions.reduce(0) { sum, action in sum + resources.count(where: { action.applies(to: $0.uid) }) }
    }
}

extension ReachUniverse {
    /// The attribute of agents and resources that names their owner.
    public static let ownerAttribute = "owner"

    /// The universe of an engine: every `Writ::Agent` entity; every action of the schema
    /// that applies to agents and is at a checkpoint (`prompt`, `retrieve`, `release`,
    /// or in `call`, or in one of them); the entities of the types those actions apply to;
    /// owners from the `owner` attribute. A tool action of the same id as a `Writ::Tool`
    /// entity applies to that tool only, as the MCP conventions pair them. Without a
    /// schema, the base schema's actions and the `Writ::Action` entities in `call`
    /// (applying to `Writ::Tool`) are used.
    public init(engine: PolicyEngine) {
        self.init(entities: engine.entities, schema: engine.schema)
    }

    /// The universe of an engine, as `init(engine:)` describes, with the owners and
    /// labels of what `inventory` registers taken from its items: an item's owner and
    /// labels are the registration's, whether or not the schema gives its type those
    /// attributes (a `Writ::Destination` has no `owner` attribute in the base schema,
    /// but its inventory item has an owner). Entities the inventory does not register
    /// keep their `owner` and `labels` attributes.
    public init(engine: PolicyEngine, inventory: [InventoryItem]) {
        self.init(entities: engine.entities, schema: engine.schema, inventory: inventory)
    }

    /// The universe of `entities` under `schema`, as `init(engine:inventory:)` describes.
    public init(entities: Entities, schema: Schema?, inventory: [InventoryItem] = []) {
        let toolType = EntityType("Writ::Tool")
        var candidates: [(uid: EntityUID, principals: [EntityType], resources: [EntityType])] = []
        let effective = schema ?? Self.baseSchema
        for (uid, action) in effective.actions where action.hasAppliesTo {
            candidates.append((uid, action.principalTypes, action.resourceTypes))
        }
        if schema == nil {
            for entity in entities.all where entity.uid.type == BaseSchema.callAction.type
                && entity.uid != BaseSchema.callAction && effective.actions[entity.uid] == nil
            {
                candidates.append((entity.uid, [BaseSchema.agentType], [toolType]))
            }
        }
        let tools = Set(entities.uids(ofType: toolType))
        var actions: [Action] = []
        for candidate in candidates where candidate.principals.contains(BaseSchema.agentType) {
            guard let checkpoint = Checkpoint.allCases.first(where: { checkpoint in
                Self.isIn(candidate.uid, checkpoint.action, entities: entities, schema: effective)
            }) else { continue }
            let paired = EntityUID(type: toolType, id: candidate.uid.id)
            let only = checkpoint == .call && candidate.resources.contains(toolType) && tools.contains(paired) ? paired : nil
            actions.append(Action(uid: candidate.uid, checkpoint: checkpoint, resourceTypes: candidate.resources, only: only))
        }
        var registered: [EntityUID: InventoryItem] = [:]
        for item in inventory { registered[item.uid] = item }
        func owner(_ uid: EntityUID) -> EntityUID? { registered[uid]?.ownerUID ?? Self.owner(of: uid, in: entities) }
        let resourceTypes = Set(actions.flatMap(\.resourceTypes))
        let resources = resourceTypes.flatMap { entities.uids(ofType: $0) }.map { uid in
            Resource(uid: uid, owner: owner(uid), labels: registered[uid].map { Array($0.labels) } ?? Self.labels(of: uid, in: entities))
        }
        let agents = entities.uids(ofType: BaseSchema.agentType).map { Agent(uid: $0, owner: owner($0)) }
        self.init(agents: agents, resources: resources, actions: actions)
    }

    /// The attribute of resources that holds their labels.
    public static let labelsAttribute = "labels"

    /// The strings of the `labels` attribute of `uid`; none when it has no such set.
    static func labels(of uid: EntityUID, in entities: Entities) -> [String] {
        guard case .set(let values)?? = entities.attribute(labelsAttribute, of: uid) else { return [] }
        return values.compactMap { if case .string(let s) = $0 { String(s) } else { nil } }
    }

    /// The entity the `owner` attribute of `uid` names, if it names one.
    static func owner(of uid: EntityUID, in entities: Entities) -> EntityUID? {
        guard case .entity(let owner)?? = entities.attribute(ownerAttribute, of: uid) else { return nil }
        return owner
    }

    /// Whether the action `uid` is `group` or in it, through the entities' action
    /// hierarchy or the schema's `memberOf`.
    private static func isIn(_ uid: EntityUID, _ group: EntityUID, entities: Entities, schema: Schema) -> Bool {
        if entities.isDescendant(uid, of: group) { return true }
        var seen: Set<EntityUID> = []
        var stack = [uid]
        while let next = stack.popLast() {
            guard seen.insert(next).inserted else { continue }
            if next == group { return true }
            stack.append(contentsOf: schema.actions[next]?.memberOf ?? [])
        }
        return false
    }

    /// The base schema, resolved once.
    private static let baseSchema: Schema = (try? Schema(cedarSchema: BaseSchema.text)) ?? Schema()
}
