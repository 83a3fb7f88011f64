import Cedar
import Foundation

/// An inventory item as JSON: the inventory file's item form (docs/INVENTORY.md),
/// plus the members Writ sets (`state`, `pending`, `since`).
extension InventoryItem {
    /// The members an item may have in an inventory document.
    static let documentMembers: Set<String> = [
        "uid", "owner", "description", "labels", "parents", "outputLabels", "definition", "hash", "attributes",
    ]
    /// The members Writ sets; a document may carry them (read back from Writ), and
    /// applying it ignores them.
    static let stateMembers: Set<String> = ["state", "pending", "since"]

    /// The item as one JSON object, with its state.
    package var json: JSON {
        var members: [(key: String, value: JSON)] = [
            (key: "uid", value: .string(uid.description)),
            (key: "owner", value: .string(ownerUID.description)),
        ]
        if let description { members.append((key: "description", value: .string(description))) }
        members.append((key: "labels", value: Self.sortedStrings(labels)))
        members.append((key: "parents", value: .array(parents.map { .string($0.description) })))
        if let outputLabels { members.append((key: "outputLabels", value: Self.sortedStrings(outputLabels))) }
        if let definition { members.append((key: "definition", value: definition.json)) }
        if let pinnedHash { members.append((key: "hash", value: .string(pinnedHash))) }
        if !attributes.isEmpty { members.append((key: "attributes", value: .object(attributes))) }
        switch state {
        case .active:
            members.append((key: "state", value: "active"))
        case .quarantined(let pending, let since):
            members.append((key: "state", value: "quarantined"))
            var pendingJSON = pending.json
            if case .object(var object) = pendingJSON {
                object.append("hash", .string(pending.hash))
                pendingJSON = .object(object)
            }
            members.append((key: "pending", value: pendingJSON))
            members.append((key: "since", value: .number(JSONNumber(Int64(since.timeIntervalSince1970.rounded(.down))))))
        }
        return .object(JSONObject(uniqueMembers: members))
    }

    static func sortedStrings(_ values: Set<String>) -> JSON {
        .array(values.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }.map { .string($0) })
    }

    /// Reads an item the store wrote (`json`, state included). `.corruptState` when it
    /// does not read.
    package init(storedJSON text: String) throws(WritError) {
        do {
            let json = try JSON.parse(text)
            let reader = InventoryReader(limits: InventoryDocument.Limits())
            self = try reader.item(json, at: "stored item", keepState: true)
        } catch {
            throw WritError(.corruptState, "a stored inventory item cannot be read: \(error)")
        }
    }
}
