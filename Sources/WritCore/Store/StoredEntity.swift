/// One entity as a store keeps it: its uid, and the entity in Cedar's entity JSON
/// form (one object: `{"uid": …, "attrs": …, "parents": …, "tags": …}`).
///
/// Stores keep the JSON as given; the decision service parses it, with the schema
/// when there is one, each time it loads the entity set.
///
/// Equality compares every field as exact Unicode scalars: unlike Swift's `String`
/// equality, `"é"` and `"e\u{301}"` differ, as they do in Cedar.
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

    /// The entity's uid.
    public var key: StoredEntityKey { StoredEntityKey(type: type, id: id) }

    public static func == (a: StoredEntity, b: StoredEntity) -> Bool {
        a.type.utf8.elementsEqual(b.type.utf8) && a.id.utf8.elementsEqual(b.id.utf8)
            && a.json.utf8.elementsEqual(b.json.utf8)
    }
}

/// An entity's key in a store. Equality and hashing use exact Unicode scalars, so
/// ids that differ only by normalisation are different keys.
public struct StoredEntityKey: Sendable, Hashable {
    public var type: String
    public var id: String
    public init(type: String, id: String) {
        self.type = type
        self.id = id
    }

    public static func == (a: StoredEntityKey, b: StoredEntityKey) -> Bool {
        a.type.utf8.elementsEqual(b.type.utf8) && a.id.utf8.elementsEqual(b.id.utf8)
    }

    public func hash(into hasher: inout Hasher) {
        for part in [type, id] {
            hasher.combine(part.utf8.count)
            let hashed: Void? = part.utf8.withContiguousStorageIfAvailable {
                hasher.combine(bytes: UnsafeRawBufferPointer($0))
            }
            if hashed == nil {
                for byte in part.utf8 { hasher.combine(byte) }
            }
        }
    }
}
