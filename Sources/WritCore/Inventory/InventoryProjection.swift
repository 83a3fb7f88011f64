import Cedar
import Foundation

/// How an inventory item becomes its Cedar entity in the entity store.
///
/// The entity gets the item's parents and these attributes, each only when the
/// schema declares it for the type (all of them when there is no schema):
///
/// | attribute | from |
/// |---|---|
/// | `owner` | the item's owner, a `Writ::User` |
/// | `labels` | the item's labels |
/// | `name` (tools, prompts) | the definition's name; else the id after its last `___`; else the id |
/// | `egress` (tools) | whether the labels contain `can-send-out` |
/// | `outputLabels` (tools) | the item's `outputLabels`, when given |
///
/// and the item's further `attributes` as given (the schema checks them).
enum InventoryProjection {
    /// The attributes the projection derives from an item's own fields.
    static let derivedAttributes: Set<String> = ["owner", "labels", "name", "egress", "outputLabels"]

    /// The label that makes a tool's `egress` true.
    static let egressLabel = "can-send-out"

    /// The entity `item` registers, as the entity store keeps it.
    static func entity(_ item: InventoryItem, schema: Schema?) -> StoredEntity {
        let declared = schema?.entityTypes[item.uid.type]?.attributes
        var attributes: [(key: String, value: JSON)] = []
        func add(_ name: String, _ value: JSON) {
            if let declared, declared[name] == nil { return }
            attributes.append((key: name, value: value))
        }
        add("owner", entityReference(item.ownerUID))
        add("labels", InventoryItem.sortedStrings(item.labels))
        if item.kind == .tool || item.kind == .prompt { add("name", .string(name(of: item))) }
        if item.kind == .tool {
            add("egress", .bool(item.labels.contains(egressLabel)))
            if let outputLabels = item.outputLabels { add(BaseSchema.outputLabelsAttribute, InventoryItem.sortedStrings(outputLabels)) }
        }
        attributes += item.attributes.members
        let json: JSON = .object(JSONObject(uniqueMembers: [
            (key: "uid", value: uidJSON(item.uid)),
            (key: "attrs", value: .object(JSONObject(uniqueMembers: attributes))),
            (key: "parents", value: .array(item.parents.map(uidJSON))),
        ]))
        return StoredEntity(type: item.uid.type.name, id: item.uid.id, json: json.encoded())
    }

    /// A tool's or prompt's `name`.
    static func name(of item: InventoryItem) -> String {
        if let definition = item.definition { return definition.name }
        if let range = item.uid.id.range(of: "___", options: .backwards), range.upperBound < item.uid.id.endIndex {
            return String(item.uid.id[range.upperBound...])
        }
        return item.uid.id
    }

    private static func uidJSON(_ uid: EntityUID) -> JSON {
        .object(JSONObject(uniqueMembers: [(key: "type", value: .string(uid.type.name)), (key: "id", value: .string(uid.id))]))
    }

    private static func entityReference(_ uid: EntityUID) -> JSON {
        .object(JSONObject(uniqueMembers: [(key: "__entity", value: uidJSON(uid))]))
    }
}
