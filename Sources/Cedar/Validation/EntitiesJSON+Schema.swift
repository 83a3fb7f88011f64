/// Cedar's JSON formats for entities, contexts and requests read with a schema, as
/// Rust Cedar reads them when given one.
///
/// Values are read by the type the schema gives their position (see
/// `SchemaValueReader`): `{"type": "User", "id": "alice"}` where an entity is expected,
/// `"10.0.0.1"` where an `ipaddr` is. Entities are then checked against the schema (see
/// `EntityConformance`), and the schema's actions, with their groups, are added — an
/// action the data also lists must match its declaration.
///
/// A context is read by the context type of the request's action, which must be
/// declared; reading checks its shape (every required attribute, no undeclared one),
/// while `Schema.validate(_:)` checks the types of its values, as in Rust Cedar.
extension EntityJSON {
    /// Reads an entities file with a schema.
    public static func parseEntities(
        _ text: String, schema: Schema, limits: JSONLimits = .default
    ) throws(JSONError) -> Entities {
        try decodeEntities(JSON.parse(text, limits: limits), schema: schema)
    }

    /// Reads an entities file from UTF-8 bytes with a schema.
    public static func parseEntities(
        _ bytes: [UInt8], schema: Schema, limits: JSONLimits = .default
    ) throws(JSONError) -> Entities {
        try decodeEntities(JSON.parse(bytes, limits: limits), schema: schema)
    }

    /// Reads the context of a request for `action` by the context type the schema
    /// declares for it; an action the schema does not declare is an `undeclared_action`
    /// error.
    public static func parseContext(
        _ text: String, schema: Schema, action: EntityUID, limits: JSONLimits = .default
    ) throws(JSONError) -> Record {
        try decodeContext(JSON.parse(text, limits: limits), schema: schema, action: action)
    }

    /// Reads a request as `parseRequest(_:limits:)` does, its context by the schema's
    /// context type for its action; a missing `context` is read as `{}`. Validate the
    /// request with `Schema.validate(_:)`.
    public static func parseRequest(
        _ text: String, schema: Schema, limits: JSONLimits = .default
    ) throws(JSONError) -> Request {
        try decodeRequest(JSON.parse(text, limits: limits), schema: schema)
    }

    // MARK: - Documents

    /// Reads and checks entities from a parsed document; see `parseEntities(_:schema:limits:)`.
    package static func decodeEntities(
        _ json: JSON, schema: Schema, extensions: ExtensionBridge = .standard
    ) throws(JSONError) -> Entities {
        let order = try documentOrder(json, schema: schema)
        let reader = SchemaValueReader(extensions: extensions)
        let values = CedarValueReader { json, position throws(JSONError) in
            try read(json, at: position, schema: schema, reader: reader)
        }
        let entities = try decodeEntities(json, values: values)
        let conformance = EntityConformance(schema: schema)
        for (uid, index) in order where !uid.type.isAction {
            guard let entity = entities[uid] else { continue }
            try JSONError.at(.index(index)) { () throws(JSONError) in try conformance.checkEntity(entity) }
        }
        for (uid, index) in order where uid.type.isAction {
            guard let entity = entities[uid] else { continue }
            try JSONError.at(.index(index)) { () throws(JSONError) in
                try conformance.checkAction(entity, ancestors: entities.ancestors(of: uid))
            }
        }
        return entities.adding(schema.actionEntities)
    }

    /// Reads a context for `action` from a parsed document; see `parseContext(_:schema:action:limits:)`.
    package static func decodeContext(
        _ json: JSON, schema: Schema, action: EntityUID, extensions: ExtensionBridge = .standard
    ) throws(JSONError) -> Record {
        guard let declaration = schema.actions[action] else {
            throw JSONError(.undeclaredAction, "action `\(action)` does not exist in the supplied schema")
        }
        let reader = SchemaValueReader(extensions: extensions)
        let contextType = SchemaType.record(declaration.context)
        return try decodeContext(
            json,
            values: CedarValueReader { json, _ throws(JSONError) in try reader.read(json, as: contextType) })
    }

    /// Reads a request object with a schema; see `parseRequest(_:schema:limits:)`.
    package static func decodeRequest(
        _ json: JSON, schema: Schema, extensions: ExtensionBridge = .standard
    ) throws(JSONError) -> Request {
        let object = try json.asObject("a request object")
        let principal = try object.decode("principal", ValueJSON.decodeEntityReference)
        let action = try object.decode("action", ValueJSON.decodeEntityReference)
        let resource = try object.decode("resource", ValueJSON.decodeEntityReference)
        let context = try JSONError.at(.key("context")) { () throws(JSONError) in
            try decodeContext(
                object["context"] ?? .object(JSONObject()), schema: schema, action: action, extensions: extensions)
        }
        return Request(principal: principal, action: action, resource: resource, context: context)
    }

    // MARK: - Reading values

    /// Reads the value of an attribute or tag by the type the schema declares for it.
    /// Rust Cedar reads actions' attributes without a schema (the action check rejects
    /// them later) and rejects attributes and tags the entity's type does not declare.
    private static func read(
        _ json: JSON, at position: CedarValueReader.Position, schema: Schema, reader: SchemaValueReader
    ) throws(JSONError) -> Value {
        switch position {
        case .attribute(let uid, let name):
            if uid.type.isAction { return try reader.read(json, as: nil) }
            guard let declaration = schema.entityTypes[uid.type] else {
                throw EntityConformance.undeclaredType(uid).atValue
            }
            guard let attribute = declaration.attributes[name] else {
                throw EntityConformance.unexpectedAttribute(name, of: uid).atValue
            }
            return try reader.read(json, as: attribute.type)
        case .tag(let uid, let name):
            if uid.type.isAction { return try reader.read(json, as: nil) }
            guard let declaration = schema.entityTypes[uid.type] else {
                throw EntityConformance.undeclaredType(uid).atValue
            }
            guard let tagType = declaration.tags else {
                throw EntityConformance.unexpectedTag(name, of: uid).atValue
            }
            return try reader.read(json, as: tagType)
        case .context:
            return try reader.read(json, as: nil)
        }
    }

    /// The uid of each entity in the document, first occurrence only, with its index.
    /// Rejects an entity of an undeclared type before any of its values is read, as
    /// Rust Cedar does; other problems are left to the reader.
    private static func documentOrder(
        _ json: JSON, schema: Schema
    ) throws(JSONError) -> [(uid: EntityUID, index: Int)] {
        guard case .array(let elements) = json else { return [] }
        var order: [(uid: EntityUID, index: Int)] = []
        order.reserveCapacity(elements.count)
        var seen: Set<EntityUID> = []
        for (index, element) in elements.enumerated() {
            guard case .object(let object) = element, let uidJSON = object["uid"],
                let uid = try? ValueJSON.decodeEntityReference(uidJSON)
            else { continue }
            if !uid.type.isAction && schema.entityTypes[uid.type] == nil {
                throw EntityConformance.undeclaredType(uid).inside(.index(index))
            }
            if seen.insert(uid).inserted { order.append((uid, index)) }
        }
        return order
    }
}

extension JSONError {
    /// This error with its path emptied: for an error about the value being read,
    /// which the caller locates.
    fileprivate var atValue: JSONError {
        JSONError(code, message, location: location)
    }
}

extension JSONError.Code {
    // Reading with a schema.
    /// An entity's type is not declared in the schema.
    public static let undeclaredEntityType = Self(rawValue: "undeclared_entity_type")
    /// An action is not declared in the schema.
    public static let undeclaredAction = Self(rawValue: "undeclared_action")
    /// A record or entity has an attribute its type does not declare.
    public static let unexpectedAttribute = Self(rawValue: "unexpected_attribute")
    /// A record or entity lacks an attribute its type requires.
    public static let missingAttribute = Self(rawValue: "missing_attribute")
    /// A value does not have the type the schema declares for it.
    public static let typeMismatch = Self(rawValue: "type_mismatch")
    /// An entity has a tag though its type declares none.
    public static let unexpectedTag = Self(rawValue: "unexpected_tag")
    /// An entity has a parent of a type its type may not be in.
    public static let invalidParentType = Self(rawValue: "invalid_parent_type")
    /// An entity of an enumerated type has an id the type does not list.
    public static let invalidEnumEntity = Self(rawValue: "invalid_enum_entity")
    /// An action listed in the entities differs from its declaration in the schema.
    public static let actionMismatch = Self(rawValue: "action_mismatch")
}
