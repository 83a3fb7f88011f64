/// Writes a `SchemaFragment` in Cedar's JSON schema format, with the keys, order and
/// omissions of Rust Cedar's serializer: empty `commonTypes`, `memberOfTypes` and
/// `annotations`, empty record shapes and contexts, and `required: true` are left out.
enum SchemaJSONEncoder {
    typealias Fragment = SchemaFragment

    static func json(of fragment: Fragment) -> JSON {
        var root = JSONObject()
        for namespace in fragment.namespaces { root.append(namespace.name ?? "", json(of: namespace)) }
        return .object(root)
    }

    private static func json(of namespace: Fragment.Namespace) -> JSON {
        var object = JSONObject()
        if !namespace.commonTypes.isEmpty {
            var commonTypes = JSONObject()
            for commonType in namespace.commonTypes {
                var members = typeObject(commonType.type)
                appendAnnotations(commonType.annotations, to: &members)
                commonTypes.append(commonType.name, .object(members))
            }
            object.append("commonTypes", .object(commonTypes))
        }
        var entityTypes = JSONObject()
        for entityType in namespace.entityTypes { entityTypes.append(entityType.name, json(of: entityType)) }
        object.append("entityTypes", .object(entityTypes))
        var actions = JSONObject()
        for action in namespace.actions { actions.append(action.name, json(of: action)) }
        object.append("actions", .object(actions))
        appendAnnotations(namespace.annotations, to: &object)
        return .object(object)
    }

    private static func json(of entityType: Fragment.EntityType) -> JSON {
        var object = JSONObject()
        switch entityType.kind {
        case .enumeration(let choices):
            object.append("enum", .array(choices.map { .string($0) }))
        case .standard(let memberOfTypes, let shape, let tags):
            if !memberOfTypes.isEmpty { object.append("memberOfTypes", names(memberOfTypes)) }
            if !shape.isEmptyRecord { object.append("shape", json(of: shape)) }
            if let tags { object.append("tags", json(of: tags)) }
        }
        appendAnnotations(entityType.annotations, to: &object)
        return .object(object)
    }

    private static func json(of action: Fragment.Action) -> JSON {
        var object = JSONObject()
        if let attributes = action.attributes { object.append("attributes", .object(attributes)) }
        if let appliesTo = action.appliesTo {
            var spec = JSONObject()
            spec.append("resourceTypes", names(appliesTo.resourceTypes))
            spec.append("principalTypes", names(appliesTo.principalTypes))
            if !appliesTo.context.isEmptyRecord { spec.append("context", json(of: appliesTo.context)) }
            object.append("appliesTo", .object(spec))
        }
        if let memberOf = action.memberOf {
            object.append(
                "memberOf",
                .array(
                    memberOf.map { reference in
                        var uid = JSONObject()
                        uid.append("id", .string(reference.id))
                        if let type = reference.type { uid.append("type", .string(type.text)) }
                        return .object(uid)
                    }))
        }
        appendAnnotations(action.annotations, to: &object)
        return .object(object)
    }

    private static func json(of type: Fragment.TypeExpr) -> JSON {
        .object(typeObject(type))
    }

    /// The members of a type's object, to which attributes and common types add theirs.
    private static func typeObject(_ type: Fragment.TypeExpr) -> JSONObject {
        var object = JSONObject()
        switch type {
        case .boolean: object.append("type", "Boolean")
        case .long: object.append("type", "Long")
        case .string: object.append("type", "String")
        case .set(let element):
            object.append("type", "Set")
            object.append("element", json(of: element))
        case .record(let record):
            object.append("type", "Record")
            var attributes = JSONObject()
            for attribute in record.attributes {
                var members = typeObject(attribute.type)
                appendAnnotations(attribute.annotations, to: &members)
                if !attribute.isRequired { members.append("required", false) }
                attributes.append(attribute.name, .object(members))
            }
            object.append("attributes", .object(attributes))
            if record.additionalAttributes { object.append("additionalAttributes", true) }
        case .entity(let name):
            object.append("type", "Entity")
            object.append("name", .string(name.text))
        case .entityOrCommon(let name):
            object.append("type", "EntityOrCommon")
            object.append("name", .string(name.text))
        case .extension(let name):
            object.append("type", "Extension")
            object.append("name", .string(name))
        case .commonType(let name):
            object.append("type", .string(name.text))
        }
        return object
    }

    private static func names(_ names: [Fragment.Name]) -> JSON {
        .array(names.map { .string($0.text) })
    }

    private static func appendAnnotations(_ annotations: Fragment.Annotations, to object: inout JSONObject) {
        guard !annotations.isEmpty else { return }
        var members = JSONObject()
        for entry in annotations.entries { members.append(entry.key, entry.value.map(JSON.string) ?? .null) }
        object.append("annotations", .object(members))
    }
}
