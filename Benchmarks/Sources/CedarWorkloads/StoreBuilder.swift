import Cedar

/// Collects generated entities and template links in generation order.
struct StoreBuilder {
    private(set) var entities: [Entity] = []
    private(set) var links: [Workload.Link] = []

    /// Adds an entity.
    mutating func add(_ uid: EntityUID, _ attributes: [(String, Value)] = [], parents: [EntityUID] = []) {
        entities.append(Entity(uid: uid, attributes: Record(attributes), parents: Set(parents)))
    }

    /// Links the template annotated `@id("<template>")` to a principal and a resource.
    mutating func link(_ template: String, principal: EntityUID, resource: EntityUID) {
        links.append(
            Workload.Link(
                template: template, newID: "link\(links.count)",
                values: [.principal: principal, .resource: resource]))
    }
}

extension Value {
    /// A set of entity references.
    static func entities(_ uids: [EntityUID]) -> Value {
        .set(CedarSet(uids.map(Value.entity)))
    }
}

/// `count` uids `<type>::"<prefix><i>"`.
func numberedUIDs(_ type: String, _ prefix: String, _ count: Int) -> [EntityUID] {
    (0..<count).map { EntityUID(type, "\(prefix)\($0)") }
}
