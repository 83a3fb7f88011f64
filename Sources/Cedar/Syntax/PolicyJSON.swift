/// Cedar's JSON policy format (the EST), read and written as Rust Cedar does.
///
/// A policy:
///
/// ```json
/// {"effect": "permit",
///  "principal": {"op": "==", "entity": {"type": "User", "id": "alice"}},
///  "action": {"op": "in", "entities": [{"type": "Action", "id": "view"}]},
///  "resource": {"op": "is", "entity_type": "Photo", "in": {"slot": "?resource"}},
///  "conditions": [{"kind": "when", "body": {"Var": "context"}}],
///  "annotations": {"id": "example"}}
/// ```
///
/// A policy set: `{"staticPolicies": {id: policy}, "templates": {id: policy},
/// "templateLinks": [{"templateId": ..., "newId": ..., "values": {"?principal": entity}}]}`.
/// Unknown keys, wrong types and unknown operators are errors located by JSON path,
/// except where Rust Cedar ignores extra keys (beside `"op": "All"`, an `entity` or
/// `slot`, and in `has`).
public enum PolicyJSON {
    /// A policy set in the JSON format: static policies, templates and links, each
    /// list in document order.
    public struct Document: Sendable, Equatable {
        /// The policies without slots, from `staticPolicies`.
        public var staticPolicies: [Policy]
        /// The templates, from `templates`; Rust Cedar allows a template without slots.
        public var templates: [Policy]
        /// The links, from `templateLinks`.
        public var templateLinks: [TemplateLink]

        /// Creates a policy set document.
        public init(staticPolicies: [Policy] = [], templates: [Policy] = [], templateLinks: [TemplateLink] = []) {
            self.staticPolicies = staticPolicies
            self.templates = templates
            self.templateLinks = templateLinks
        }
    }

    // MARK: - Text

    /// Reads one policy or template, giving it `id`.
    public static func decodePolicy(
        _ text: String, id: PolicyID, limits: JSONLimits = .default
    ) throws(JSONError) -> Policy {
        try decodePolicy(JSON.parse(text, limits: limits), id: id)
    }

    /// Reads a policy set, checking ids are unique and links match their templates.
    public static func decodePolicySet(_ text: String, limits: JSONLimits = .default) throws(JSONError) -> Document {
        try decodePolicySet(JSON.parse(text, limits: limits))
    }

    /// Writes one policy or template.
    public static func encode(_ policy: Policy, pretty: Bool = false) -> String {
        encodePolicy(policy).encoded(pretty: pretty)
    }

    /// Writes a policy set.
    public static func encode(_ document: Document, pretty: Bool = false) -> String {
        encodePolicySet(document).encoded(pretty: pretty)
    }

    // MARK: - Policies

    private static let policyKeys = ["effect", "principal", "action", "resource", "conditions", "annotations"]

    /// Reads a policy or template from a parsed document.
    package static func decodePolicy(_ json: JSON, id: PolicyID) throws(JSONError) -> Policy {
        let object = try json.asObject("a policy object")
        try object.rejectUnknownKeys(allowed: policyKeys)
        let effect = try object.decode("effect") { (json) throws(JSONError) in
            let name = try json.asString()
            guard let effect = Effect(rawValue: name) else {
                throw JSONError(.invalidValue, "unknown effect `\(name)`, expected `permit` or `forbid`")
            }
            return effect
        }
        let principal = try object.decode("principal") { (json) throws(JSONError) in
            try decodeScope(json, slot: .principal)
        }
        let action = try object.decode("action", decodeActionScope)
        let resource = try object.decode("resource") { (json) throws(JSONError) in
            try decodeScope(json, slot: .resource)
        }
        let conditions = try object.decode("conditions") { (json) throws(JSONError) in
            try json.decodeElements(decodeCondition)
        }
        let annotations = try object.decodeIfPresent("annotations") { (json) throws(JSONError) in
            try json.decodeMembers { (key, value) throws(JSONError) in
                guard CedarIdentifier.isAnyIdentifier(key) else {
                    throw JSONError(.invalidValue, "invalid annotation key `\(key)`")
                }
                if value == .null { return Annotation(key: key, value: "") }
                return Annotation(key: key, value: try value.asString("a string or `null`"))
            }
        }
        return Policy(
            id: id, effect: effect, principal: principal, action: action, resource: resource,
            conditions: conditions, annotations: annotations ?? [])
    }

    /// `{"op": "All"}`, `{"op": "==" | "in", "entity": uid}` or `"slot": "?principal"`,
    /// or `{"op": "is", "entity_type": "T", "in": {"entity": uid} | {"slot": ...}}`.
    private static func decodeScope(_ json: JSON, slot: SlotID) throws(JSONError) -> ScopeConstraint {
        let object = try json.asObject("a scope constraint object")
        switch try operatorName(object) {
        case "All", "all":
            return .any
        case "==":
            return .equal(try decodeReference(object, slot: slot))
        case "in":
            return .in(try decodeReference(object, slot: slot))
        case "is":
            try object.rejectUnknownKeys(allowed: ["op", "entity_type", "in"])
            let type = try object.decode("entity_type") { (json) throws(JSONError) in
                try ValueJSON.entityType(try json.asString())
            }
            let container = try object.decodeIfPresent("in") { (json) throws(JSONError) -> EntityReference? in
                json == .null ? nil : try decodeReference(try json.asObject(), slot: slot)
            }
            guard let container = container ?? nil else { return .is(type) }
            return .isIn(type, container)
        case let name:
            throw JSONError(
                .invalidValue, "unknown scope operator `\(name)`, expected `All`, `==`, `in` or `is`",
                path: [.key("op")])
        }
    }

    /// The entity or slot of a scope constraint; `entity` wins when both are present.
    private static func decodeReference(_ object: JSONObject, slot: SlotID) throws(JSONError) -> EntityReference {
        if object["entity"] != nil {
            return .entity(try object.decode("entity", ValueJSON.decodeEntityReference))
        }
        guard object["slot"] != nil else {
            throw JSONError(.missingKey, "missing required key `entity` or `slot`")
        }
        return .slot(
            try object.decode("slot") { (json) throws(JSONError) in
                let found = try decodeSlot(json)
                guard found == slot else {
                    throw JSONError(
                        .invalidPolicy,
                        "slot `\(found)` cannot appear in the \(slot == .principal ? "principal" : "resource") scope")
                }
                return found
            })
    }

    /// `{"op": "All"}`, `{"op": "==", "entity": uid}`, `{"op": "in", "entity": uid}` or
    /// `{"op": "in", "entities": [uids]}`; every uid must be an action.
    private static func decodeActionScope(_ json: JSON) throws(JSONError) -> ActionConstraint {
        let object = try json.asObject("a scope constraint object")
        switch try operatorName(object) {
        case "All", "all":
            return .any
        case "==":
            guard object["entity"] != nil else {
                if object["slot"] != nil { throw JSONError(.invalidPolicy, "slots are not allowed for actions") }
                throw JSONError.missingKey("entity")
            }
            return .equal(try object.decode("entity", decodeActionReference))
        case "in":
            if object["entity"] != nil {
                return .in(try object.decode("entity", decodeActionReference))
            }
            guard object["entities"] != nil else {
                throw JSONError(.missingKey, "missing required key `entity` or `entities`")
            }
            let entities = try object.decode("entities") { (json) throws(JSONError) in
                try json.decodeElements(decodeActionReference)
            }
            // As the parser does: Rust keeps `in [A]` and `in A` as the same constraint.
            if entities.count == 1, let only = entities.first { return .in(only) }
            return .inSet(entities)
        case let name:
            throw JSONError(
                .invalidValue, "unknown action scope operator `\(name)`, expected `All`, `==` or `in`",
                path: [.key("op")])
        }
    }

    private static func decodeActionReference(_ json: JSON) throws(JSONError) -> EntityUID {
        let uid = try ValueJSON.decodeEntityReference(json)
        guard uid.type.isAction else {
            throw JSONError(.invalidPolicy, "expected an entity uid with type `Action`, found `\(uid)`")
        }
        return uid
    }

    private static func operatorName(_ object: JSONObject) throws(JSONError) -> String {
        try object.decodeString("op")
    }

    /// `{"kind": "when" | "unless", "body": expr}`; the body may not use slots.
    private static func decodeCondition(_ json: JSON) throws(JSONError) -> Condition {
        let object = try fields(json, ["kind", "body"])
        let kind = try object.decode("kind") { (json) throws(JSONError) in
            let name = try json.asString()
            guard let kind = Condition.Kind(rawValue: name) else {
                throw JSONError(.invalidValue, "unknown condition kind `\(name)`, expected `when` or `unless`")
            }
            return kind
        }
        let body = try object.decode("body", decodeExpr)
        var slots = Set<SlotID>()
        body.collectSlots(into: &slots)
        if let slot = slots.min(by: { $0.rawValue < $1.rawValue }) {
            throw JSONError(
                .invalidPolicy, "found template slot `\(slot)` in a `\(kind.rawValue)` clause", path: [.key("body")])
        }
        return Condition(kind, body)
    }

    /// Writes a policy or template: `effect`, the scope, `conditions`, and `annotations`
    /// sorted by key when there are any. An annotation written without a value has the
    /// value `""` and is written so, as Rust Cedar converts a parsed policy; Rust's
    /// text-to-JSON conversion writes `null` for it instead.
    package static func encodePolicy(_ policy: Policy, extensions: ExtensionBridge = .standard) -> JSON {
        var object: JSONObject = [
            "effect": .string(policy.effect.rawValue),
            "principal": encodeScope(policy.principal),
            "action": encodeActionScope(policy.action),
            "resource": encodeScope(policy.resource),
            "conditions": .array(
                policy.conditions.map { condition in
                    [
                        "kind": .string(condition.kind.rawValue),
                        "body": encodeExpr(condition.body, extensions: extensions),
                    ]
                }),
        ]
        if !policy.annotations.isEmpty {
            let sorted = policy.annotations.sorted { $0.key.scalarsLess($1.key) }
            object.append(
                "annotations",
                .object(
                    JSONObject(
                        uniqueMembers: sorted.map { annotation in
                            (key: annotation.key, value: .string(annotation.value))
                        })))
        }
        return .object(object)
    }

    private static func encodeScope(_ scope: ScopeConstraint) -> JSON {
        switch scope {
        case .any: return ["op": "All"]
        case .equal(let reference): return .object(encodeReference(reference, op: "=="))
        case .in(let reference): return .object(encodeReference(reference, op: "in"))
        case .is(let type): return ["op": "is", "entity_type": .string(type.name)]
        case .isIn(let type, let reference):
            let container: JSONObject = encodeReference(reference, op: nil)
            return ["op": "is", "entity_type": .string(type.name), "in": .object(container)]
        }
    }

    private static func encodeReference(_ reference: EntityReference, op: String?) -> JSONObject {
        var object = JSONObject()
        if let op { object.append("op", .string(op)) }
        switch reference {
        case .entity(let uid): object.append("entity", ValueJSON.entityReference(uid))
        case .slot(let slot): object.append("slot", .string(slot.rawValue))
        }
        return object
    }

    /// A one-element `in [...]` is written with `entity`, as Rust Cedar writes it.
    private static func encodeActionScope(_ scope: ActionConstraint) -> JSON {
        switch scope {
        case .any: return ["op": "All"]
        case .equal(let uid): return ["op": "==", "entity": ValueJSON.entityReference(uid)]
        case .in(let uid): return ["op": "in", "entity": ValueJSON.entityReference(uid)]
        case .inSet(let uids) where uids.count == 1:
            return ["op": "in", "entity": ValueJSON.entityReference(uids[0])]
        case .inSet(let uids): return ["op": "in", "entities": .array(uids.map(ValueJSON.entityReference))]
        }
    }
}
