/// One entity as a store keeps it: its uid, and the entity in Cedar's entity JSON
/// form (one object: `{"uid": …, "attrs": …, "parents": …, "tags": …}`).
///
/// Stores keep the JSON as given; the decision service parses it, with the schema
/// when there is one, each time it loads the entity set.
public struct StoredEntity: Sendable, Equatable {
    /// The entity type, as Cedar spells it (`User`, `Todo::List`).
    public var type: String
    /// The entity id. Compared as exact Unicode scalars, never normalised.
    public var id: String
    /// The entity as one Cedar entity JSON object.
    public var json: String
    public init(type: String, id: String, json: String) {
        self.type = type
        self.id = id
        self.json = json
    }
}

/// An entity's key in a store.
public struct StoredEntityKey: Sendable, Hashable {
    public var type: String
    public var id: String
    public init(type: String, id: String) {
        self.type = type
        self.id = id
    }
}
