import Cedar
import Foundation

/// Reads one inventory item from JSON, checking every field; errors name the item
/// (`items[3] (Writ::Tool::"mail___send_email")`) and the field.
struct InventoryReader {
    let limits: InventoryDocument.Limits
    private let input = TaskInput(configuration: TaskService.Configuration())

    init(limits: InventoryDocument.Limits) {
        self.limits = limits
    }

    /// The item at `place`. With `keepState`, the members Writ sets are read too (a
    /// stored item); without, they are ignored (a document read back from Writ).
    func item(_ json: JSON, at place: String, keepState: Bool) throws(WritError) -> InventoryItem {
        guard case .object(let object) = json else {
            throw WritError(.wrongType, "\(place) must be an object, not \(json.kindDescription)")
        }
        guard let uidJSON = object["uid"] else { throw WritError(.missingField, "\(place) has no `uid`") }
        let uid = try self.uid(uidJSON, "\(place).uid")
        guard let kind = InventoryItem.Kind(entityType: uid.type.name) else {
            let hint = uid.type.name == "Writ::Document" ? "; register its `Writ::Dataset` instead" : ""
            let kinds = InventoryItem.Kind.allCases.map(\.entityType).joined(separator: ", ")
            throw WritError(.invalidRequest, "\(place).uid: \(uid) is not of a type the inventory registers (\(kinds))\(hint)")
        }
        let at = "\(place) (\(uid))"
        for key in object.keys where !InventoryItem.documentMembers.contains(key) && !InventoryItem.stateMembers.contains(key) {
            throw WritError(.invalidRequest, "\(at) has an unknown member `\(key)`")
        }
        try input.identifier(uid.id, "\(at).uid")
        guard let ownerJSON = object["owner"] else {
            throw WritError(.missingField, "\(at) has no `owner`: every item names the `Writ::User` who owns it")
        }
        let owner = try self.uid(ownerJSON, "\(at).owner")
        guard owner.type == BaseSchema.userType else {
            throw WritError(.invalidRequest, "\(at).owner is \(owner); an owner is a `Writ::User`")
        }
        try input.identifier(owner.id, "\(at).owner")
        let description = try optionalString(object["description"], "\(at).description")
        if let description { try input.text(description, "\(at).description", max: limits.maxDescriptionBytes) }
        let labels = try labelSet(object["labels"], "\(at).labels") ?? []
        let parents = try parentList(object["parents"], "\(at).parents")
        let outputLabels = try labelSet(object["outputLabels"], "\(at).outputLabels")
        var definition: ToolDefinition?
        if let definitionJSON = object["definition"] { definition = try self.definition(definitionJSON, "\(at).definition") }
        let hash = try optionalString(object["hash"], "\(at).hash")
        if let hash, !ToolDefinition.isHash(hash) {
            throw WritError(.invalidRequest, "\(at).hash is `\(hash)`; a hash is `sha256:` and 64 lowercase hex digits")
        }
        if kind == .tool {
            guard definition != nil || hash != nil else {
                throw WritError(.missingField, "\(at) is a tool with neither `definition` nor `hash`: the inventory pins a tool's definition")
            }
            if let definition, let hash, !hash.scalarsEqual(definition.hash) {
                throw WritError(.invalidRequest, "\(at).hash is \(hash), but its `definition` hashes to \(definition.hash)")
            }
        } else {
            for (member, present) in [("definition", definition != nil), ("hash", hash != nil), ("outputLabels", outputLabels != nil)] where present {
                throw WritError(.invalidRequest, "\(at).\(member): only tools have a `\(member)`")
            }
        }
        var attributes = JSONObject()
        if let attributesJSON = object["attributes"] {
            guard case .object(let given) = attributesJSON else {
                throw WritError(.wrongType, "\(at).attributes must be an object of Cedar attribute values, not \(attributesJSON.kindDescription)")
            }
            for key in given.keys where InventoryProjection.derivedAttributes.contains(key) {
                throw WritError(.invalidRequest, "\(at).attributes.\(key): `\(key)` comes from the item's own fields")
            }
            attributes = given
        }
        let state = keepState ? try self.state(object, at) : .active
        return InventoryItem(
            uid: uid, owner: owner.id, description: description, labels: labels, parents: parents, outputLabels: outputLabels,
            definition: definition, pinnedHash: hash ?? definition?.hash, state: state, attributes: attributes)
    }

    /// A uid written in Cedar syntax, `Writ::User::"ops"`.
    func uid(_ json: JSON, _ field: String) throws(WritError) -> EntityUID {
        guard case .string(let text) = json else {
            throw WritError(.wrongType, "\(field) must be an entity uid such as `Writ::User::\"ops\"`, not \(json.kindDescription)")
        }
        do {
            return try PolicyParser.parseEntityUID(text)
        } catch {
            throw WritError(.invalidRequest, "\(field) `\(text)` is not an entity uid such as `Writ::User::\"ops\"`: \(error)")
        }
    }

    private func optionalString(_ json: JSON?, _ field: String) throws(WritError) -> String? {
        guard let json else { return nil }
        guard case .string(let text) = json else {
            throw WritError(.wrongType, "\(field) must be a string, not \(json.kindDescription)")
        }
        return text
    }

    private func labelSet(_ json: JSON?, _ field: String) throws(WritError) -> Set<String>? {
        guard let json else { return nil }
        guard case .array(let elements) = json else {
            throw WritError(.wrongType, "\(field) must be a list of labels, not \(json.kindDescription)")
        }
        var labels: Set<String> = []
        for (index, element) in elements.enumerated() {
            guard case .string(let label) = element else {
                throw WritError(.wrongType, "\(field)[\(index)] must be a string, not \(element.kindDescription)")
            }
            labels.insert(label)
        }
        try input.labels(labels, field)
        return labels
    }

    private func parentList(_ json: JSON?, _ field: String) throws(WritError) -> [EntityUID] {
        guard let json else { return [] }
        guard case .array(let elements) = json else {
            throw WritError(.wrongType, "\(field) must be a list of entity uids, not \(json.kindDescription)")
        }
        guard elements.count <= limits.maxParents else {
            throw WritError(.tooLarge, "\(field) has \(elements.count) parents; at most \(limits.maxParents) are accepted")
        }
        var parents: [EntityUID] = []
        for (index, element) in elements.enumerated() {
            let parent = try uid(element, "\(field)[\(index)]")
            if !parents.contains(parent) { parents.append(parent) }
        }
        return parents
    }

    private func definition(_ json: JSON, _ field: String) throws(WritError) -> ToolDefinition {
        guard case .object(let object) = json else {
            throw WritError(.wrongType, "\(field) must be an object with `name`, `description` and `inputSchema`, not \(json.kindDescription)")
        }
        for key in object.keys where !["name", "description", "inputSchema", "hash"].contains(key) {
            throw WritError(.invalidRequest, "\(field) has an unknown member `\(key)`")
        }
        guard let name = try optionalString(object["name"], "\(field).name") else {
            throw WritError(.missingField, "\(field) has no `name`")
        }
        try input.identifier(name, "\(field).name")
        let description = try optionalString(object["description"], "\(field).description")
        if let description { try input.text(description, "\(field).description", max: ToolDefinition.maxSchemaBytes) }
        guard let schema = object["inputSchema"] else {
            throw WritError(.missingField, "\(field) has no `inputSchema`")
        }
        return try ToolDefinition(name: name, description: description, schema: schema, field: "\(field).inputSchema")
    }

    private func state(_ object: JSONObject, _ at: String) throws(WritError) -> InventoryItem.State {
        guard case .string(let state)? = object["state"], state == "quarantined" else { return .active }
        guard let pendingJSON = object["pending"], case .number(let since)? = object["since"], let seconds = since.int64 else {
            throw WritError(.invalidRequest, "\(at) is quarantined without `pending` and `since`")
        }
        return .quarantined(
            pending: try definition(pendingJSON, "\(at).pending"), since: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
