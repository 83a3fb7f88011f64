/// Cedar's JSON formats for entities, values, contexts and requests, read and written
/// as Rust Cedar does without a schema.
///
/// An entities file is an array of entities:
///
/// ```json
/// [{"uid": {"type": "User", "id": "alice"},
///   "attrs": {"age": 42, "manager": {"__entity": {"type": "User", "id": "bob"}}},
///   "parents": [{"type": "Group", "id": "admins"}],
///   "tags": {"clearance": "high"}}]
/// ```
///
/// `uid`, `attrs` and `parents` are required and `tags` is optional, as in Rust Cedar;
/// other members are ignored. Values follow `ValueJSON`. Reading rejects two different
/// entities with one uid (identical repeats are allowed), a cycle in the hierarchy, and
/// an action with a non-action parent.
public enum EntityJSON {
    // MARK: - Reading text

    /// Reads an entities file.
    public static func parseEntities(_ text: String, limits: JSONLimits = .default) throws(JSONError) -> Entities {
        try decodeEntities(JSON.parse(text, limits: limits))
    }

    /// Reads an entities file from UTF-8 bytes.
    public static func parseEntities(_ bytes: [UInt8], limits: JSONLimits = .default) throws(JSONError) -> Entities {
        try decodeEntities(JSON.parse(bytes, limits: limits))
    }

    /// Reads one Cedar value, such as `{"__extn": {"fn": "ip", "arg": "10.0.0.1"}}`.
    public static func parseValue(_ text: String, limits: JSONLimits = .default) throws(JSONError) -> Value {
        try ValueJSON.decode(JSON.parse(text, limits: limits), extensions: .standard)
    }

    /// Reads a request context: an object whose members are Cedar values.
    public static func parseContext(_ text: String, limits: JSONLimits = .default) throws(JSONError) -> Record {
        try decodeContext(JSON.parse(text, limits: limits))
    }

    /// Reads a request as the conformance tests write it:
    /// `{"principal": {"type": ..., "id": ...}, "action": ..., "resource": ..., "context": {...}}`.
    /// `context` may be omitted (empty); other members are ignored.
    public static func parseRequest(_ text: String, limits: JSONLimits = .default) throws(JSONError) -> Request {
        try decodeRequest(JSON.parse(text, limits: limits))
    }

    // MARK: - Writing text

    /// Writes entities as an entities file, sorted by uid; each entity lists its direct
    /// parents sorted, and `tags` only when it has some.
    public static func encode(_ entities: Entities, pretty: Bool = false) throws(JSONError) -> String {
        try encodeEntities(entities).encoded(pretty: pretty)
    }

    /// Writes one Cedar value.
    public static func encode(_ value: Value, pretty: Bool = false) throws(JSONError) -> String {
        try ValueJSON.encode(value, extensions: .standard).encoded(pretty: pretty)
    }

    /// Writes a request in the form `parseRequest` reads.
    public static func encode(_ request: Request, pretty: Bool = false) throws(JSONError) -> String {
        try encodeRequest(request).encoded(pretty: pretty)
    }

    // MARK: - Documents

    /// Reads entities from a parsed document, reading values without a schema.
    package static func decodeEntities(
        _ json: JSON, extensions: ExtensionBridge = .standard
    ) throws(JSONError) -> Entities {
        try decodeEntities(json, values: .schemaless(extensions: extensions))
    }

    /// Reads entities from a parsed document, reading attribute and tag values with `values`.
    package static func decodeEntities(_ json: JSON, values: CedarValueReader) throws(JSONError) -> Entities {
        let list = try json.decodeElements(expected: "an array of entities") { (element) throws(JSONError) in
            try decodeEntity(element, values: values)
        }
        // For each uid, where its entity sits in `unique` and in the document.
        var seen: [EntityUID: (unique: Int, document: Int)] = [:]
        seen.reserveCapacity(list.count)
        var unique: [Entity] = []
        unique.reserveCapacity(list.count)
        for (i, entity) in list.enumerated() {
            if let earlier = seen[entity.uid] {
                guard unique[earlier.unique] == entity else {
                    throw JSONError(
                        .duplicateEntity,
                        "duplicate entity entry `\(entity.uid)`, different from the one at $[\(earlier.document)]",
                        path: [.index(i)])
                }
                continue
            }
            seen[entity.uid] = (unique.count, i)
            unique.append(entity)
        }
        let entities = Entities(unique)
        if let looped = unique.lazy.map(\.uid).filter({ entities.ancestors(of: $0).contains($0) }).min() {
            throw JSONError(
                .hierarchyCycle, "the entity hierarchy has a cycle containing `\(looped)`",
                path: [.index(seen[looped]?.document ?? 0)])
        }
        return entities
    }

    /// Reads one entity object.
    package static func decodeEntity(_ json: JSON, values: CedarValueReader) throws(JSONError) -> Entity {
        let object = try json.asObject("an entity object")
        let uid = try object.decode("uid", ValueJSON.decodeEntityReference)
        let attributes = try object.decode("attrs") { (json) throws(JSONError) in
            Record(
                try json.decodeMembers { (key, value) throws(JSONError) in
                    (key, try values.read(value, .attribute(of: uid, named: key)))
                })
        }
        let parents = try object.decode("parents") { (json) throws(JSONError) in
            try json.decodeElements { (parent) throws(JSONError) in
                let parentUID = try ValueJSON.decodeEntityReference(parent)
                if uid.type.isAction && !parentUID.type.isAction {
                    throw JSONError(.nonActionParent, "action `\(uid)` has a non-action parent `\(parentUID)`")
                }
                return parentUID
            }
        }
        let tags = try object.decodeIfPresent("tags") { (json) throws(JSONError) in
            Record(
                try json.decodeMembers { (key, value) throws(JSONError) in
                    (key, try values.read(value, .tag(of: uid, named: key)))
                })
        }
        return Entity(uid: uid, attributes: attributes, parents: Set(parents), tags: tags ?? Record())
    }

    /// Reads a context: a Cedar value that must be a record.
    package static func decodeContext(_ json: JSON, extensions: ExtensionBridge = .standard) throws(JSONError) -> Record
    {
        try decodeContext(json, values: .schemaless(extensions: extensions))
    }

    /// Reads a context with `values`.
    package static func decodeContext(_ json: JSON, values: CedarValueReader) throws(JSONError) -> Record {
        let value = try values.read(json, .context)
        guard case .record(let record) = value else {
            throw JSONError(.wrongType, "expected the context to be a record, found a value of type \(value.typeName)")
        }
        return record
    }

    /// Reads a request object; see `parseRequest`.
    package static func decodeRequest(
        _ json: JSON, extensions: ExtensionBridge = .standard
    ) throws(JSONError) -> Request {
        let object = try json.asObject("a request object")
        let context = try object.decodeIfPresent("context") { (value) throws(JSONError) in
            try decodeContext(value, extensions: extensions)
        }
        return Request(
            principal: try object.decode("principal", ValueJSON.decodeEntityReference),
            action: try object.decode("action", ValueJSON.decodeEntityReference),
            resource: try object.decode("resource", ValueJSON.decodeEntityReference),
            context: context ?? Record())
    }

    /// Writes entities; see `encode(_:pretty:)`.
    package static func encodeEntities(
        _ entities: Entities, extensions: ExtensionBridge = .standard
    ) throws(JSONError) -> JSON {
        let sorted = entities.all.sorted { $0.uid < $1.uid }
        var list: [JSON] = []
        list.reserveCapacity(sorted.count)
        for (i, entity) in sorted.enumerated() {
            list.append(
                try JSONError.at(.index(i)) { () throws(JSONError) in
                    try encodeEntity(entity, extensions: extensions)
                })
        }
        return .array(list)
    }

    /// Writes one entity: `uid`, `attrs`, `parents`, and `tags` when it has any.
    package static func encodeEntity(
        _ entity: Entity, extensions: ExtensionBridge = .standard
    ) throws(JSONError) -> JSON {
        var object: JSONObject = [
            "uid": ValueJSON.entityReference(entity.uid),
            "attrs": try JSONError.at(.key("attrs")) { () throws(JSONError) in
                try ValueJSON.encode(.record(entity.attributes), extensions: extensions)
            },
            "parents": .array(entity.parents.sorted().map(ValueJSON.entityReference)),
        ]
        if !entity.tags.isEmpty {
            object.append(
                "tags",
                try JSONError.at(.key("tags")) { () throws(JSONError) in
                    try ValueJSON.encode(.record(entity.tags), extensions: extensions)
                })
        }
        return .object(object)
    }

    /// Writes a request; see `parseRequest`.
    package static func encodeRequest(
        _ request: Request, extensions: ExtensionBridge = .standard
    ) throws(JSONError) -> JSON {
        [
            "principal": ValueJSON.entityReference(request.principal),
            "action": ValueJSON.entityReference(request.action),
            "resource": ValueJSON.entityReference(request.resource),
            "context": try JSONError.at(.key("context")) { () throws(JSONError) in
                try ValueJSON.encode(.record(request.context), extensions: extensions)
            },
        ]
    }
}
