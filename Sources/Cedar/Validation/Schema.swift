/// A Cedar schema with every name resolved: what the validator, schema-based parsing
/// and request validation work from.
///
/// Common types are inlined, names are fully qualified (`NS::Type`), and the action
/// hierarchy is known. Build one from the human (`.cedarschema`) or JSON format with
/// the schema readers; they report every error with its position.
public struct Schema: Sendable, Equatable {
    /// Every declared entity type, by name.
    public var entityTypes: [EntityType: EntityTypeSchema]
    /// Every declared action, by uid (`Action::"view"` or `NS::Action::"view"`).
    public var actions: [EntityUID: ActionSchema]

    public init(entityTypes: [EntityType: EntityTypeSchema] = [:], actions: [EntityUID: ActionSchema] = [:]) {
        self.entityTypes = entityTypes
        self.actions = actions
    }

    /// The action entities the schema defines, with their groups as parents — the
    /// entities Rust Cedar adds to an entity store parsed with a schema.
    public var actionEntities: [Entity] {
        actions.values.map { Entity(uid: $0.uid, parents: Set($0.memberOf)) }
    }
}

/// One entity type in a schema.
public struct EntityTypeSchema: Sendable, Equatable {
    public var name: EntityType
    /// The types an entity of this type may have as parents (`entity User in [Group]`).
    public var memberOfTypes: [EntityType]
    /// The attributes, with whether each is required.
    public var attributes: RecordSchema
    /// The type of every tag value, when the entity type declares `tags`.
    public var tags: SchemaType?
    /// For an enumerated entity type (`entity Color enum ["red", "blue"]`), the only ids allowed.
    public var enumValues: [String]?
    public var annotations: [Annotation]

    public init(
        name: EntityType, memberOfTypes: [EntityType] = [], attributes: RecordSchema = RecordSchema(),
        tags: SchemaType? = nil, enumValues: [String]? = nil, annotations: [Annotation] = []
    ) {
        self.name = name
        self.memberOfTypes = memberOfTypes
        self.attributes = attributes
        self.tags = tags
        self.enumValues = enumValues
        self.annotations = annotations
    }
}

/// One action in a schema.
public struct ActionSchema: Sendable, Equatable {
    public var uid: EntityUID
    /// The action groups this action is directly in.
    public var memberOf: [EntityUID]
    /// The principal types the action applies to; empty when it applies to none.
    public var principalTypes: [EntityType]
    /// The resource types the action applies to; empty when it applies to none.
    public var resourceTypes: [EntityType]
    /// The type of the context for requests with this action.
    public var context: RecordSchema
    /// Whether the action has an `appliesTo` at all (an action without one applies to
    /// no request and can only be used as a group).
    public var hasAppliesTo: Bool
    public var annotations: [Annotation]

    public init(
        uid: EntityUID, memberOf: [EntityUID] = [], principalTypes: [EntityType] = [],
        resourceTypes: [EntityType] = [], context: RecordSchema = RecordSchema(), hasAppliesTo: Bool = true,
        annotations: [Annotation] = []
    ) {
        self.uid = uid
        self.memberOf = memberOf
        self.principalTypes = principalTypes
        self.resourceTypes = resourceTypes
        self.context = context
        self.hasAppliesTo = hasAppliesTo
        self.annotations = annotations
    }
}

/// A type as a schema declares it, with common types inlined.
public indirect enum SchemaType: Sendable, Equatable {
    case bool
    case long
    case string
    case set(SchemaType)
    case record(RecordSchema)
    case entity(EntityType)
    /// An extension type: `decimal`, `ipaddr`, `datetime` or `duration`.
    case `extension`(String)
}

/// The attributes of a record or entity type.
public struct RecordSchema: Sendable, Equatable {
    /// Attributes in declaration order; names are unique.
    public var attributes: [AttributeSchema]
    public init(_ attributes: [AttributeSchema] = []) { self.attributes = attributes }

    /// The attribute called `name`, if declared.
    public subscript(name: String) -> AttributeSchema? {
        attributes.first { $0.name.scalarsEqual(name) }
    }
}

/// One attribute of a record or entity type.
public struct AttributeSchema: Sendable, Equatable {
    public var name: String
    public var type: SchemaType
    /// Whether the attribute must be present (`name?: T` declares an optional one).
    public var isRequired: Bool
    public var annotations: [Annotation]
    public init(name: String, type: SchemaType, isRequired: Bool = true, annotations: [Annotation] = []) {
        self.name = name
        self.type = type
        self.isRequired = isRequired
        self.annotations = annotations
    }
}
