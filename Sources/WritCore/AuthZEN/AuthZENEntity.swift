import Cedar

/// A subject or resource as an AuthZEN request gives it: `type`, `id` and
/// `properties` (and, with `extraMembersAsProperties`, the other members as
/// properties too).
struct AuthZENEntity: Sendable {
    let type: String
    /// Nil for the entity a search looks for, whose id is ignored.
    let id: String?
    let properties: [AuthZENProperty]
    let path: AuthZENPath

    /// The members that are not properties even when extra members are.
    private static let ownMembers = ["type", "id", "properties"]

    /// Reads a subject or resource that names one entity: `type` and `id` required.
    static func read(_ json: JSON, at path: AuthZENPath, mapping: AuthZENMapping) throws(WritError) -> AuthZENEntity {
        let object = try AuthZENObject(json, at: path)
        let type = try object.string("type")
        try AuthZENIdentifier.check(type, at: path.appending("type"))
        let id = try object.string("id")
        try AuthZENIdentifier.check(id, at: path.appending("id"))
        var properties: [AuthZENProperty] = []
        if let given = try object.optionalObject("properties") {
            for member in given.members {
                properties.append(AuthZENProperty(key: member.key, value: member.value, parent: given.path))
            }
        }
        if mapping.extraMembersAsProperties {
            for member in object.members
            where !ownMembers.contains(where: { $0.scalarsEqual(member.key) })
                && !properties.contains(where: { $0.key.scalarsEqual(member.key) })
            {
                properties.append(AuthZENProperty(key: member.key, value: member.value, parent: path))
            }
        }
        return AuthZENEntity(type: type, id: id, properties: properties, path: path)
    }

    /// Reads the subject or resource a search looks for: only its `type` counts; its
    /// `id` and properties are ignored, as the specification requires.
    static func readSearched(_ json: JSON, at path: AuthZENPath) throws(WritError) -> AuthZENEntity {
        let object = try AuthZENObject(json, at: path)
        let type = try object.string("type")
        try AuthZENIdentifier.check(type, at: path.appending("type"))
        return AuthZENEntity(type: type, id: nil, properties: [], path: path)
    }
}

/// An action as an AuthZEN request gives it. Its `properties` have no Cedar
/// counterpart (actions are schema entities) and are ignored.
struct AuthZENAction: Sendable {
    let name: String
    let path: AuthZENPath

    static func read(_ json: JSON, at path: AuthZENPath) throws(WritError) -> AuthZENAction {
        let object = try AuthZENObject(json, at: path)
        let name = try object.string("name")
        try AuthZENIdentifier.check(name, at: path.appending("name"))
        return AuthZENAction(name: name, path: path)
    }
}

/// One access evaluation as read from a request: the subject, action and resource it
/// names and its context (from the item itself or the top-level defaults).
struct AuthZENEvaluationInput: Sendable {
    let subject: AuthZENEntity
    let action: AuthZENAction
    let resource: AuthZENEntity
    let context: AuthZENObject?

    /// Reads an evaluation request body (`subject`, `action`, `resource`, `context`).
    static func read(_ object: AuthZENObject, mapping: AuthZENMapping) throws(WritError) -> AuthZENEvaluationInput {
        let subject = try object.value("subject")
        let action = try object.value("action")
        let resource = try object.value("resource")
        return AuthZENEvaluationInput(
            subject: try AuthZENEntity.read(subject, at: object.path.appending("subject"), mapping: mapping),
            action: try AuthZENAction.read(action, at: object.path.appending("action")),
            resource: try AuthZENEntity.read(resource, at: object.path.appending("resource"), mapping: mapping),
            context: try object.optionalObject("context"))
    }
}
