import Cedar
import Foundation

/// One registration in the inventory: an entity an agent can reach (or an agent),
/// with its owner, description and labels, and for a tool the pinned hash of its
/// definition. Applying the inventory writes each item into the entity store as its
/// Cedar entity (`InventoryProjection`); what is not registered cannot be reached
/// (docs/INVENTORY.md).
public struct InventoryItem: Sendable, Equatable {
    /// The entity types the inventory registers.
    public enum Kind: String, Sendable, CaseIterable {
        case agent, server, tool, prompt, dataset, destination

        /// The Cedar entity type of items of this kind (`Writ::Tool`).
        public var entityType: String {
            switch self {
            case .agent: BaseSchema.agentType.name
            case .server: "Writ::McpServer"
            case .tool: "Writ::Tool"
            case .prompt: "Writ::Prompt"
            case .dataset: "Writ::Dataset"
            case .destination: "Writ::Destination"
            }
        }

        /// The kind whose entity type is `type`; nil for a type the inventory does not register.
        public init?(entityType type: String) {
            guard let kind = Kind.allCases.first(where: { $0.entityType.scalarsEqual(type) }) else { return nil }
            self = kind
        }
    }

    /// Whether a tool may be used.
    public enum State: Sendable, Equatable {
        /// The pinned definition is the one in use.
        case active
        /// Its server now describes it with `pending` (whose hash differs from the
        /// pinned one), first seen at `since`; denied (`tool_changed`) until its owner
        /// approves `pending`.
        case quarantined(pending: ToolDefinition, since: Date)
    }

    /// The entity this item registers.
    public var uid: EntityUID
    /// The `Writ::User` id of the item's owner.
    public var owner: String
    /// What it is, for people.
    public var description: String?
    /// Labels (`pii`, `can-send-out` …); see docs/INVENTORY.md for those Writ reads.
    public var labels: Set<String>
    /// The entities it is in (a tool's `Writ::McpServer`, an agent's `Writ::AgentGroup`).
    public var parents: [EntityUID]
    /// For a tool: the labels its output gives a task (its `outputLabels` attribute).
    public var outputLabels: Set<String>?
    /// For a tool: the definition pinned, when the inventory holds it.
    public var definition: ToolDefinition?
    /// For a tool: the pinned definition's hash (`sha256:<hex>`).
    public var pinnedHash: String?
    /// Active, or (a tool) quarantined.
    public var state: State
    /// Further Cedar attributes of the entity, in Cedar's entity JSON value form
    /// (a Dataset's `readers`, a Destination's `kind` and `internal`).
    package var attributes: JSONObject

    /// An item; `pinnedHash` defaults to the definition's hash. Nothing is checked
    /// here: `InventoryDocument(items:)` checks items as a read document's are.
    public init(
        uid: EntityUID, owner: String, description: String? = nil, labels: Set<String> = [], parents: [EntityUID] = [],
        outputLabels: Set<String>? = nil, definition: ToolDefinition? = nil, pinnedHash: String? = nil,
        state: State = .active
    ) {
        self.init(
            uid: uid, owner: owner, description: description, labels: labels, parents: parents, outputLabels: outputLabels,
            definition: definition, pinnedHash: pinnedHash, state: state, attributes: JSONObject())
    }

    package init(
        uid: EntityUID, owner: String, description: String? = nil, labels: Set<String> = [], parents: [EntityUID] = [],
        outputLabels: Set<String>? = nil, definition: ToolDefinition? = nil, pinnedHash: String? = nil,
        state: State = .active, attributes: JSONObject
    ) {
        self.uid = uid
        self.owner = owner
        self.description = description
        self.labels = labels
        self.parents = parents
        self.outputLabels = outputLabels
        self.definition = definition
        self.pinnedHash = pinnedHash ?? definition?.hash
        self.state = state
        self.attributes = attributes
    }

    /// The item's kind; nil only for an item not read through `InventoryDocument`.
    public var kind: Kind? { Kind(entityType: uid.type.name) }

    /// The item's key in the entity store.
    public var key: StoredEntityKey { StoredEntityKey(type: uid.type.name, id: uid.id) }

    /// The owner as a uid, `Writ::User::"ops"`.
    public var ownerUID: EntityUID { EntityUID(BaseSchema.userType.name, owner) }

    /// Whether the item is a quarantined tool.
    public var isQuarantined: Bool {
        if case .quarantined = state { return true }
        return false
    }

    /// The names of the further attributes, in scalar order.
    public var attributeNames: [String] {
        attributes.keys.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
    }
}
