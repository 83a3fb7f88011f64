import Cedar
import Foundation

/// An inventory file: `{"version": 1, "items": [ … ]}` (docs/INVENTORY.md). The YAML
/// form is read into the same JSON value by the command line.
///
/// Reading checks everything an apply needs before anything is stored: each error
/// names the item (its index and uid) and the field.
public struct InventoryDocument: Sendable, Equatable {
    /// The format version this build reads and writes.
    public static let currentVersion = 1

    /// Bounds on one document.
    public struct Limits: Sendable, Equatable {
        /// The most items one inventory holds.
        public var maxItems: Int
        /// The largest document, in bytes of JSON (or YAML).
        public var maxBytes: Int
        /// The largest description, in bytes.
        public var maxDescriptionBytes: Int
        /// The most parents of one item.
        public var maxParents: Int
        public init(maxItems: Int = 20_000, maxBytes: Int = 32 << 20, maxDescriptionBytes: Int = 4096, maxParents: Int = 64) {
            self.maxItems = maxItems
            self.maxBytes = maxBytes
            self.maxDescriptionBytes = maxDescriptionBytes
            self.maxParents = maxParents
        }
    }

    /// The items, in document order; their uids are distinct.
    public var items: [InventoryItem]

    /// A document of `items`, checked as a read document is (distinct uids, kinds,
    /// owners, labels, tool hashes).
    public init(items: [InventoryItem], limits: Limits = Limits()) throws(WritError) {
        try self.init(json: InventoryDocument.json(of: items), limits: limits)
    }

    /// Reads a document from JSON text (strict: duplicate keys, depth and size limits).
    public init(jsonBytes bytes: [UInt8], limits: Limits = Limits()) throws(WritError) {
        guard bytes.count <= limits.maxBytes else {
            throw WritError(.tooLarge, "the inventory document is \(bytes.count) bytes; at most \(limits.maxBytes) are accepted")
        }
        let json: JSON
        do {
            json = try JSON.parse(bytes, limits: JSONLimits(maxDepth: 64, maxBytes: limits.maxBytes))
        } catch {
            throw WritError.fromJSON(error, what: "the inventory document")
        }
        try self.init(json: json, limits: limits)
    }

    /// Reads a document from its JSON value.
    package init(json: JSON, limits: Limits = Limits()) throws(WritError) {
        guard case .object(let object) = json else {
            throw WritError(.wrongType, "the inventory document must be an object with `version` and `items`, not \(json.kindDescription)")
        }
        for key in object.keys where !["version", "items"].contains(key) {
            throw WritError(.invalidRequest, "the inventory document has an unknown member `\(key)`; it has `version` and `items`")
        }
        guard let version = object["version"] else {
            throw WritError(.missingField, "the inventory document has no `version`; write `version: \(Self.currentVersion)`")
        }
        guard case .number(let number) = version, number.int64 == Int64(Self.currentVersion) else {
            throw WritError(.invalidRequest, "the inventory document's `version` is \(version.encoded()); this build reads version \(Self.currentVersion)")
        }
        guard let itemsJSON = object["items"] else {
            throw WritError(.missingField, "the inventory document has no `items`")
        }
        guard case .array(let elements) = itemsJSON else {
            throw WritError(.wrongType, "the inventory document's `items` must be a list, not \(itemsJSON.kindDescription)")
        }
        guard elements.count <= limits.maxItems else {
            throw WritError(.tooLarge, "the inventory has \(elements.count) items; at most \(limits.maxItems) are accepted")
        }
        let reader = InventoryReader(limits: limits)
        var seen: [StoredEntityKey: Int] = [:]
        var items: [InventoryItem] = []
        items.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            let item = try reader.item(element, at: "items[\(index)]", keepState: false)
            if let first = seen[item.key] {
                throw WritError(.invalidRequest, "items[\(index)] registers \(item.uid), which items[\(first)] registers already")
            }
            seen[item.key] = index
            items.append(item)
        }
        self.items = items
    }

    /// The document as JSON: `version` and the items, each with its state.
    package var json: JSON { Self.json(of: items) }

    /// The document as pretty JSON text.
    public func encoded() -> String { json.encoded(pretty: true) }

    package static func json(of items: [InventoryItem]) -> JSON {
        .object(JSONObject(uniqueMembers: [
            (key: "version", value: .number(JSONNumber(Int64(currentVersion)))),
            (key: "items", value: .array(items.map(\.json))),
        ]))
    }
}
