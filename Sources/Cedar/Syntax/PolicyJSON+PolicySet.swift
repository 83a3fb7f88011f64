/// The policy-set form of the JSON policy format.
extension PolicyJSON {
    private static let policySetKeys = ["templates", "staticPolicies", "templateLinks"]
    private static let linkKeys = ["templateId", "newId", "values"]

    /// Reads a policy set as Rust Cedar builds one: static policies must have no
    /// slots, ids must be unique across static policies, templates and links, and each
    /// link must name a template and give exactly its slots.
    package static func decodePolicySet(_ json: JSON) throws(JSONError) -> Document {
        let object = try json.asObject("a policy set object")
        try object.rejectUnknownKeys(allowed: policySetKeys)
        var ids = Set<ScalarKey>()

        let staticPolicies = try object.decode("staticPolicies") { (json) throws(JSONError) in
            try json.decodeMembers { (id, policyJSON) throws(JSONError) in
                let policy = try decodePolicy(policyJSON, id: id)
                if let slot = policy.slots.min(by: { $0.rawValue < $1.rawValue }) {
                    throw JSONError(.invalidPolicy, "expected a static policy, but `\(id)` has the slot `\(slot)`")
                }
                ids.insert(ScalarKey(string: id))
                return policy
            }
        }
        let templates = try object.decode("templates") { (json) throws(JSONError) in
            try json.decodeMembers { (id, policyJSON) throws(JSONError) in
                let template = try decodePolicy(policyJSON, id: id)
                guard ids.insert(ScalarKey(string: id)).inserted else {
                    throw JSONError(.duplicatePolicyID, "duplicate template or policy id `\(id)`")
                }
                return template
            }
        }
        let templateLinks = try object.decode("templateLinks") { (json) throws(JSONError) in
            try json.decodeElements { (linkJSON) throws(JSONError) in
                let link = try decodeLink(linkJSON)
                try checkLink(link, templates: templates, ids: &ids)
                return link
            }
        }
        return Document(staticPolicies: staticPolicies, templates: templates, templateLinks: templateLinks)
    }

    /// `{"templateId": "t", "newId": "l", "values": {"?principal": uid}}`
    private static func decodeLink(_ json: JSON) throws(JSONError) -> TemplateLink {
        let object = try fields(json, linkKeys)
        let templateID = try object.decodeString("templateId")
        let newID = try object.decodeString("newId")
        let pairs = try object.decode("values") { (json) throws(JSONError) in
            try json.decodeMembers { (key, value) throws(JSONError) in
                guard let slot = SlotID(rawValue: key) else {
                    throw JSONError(.invalidValue, "unknown slot `\(key)`, expected `?principal` or `?resource`")
                }
                return (slot, try ValueJSON.decodeEntityReference(value))
            }
        }
        return TemplateLink(templateID: templateID, newID: newID, values: Dictionary(pairs) { _, last in last })
    }

    /// Checks `link` against the templates and the ids taken so far, then takes its id.
    private static func checkLink(
        _ link: TemplateLink, templates: [Policy], ids: inout Set<ScalarKey>
    ) throws(JSONError) {
        guard let template = templates.first(where: { $0.id.scalarsEqual(link.templateID) }) else {
            throw JSONError(
                .invalidLink, "failed to find a template with id `\(link.templateID)`", path: [.key("templateId")])
        }
        let given = Set(link.values.keys)
        if let missing = template.slots.subtracting(given).min(by: { $0.rawValue < $1.rawValue }) {
            throw JSONError(
                .invalidLink, "failed to link template `\(template.id)`: no value provided for `\(missing)`",
                path: [.key("values")])
        }
        if let extra = given.subtracting(template.slots).min(by: { $0.rawValue < $1.rawValue }) {
            throw JSONError(
                .invalidLink, "failed to link template `\(template.id)`: it has no slot `\(extra)`",
                path: [.key("values"), .key(extra.rawValue)])
        }
        guard ids.insert(ScalarKey(string: link.newID)).inserted else {
            throw JSONError(
                .duplicatePolicyID, "template-linked policy id `\(link.newID)` conflicts with an existing policy id",
                path: [.key("newId")])
        }
    }

    /// Writes a policy set: `templates`, `staticPolicies` and `templateLinks`, in the
    /// order Rust Cedar writes them. Link values use the `__entity` form, as Rust does.
    package static func encodePolicySet(_ document: Document, extensions: ExtensionBridge = .standard) -> JSON {
        func policies(_ list: [Policy]) -> JSON {
            .object(
                JSONObject(uniqueMembers: list.map { (key: $0.id, value: encodePolicy($0, extensions: extensions)) }))
        }
        let links: [JSON] = document.templateLinks.map { link in
            let values = link.values.sorted { $0.key.rawValue < $1.key.rawValue }.map { slot, uid in
                (key: slot.rawValue, value: ["__entity": ValueJSON.entityReference(uid)] as JSON)
            }
            return [
                "templateId": .string(link.templateID),
                "newId": .string(link.newID),
                "values": .object(JSONObject(uniqueMembers: values)),
            ]
        }
        return [
            "templates": policies(document.templates),
            "staticPolicies": policies(document.staticPolicies),
            "templateLinks": .array(links),
        ]
    }
}
