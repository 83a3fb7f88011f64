/// Reads Cedar's JSON schema format into a `SchemaFragment`, strictly, as Rust
/// Cedar's `json_schema.rs` does: unknown keys are errors, `entityTypes` and `actions`
/// are required, names must be well formed, and `enum` excludes the other keys of an
/// entity type. Errors carry the JSON path of the offending value.
enum SchemaJSONDecoder {
    typealias Fragment = SchemaFragment

    static func fragment(fromText text: String) throws(SchemaError) -> Fragment {
        guard text.utf8.count <= Fragment.maxInputBytes else {
            throw SchemaError(
                .inputTooLarge,
                unplaced:
                    "the schema is \(text.utf8.count) bytes long, more than the limit of \(Fragment.maxInputBytes)")
        }
        do {
            return try fragment(from: JSON.parse(text))
        } catch {
            throw SchemaError(error)
        }
    }

    static func fragment(from json: JSON) throws(JSONError) -> Fragment {
        let namespaces = try json.decodeMembers(expected: "an object of namespaces") {
            (key, value) throws(JSONError) in try namespace(named: key, value)
        }
        return Fragment(namespaces: namespaces)
    }

    // MARK: - Declarations

    private static func namespace(named key: String, _ json: JSON) throws(JSONError) -> Fragment.Namespace {
        try members(of: json, fields: ["commonTypes", "entityTypes", "actions", "annotations"], "a namespace object") {
            (object) throws(JSONError) in try namespace(named: key, object)
        }
    }

    private static func namespace(named key: String, _ object: JSONObject) throws(JSONError) -> Fragment.Namespace {
        var namespace = Fragment.Namespace(name: key.isEmpty ? nil : key)
        if !key.isEmpty, let problem = SchemaNames.nameProblem(key, allowingCedar: false) {
            throw JSONError(.invalidValue, "invalid namespace name `\(key.truncatedForMessage)`: \(problem)")
        }
        namespace.commonTypes =
            try object.decodeIfPresent("commonTypes") { (json) throws(JSONError) in
                try json.decodeMembers(expected: "an object of common types", commonType)
            } ?? []
        namespace.entityTypes = try object.decode("entityTypes") { (json) throws(JSONError) in
            try json.decodeMembers(expected: "an object of entity types", entityType)
        }
        namespace.actions = try object.decode("actions") { (json) throws(JSONError) in
            try json.decodeMembers(expected: "an object of actions", action)
        }
        namespace.annotations = try annotations(in: object)
        if key.isEmpty && !namespace.annotations.isEmpty {
            throw JSONError(
                .invalidValue, "annotations are not allowed on the empty namespace", path: [.key("annotations")])
        }
        namespace.commonTypes.sort { $0.name.scalarsLess($1.name) }
        namespace.entityTypes.sort { $0.name.scalarsLess($1.name) }
        namespace.actions.sort { $0.name.scalarsLess($1.name) }
        return namespace
    }

    private static func commonType(named name: String, _ json: JSON) throws(JSONError) -> Fragment.CommonType {
        if let problem = SchemaNames.identifierProblem(name) {
            throw JSONError(.invalidValue, "invalid common type name `\(name.truncatedForMessage)`: \(problem)")
        }
        guard !SchemaNames.reservedCommonTypeNames.contains(name) else {
            throw JSONError(.invalidValue, "`\(name)` is a schema type keyword and cannot name a common type")
        }
        let object = try json.asObject("a type object")
        return Fragment.CommonType(
            name: name, type: try type(json, extraKeys: ["annotations"]), annotations: try annotations(in: object))
    }

    private static func entityType(named name: String, _ json: JSON) throws(JSONError) -> Fragment.EntityType {
        if let problem = SchemaNames.identifierProblem(name) {
            throw JSONError(.invalidValue, "invalid entity type name `\(name.truncatedForMessage)`: \(problem)")
        }
        return try members(
            of: json, fields: ["memberOfTypes", "shape", "tags", "enum", "annotations"], "an entity type object"
        ) {
            (object) throws(JSONError) in try entityType(named: name, object)
        }
    }

    private static func entityType(named name: String, _ object: JSONObject) throws(JSONError) -> Fragment.EntityType {
        let kind: Fragment.EntityType.Kind
        if let choices = object["enum"] {
            for key in ["memberOfTypes", "shape", "tags"] where object[key] != nil {
                throw JSONError(
                    .invalidValue, "an entity type with `enum` cannot also have `\(key)`", path: [.key(key)])
            }
            let ids = try JSONError.at(.key("enum")) { () throws(JSONError) in
                try choices.decodeElements(expected: "an array of entity ids") { (json) throws(JSONError) in
                    try json.asString("an entity id string")
                }
            }
            guard !ids.isEmpty else {
                throw JSONError(.invalidValue, "`enum` must list at least one entity id", path: [.key("enum")])
            }
            kind = .enumeration(ids)
        } else {
            let parents = try object.decodeIfPresent("memberOfTypes", names) ?? []
            let shape = try object.decodeIfPresent("shape") { (json) throws(JSONError) in try type(json) }
            let tags = try object.decodeIfPresent("tags") { (json) throws(JSONError) in try type(json) }
            kind = .standard(memberOfTypes: parents, shape: shape ?? .emptyRecord, tags: tags)
        }
        return Fragment.EntityType(name: name, kind: kind, annotations: try annotations(in: object))
    }

    private static func action(named name: String, _ json: JSON) throws(JSONError) -> Fragment.Action {
        try members(of: json, fields: ["attributes", "appliesTo", "memberOf", "annotations"], "an action object") {
            (object) throws(JSONError) in try action(named: name, object)
        }
    }

    private static func action(named name: String, _ object: JSONObject) throws(JSONError) -> Fragment.Action {
        var action = Fragment.Action(name: name)
        action.attributes =
            try object.decodeIfPresent("attributes") { (json) throws(JSONError) in
                json == .null ? nil : try json.asObject("an object of attribute values")
            } ?? nil
        action.appliesTo =
            try object.decodeIfPresent("appliesTo") { (json) throws(JSONError) in
                json == .null ? nil : try appliesTo(json)
            } ?? nil
        action.memberOf =
            try object.decodeIfPresent("memberOf") { (json) throws(JSONError) in
                json == .null
                    ? nil
                    : try json.decodeElements(expected: "an array of action references", actionReference)
            } ?? nil
        action.annotations = try annotations(in: object)
        return action
    }

    private static func appliesTo(_ json: JSON) throws(JSONError) -> Fragment.Action.AppliesTo {
        try members(of: json, fields: ["resourceTypes", "principalTypes", "context"], "an `appliesTo` object") {
            (object) throws(JSONError) in try appliesTo(object)
        }
    }

    private static func appliesTo(_ object: JSONObject) throws(JSONError) -> Fragment.Action.AppliesTo {
        let resources = try object.decode("resourceTypes", names)
        let principals = try object.decode("principalTypes", names)
        let context = try object.decodeIfPresent("context") { (json) throws(JSONError) in try type(json) }
        return Fragment.Action.AppliesTo(
            principalTypes: principals, resourceTypes: resources, context: context ?? .emptyRecord)
    }

    private static func actionReference(_ json: JSON) throws(JSONError) -> Fragment.Action.Reference {
        try members(of: json, fields: ["id", "type"], "an action reference object") {
            (object) throws(JSONError) in try actionReference(object)
        }
    }

    private static func actionReference(_ object: JSONObject) throws(JSONError) -> Fragment.Action.Reference {
        let id = try object.decodeString("id")
        let type =
            try object.decodeIfPresent("type") { (json) throws(JSONError) in
                json == .null ? nil : try name(json)
            } ?? nil
        return Fragment.Action.Reference(id: id, type: type)
    }

    /// Decodes `json` as a Rust struct with `fields`. Like serde, which Rust Cedar
    /// reads schemas with, this takes either an object with no other keys, or an array
    /// of the fields' values in order (`[]` is a struct with every field left out);
    /// errors in an array are placed at its indices.
    private static func members<T>(
        of json: JSON, fields: [String], _ expected: String, _ body: (JSONObject) throws(JSONError) -> T
    ) throws(JSONError) -> T {
        guard case .array(let values) = json else {
            let object = try json.asObject(expected)
            try object.rejectUnknownKeys(allowed: fields)
            return try body(object)
        }
        guard values.count <= fields.count else {
            throw JSONError(
                .invalidValue,
                "expected \(expected), or an array of at most \(fields.count) of its values, "
                    + "found an array of \(values.count)")
        }
        do {
            return try body(JSONObject(uniqueMembers: zip(fields, values).map { (key: $0, value: $1) }))
        } catch {
            guard var path = error.pathComponents, case .key(let key)? = path.first,
                let index = fields.firstIndex(of: key)
            else { throw error }
            path[0] = .index(index)
            throw JSONError(error.code, error.message, location: error.location, path: path)
        }
    }

    // MARK: - Types

    /// The keys of a type object; a common type adds `annotations`, an attribute
    /// `annotations` and `required`.
    private static let typeKeys = ["type", "element", "attributes", "additionalAttributes", "name"]

    private static func type(_ json: JSON, extraKeys: [String] = []) throws(JSONError) -> Fragment.TypeExpr {
        let object = try json.asObject("a type object")
        try object.rejectUnknownKeys(allowed: typeKeys + extraKeys)
        let kind = try object.decodeString("type")
        /// Throws if a key of the type object other than `allowed` (and `type`) is present.
        func onlyKeys(_ allowed: [String]) throws(JSONError) {
            for key in typeKeys.dropFirst() where !allowed.contains(key) && object[key] != nil {
                let expected =
                    allowed.isEmpty ? "no other keys" : "only " + allowed.map { "`\($0)`" }.joined(separator: " and ")
                throw JSONError(
                    .unknownKey, "unknown key `\(key)` for type `\(kind.truncatedForMessage)`, which takes \(expected)",
                    path: [.key(key)])
            }
        }
        switch kind {
        case "String", "Long", "Boolean":
            try onlyKeys([])
            return kind == "String" ? .string : kind == "Long" ? .long : .boolean
        case "Set":
            try onlyKeys(["element"])
            return .set(try object.decode("element") { (json) throws(JSONError) in try type(json) })
        case "Record":
            try onlyKeys(["attributes", "additionalAttributes"])
            let attributes = try object.decode("attributes") { (json) throws(JSONError) in
                try json.decodeMembers(expected: "an object of attributes", attribute)
            }
            let additional = try object.decodeIfPresent("additionalAttributes") { (json) throws(JSONError) in
                guard case .bool(let flag) = json else { throw .wrongType(expected: "a boolean", found: json) }
                return flag
            }
            return .record(
                Fragment.Record(
                    attributes: attributes.sorted { $0.name.scalarsLess($1.name) },
                    additionalAttributes: additional ?? false))
        case "Entity", "EntityOrCommon":
            try onlyKeys(["name"])
            let typeName = try object.decode("name", name)
            return kind == "Entity" ? .entity(typeName) : .entityOrCommon(typeName)
        case "Extension":
            try onlyKeys(["name"])
            let name = try object.decodeString("name")
            if let problem = SchemaNames.identifierProblem(name) {
                throw JSONError(
                    .invalidValue, "invalid extension type `\(name.truncatedForMessage)`: \(problem)",
                    path: [.key("name")])
            }
            return .extension(name)
        default:
            try onlyKeys([])
            if let problem = SchemaNames.nameProblem(kind) {
                throw JSONError(
                    .invalidValue, "invalid common type `\(kind.truncatedForMessage)`: \(problem)", path: [.key("type")]
                )
            }
            return .commonType(Fragment.Name(text: kind))
        }
    }

    private static func attribute(named name: String, _ json: JSON) throws(JSONError) -> Fragment.Attribute {
        let object = try json.asObject("an attribute type object")
        let type = try type(json, extraKeys: ["annotations", "required"])
        let isRequired = try object.decodeIfPresent("required") { (json) throws(JSONError) in
            guard case .bool(let flag) = json else { throw .wrongType(expected: "a boolean", found: json) }
            return flag
        }
        return Fragment.Attribute(
            name: name, type: type, isRequired: isRequired ?? true, annotations: try annotations(in: object))
    }

    // MARK: - Names and annotations

    /// A type name: identifiers joined by `::`, which may mention `__cedar`.
    private static func name(_ json: JSON) throws(JSONError) -> Fragment.Name {
        let text = try json.asString("a type name string")
        if let problem = SchemaNames.nameProblem(text) {
            throw JSONError(.invalidValue, "invalid name `\(text.truncatedForMessage)`: \(problem)")
        }
        return Fragment.Name(text: text)
    }

    private static func names(_ json: JSON) throws(JSONError) -> [Fragment.Name] {
        try json.decodeElements(expected: "an array of type names", name)
    }

    /// The `annotations` member of `object`: keys are identifiers, values strings or `null`.
    private static func annotations(in object: JSONObject) throws(JSONError) -> Fragment.Annotations {
        let entries = try object.decodeIfPresent("annotations") { (json) throws(JSONError) in
            try json.decodeMembers(expected: "an object of annotations") {
                (key, value) throws(JSONError) -> Fragment.Annotations.Entry in
                guard SchemaNames.isIdentifier(key) else {
                    throw JSONError(.invalidValue, "invalid annotation key `\(key.truncatedForMessage)`")
                }
                if case .null = value { return Fragment.Annotations.Entry(key: key, value: nil) }
                return Fragment.Annotations.Entry(key: key, value: try value.asString("a string or `null`"))
            }
        }
        return Fragment.Annotations(uniqueEntries: entries ?? [])
    }
}
