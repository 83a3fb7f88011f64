/// An entity: a uid, attributes, tags, and the entities it is directly `in`.
public struct Entity: Sendable, Equatable {
    public var uid: EntityUID
    public var attributes: Record
    /// The entity's direct parents. The store computes the transitive closure.
    public var parents: Set<EntityUID>
    public var tags: Record

    public init(uid: EntityUID, attributes: Record = Record(), parents: Set<EntityUID> = [], tags: Record = Record()) {
        self.uid = uid
        self.attributes = attributes
        self.parents = parents
        self.tags = tags
    }
}

/// A set of entities with the transitive closure of their hierarchy, computed once
/// when the set is built so that `in` is a set lookup at evaluation time.
public struct Entities: Sendable {
    private var entities: [EntityUID: Entity]
    /// For each entity, every entity it is transitively `in` (not including itself).
    private var ancestorsByUID: [EntityUID: Set<EntityUID>]

    /// An empty entity set.
    public init() {
        entities = [:]
        ancestorsByUID = [:]
    }

    /// Builds an entity set. When a uid repeats, the last entity wins; parsers that
    /// must reject duplicates check before calling this. Parents need not exist.
    /// Cycles in the hierarchy are allowed and terminate.
    public init<S: Sequence>(_ list: S) where S.Element == Entity {
        var map: [EntityUID: Entity] = [:]
        for e in list { map[e.uid] = e }
        self.entities = map
        self.ancestorsByUID = Self.closure(of: map)
    }

    /// The entity with this uid, if present.
    public subscript(uid: EntityUID) -> Entity? { entities[uid] }

    /// The value of attribute `name` of entity `uid`: nil when the entity does not
    /// exist, `.some(nil)` when it exists without that attribute. Reads in place,
    /// without copying the entity.
    public func attribute(_ name: String, of uid: EntityUID) -> Value?? {
        guard let index = entities.index(forKey: uid) else { return nil }
        return .some(entities.values[index].attributes[name])
    }

    /// Every entity, in no particular order.
    public var all: Dictionary<EntityUID, Entity>.Values { entities.values }

    public var count: Int { entities.count }

    /// Every entity that `uid` is transitively in, not including `uid` itself.
    public func ancestors(of uid: EntityUID) -> Set<EntityUID> {
        ancestorsByUID[uid] ?? []
    }

    /// Whether `uid` is `ancestor` or transitively in it.
    public func isDescendant(_ uid: EntityUID, of ancestor: EntityUID) -> Bool {
        uid == ancestor || (ancestorsByUID[uid]?.contains(ancestor) ?? false)
    }

    /// Returns this set with `more` added, replacing entities with the same uid, and the
    /// closure recomputed.
    public func adding<S: Sequence>(_ more: S) -> Entities where S.Element == Entity {
        var map = entities
        for e in more { map[e.uid] = e }
        var copy = self
        copy.entities = map
        copy.ancestorsByUID = Self.closure(of: map)
        return copy
    }

    private static func closure(of map: [EntityUID: Entity]) -> [EntityUID: Set<EntityUID>] {
        var result: [EntityUID: Set<EntityUID>] = [:]
        result.reserveCapacity(map.count)
        // Iterative depth-first walk per entity with memoisation of finished nodes.
        // Entities on a cycle share their ancestors; a node's own uid is removed unless
        // it is genuinely its own ancestor through a cycle (Cedar keeps `e in e` true anyway).
        for uid in map.keys where result[uid] == nil {
            var seen: Set<EntityUID> = []
            var stack: [EntityUID] = Array(map[uid]?.parents ?? [])
            while let next = stack.popLast() {
                guard seen.insert(next).inserted else { continue }
                if let done = result[next] {
                    seen.formUnion(done)
                    continue
                }
                if let parents = map[next]?.parents {
                    stack.append(contentsOf: parents)
                }
            }
            result[uid] = seen
        }
        return result
    }
}
