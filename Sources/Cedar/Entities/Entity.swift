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
///
/// A request often brings a few entities of its own (the resource it names, with the
/// attributes the caller passed) on top of a large stored set. `layering(_:)` adds
/// them without copying the stored set or recomputing its closure whenever that is
/// exact, so the cost of a request does not grow with the store.
public struct Entities: Sendable {
    private var entities: [EntityUID: Entity]
    /// For each entity, every entity it is transitively `in` (not including itself).
    private var ancestorsByUID: [EntityUID: Set<EntityUID>]
    /// Parents that some entity names but that are not in the set: adding one of them
    /// later can change the closure of entities already here.
    private var danglingParents: Set<EntityUID>
    /// Entities layered over `entities` by `layering(_:)`, with their own closures.
    private var layer: [EntityUID: Entity] = [:]
    private var layerAncestors: [EntityUID: Set<EntityUID>] = [:]

    /// An empty entity set.
    public init() {
        entities = [:]
        ancestorsByUID = [:]
        danglingParents = []
    }

    /// Builds an entity set. When a uid repeats, the last entity wins; parsers that
    /// must reject duplicates check before calling this. Parents need not exist.
    /// Cycles in the hierarchy are allowed and terminate.
    public init<S: Sequence>(_ list: S) where S.Element == Entity {
        var map: [EntityUID: Entity] = [:]
        for e in list { map[e.uid] = e }
        self.init(map: map)
    }

    private init(map: [EntityUID: Entity]) {
        self.entities = map
        self.ancestorsByUID = Self.closure(of: map)
        var dangling: Set<EntityUID> = []
        for entity in map.values {
            for parent in entity.parents where map[parent] == nil { dangling.insert(parent) }
        }
        self.danglingParents = dangling
    }

    /// The entity with this uid, if present.
    public subscript(uid: EntityUID) -> Entity? {
        if let index = layerIndex(uid) { return layer.values[index] }
        return entities[uid]
    }

    /// The place of `uid` in `layer`: the few entities one request layers are compared
    /// with `uid` directly, which is cheaper than hashing it (it is mostly not there).
    @inline(__always)
    private func layerIndex(_ uid: EntityUID) -> [EntityUID: Entity].Index? {
        if layer.isEmpty { return nil }
        guard layer.count <= Self.scannedLayer else { return layer.index(forKey: uid) }
        var index = layer.startIndex
        while index != layer.endIndex {
            if layer.keys[index] == uid { return index }
            layer.formIndex(after: &index)
        }
        return nil
    }

    /// Up to this many layered entities are looked through rather than hashed into.
    private static let scannedLayer = 4

    /// The value of attribute `name` of entity `uid`: nil when the entity does not
    /// exist, `.some(nil)` when it exists without that attribute. One look-up, and one
    /// read of the entity (which retains its fields, as any read of a dictionary's
    /// value does; the caller's copy of the attribute is all that is kept).
    public func attribute(_ name: String, of uid: EntityUID) -> Value?? {
        if let index = layerIndex(uid) {
            return .some(layer.values[index].attributes[name])
        }
        guard let index = entities.index(forKey: uid) else { return nil }
        return .some(entities.values[index].attributes[name])
    }

    /// The attributes and the direct parents of entity `uid`, found with one look-up
    /// (for callers that read both); nil when it is not here.
    public func attributesAndParents(of uid: EntityUID) -> (attributes: Record, parents: Set<EntityUID>)? {
        // One read of the entity: each read of `values[index]` copies it whole.
        let entity: Entity
        if let index = layerIndex(uid) {
            entity = layer.values[index]
        } else {
            guard let index = entities.index(forKey: uid) else { return nil }
            entity = entities.values[index]
        }
        return (entity.attributes, entity.parents)
    }

    /// Every entity, in no particular order.
    public var all: [Entity] {
        if layer.isEmpty { return Array(entities.values) }
        return Array(layer.values) + entities.values.filter { layer[$0.uid] == nil }
    }

    public var count: Int {
        layer.isEmpty ? entities.count : entities.count + layer.keys.filter { entities[$0] == nil }.count
    }

    /// Every entity that `uid` is transitively in, not including `uid` itself.
    public func ancestors(of uid: EntityUID) -> Set<EntityUID> {
        if layerIndex(uid) != nil, let own = layerAncestors[uid] { return own }
        return ancestorsByUID[uid] ?? []
    }

    /// Whether `uid` is `ancestor` or transitively in it.
    public func isDescendant(_ uid: EntityUID, of ancestor: EntityUID) -> Bool {
        if uid == ancestor { return true }
        if layerIndex(uid) != nil, let own = layerAncestors.index(forKey: uid) {
            return Self.holds(layerAncestors.values[own], ancestor)
        }
        // Read in place: `ancestorsByUID[uid]` returns a copy of the set.
        guard let index = ancestorsByUID.index(forKey: uid) else { return false }
        return Self.holds(ancestorsByUID.values[index], ancestor)
    }

    /// Whether `ancestors` holds `uid`. Most entities have a handful of ancestors, and
    /// comparing with each (two short strings) costs less than hashing `uid` again.
    @inline(__always)
    private static func holds(_ ancestors: Set<EntityUID>, _ uid: EntityUID) -> Bool {
        guard ancestors.count <= scannedAncestors else { return ancestors.contains(uid) }
        for candidate in ancestors where candidate == uid { return true }
        return false
    }

    /// Up to this many ancestors are compared one by one rather than hashed into.
    private static let scannedAncestors = 4

    /// The direct parents of entity `uid`, nil when it is not here: one look-up and one
    /// read of the entity, not a copy of it kept.
    public func parents(of uid: EntityUID) -> Set<EntityUID>? {
        if let index = layerIndex(uid) { return layer.values[index].parents }
        guard let index = entities.index(forKey: uid) else { return nil }
        return entities.values[index].parents
    }

    /// Returns this set with `more` added, replacing entities with the same uid, and the
    /// closure recomputed.
    public func adding<S: Sequence>(_ more: S) -> Entities where S.Element == Entity {
        var map = entities
        for e in layer.values { map[e.uid] = e }
        for e in more { map[e.uid] = e }
        return Entities(map: map)
    }

    /// Returns this set with `more` added, as `adding(_:)` does, but without copying
    /// this set when the new entities cannot change the hierarchy of the ones already
    /// here: none of them is a parent some entity of this set names without holding
    /// it, and any that replaces an entity of this set keeps its parents (a request
    /// adding attributes to a stored entity). Otherwise it falls back to `adding(_:)`.
    /// Meant for the handful of entities one request brings.
    public func layering(_ more: [Entity]) -> Entities {
        if more.isEmpty { return self }
        var added: [EntityUID: Entity] = layer
        for e in more {
            if let replaced = entities[e.uid], replaced.parents != e.parents { return adding(more) }
            if danglingParents.contains(e.uid) { return adding(more) }
            added[e.uid] = e
        }
        // The new entities' own ancestors: through each other, then through this set's
        // closure (which they cannot change).
        var ancestors: [EntityUID: Set<EntityUID>] = [:]
        for uid in added.keys {
            var seen: Set<EntityUID> = []
            var stack = Array(added[uid]?.parents ?? [])
            while let next = stack.popLast() {
                guard seen.insert(next).inserted else { continue }
                if let parent = added[next] {
                    stack.append(contentsOf: parent.parents)
                } else if let known = ancestorsByUID[next] {
                    seen.formUnion(known)
                }
            }
            ancestors[uid] = seen
        }
        var copy = self
        copy.layer = added
        copy.layerAncestors = ancestors
        return copy
    }

    /// Puts `entity` in place of the entity with its uid that `layering(_:)` layered
    /// here, when it has the same parents (so no closure changes), without copying the
    /// layer when this set holds it alone: for a request's own entities updated between
    /// requests that differ only in them. Returns false, changing nothing, when no
    /// layered entity has that uid or its parents differ.
    public mutating func replaceLayered(_ entity: Entity) -> Bool {
        guard let index = layer.index(forKey: entity.uid), layer.values[index].parents == entity.parents else { return false }
        layer.values[index] = entity
        return true
    }

    /// The uids of every entity of `type`, in uid order.
    public func uids(ofType type: EntityType) -> [EntityUID] {
        all.lazy.map(\.uid).filter { $0.type == type }.sorted()
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
