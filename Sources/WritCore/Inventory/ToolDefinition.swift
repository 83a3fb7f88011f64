import Cedar
import Crypto

/// What an MCP server says a tool is: its name, description and input schema, as a
/// `tools/list` entry gives them. The inventory pins a tool's definition by its hash;
/// a definition observed later with another hash quarantines the tool.
///
/// The input schema is kept as canonical JSON text (`CanonicalJSON`), so two
/// definitions are equal exactly when their hashes are.
public struct ToolDefinition: Sendable, Equatable {
    /// The tool's name on its server (`send_email`).
    public let name: String
    /// The description the server gives; nil when it gives none.
    public let description: String?
    /// The JSON Schema of the tool's arguments, as canonical JSON text.
    public let inputSchema: String

    /// A definition from its parts; `inputSchema` is any JSON object text, which is
    /// read strictly and kept in canonical form. `.invalidRequest` when it is not a
    /// JSON object.
    public init(name: String, description: String?, inputSchema: String) throws(WritError) {
        let schema: JSON
        do {
            schema = try JSON.parse(inputSchema, limits: JSONLimits(maxDepth: 64, maxBytes: ToolDefinition.maxSchemaBytes))
        } catch {
            throw WritError.fromJSON(error, what: "the input schema of tool `\(name)`")
        }
        try self.init(name: name, description: description, schema: schema, field: "inputSchema")
    }

    /// A definition whose schema is already parsed. `field` names the schema in errors.
    package init(name: String, description: String?, schema: JSON, field: String) throws(WritError) {
        guard case .object = schema else {
            throw WritError(.wrongType, "`\(field)` must be a JSON object (a JSON Schema), not \(schema.kindDescription)")
        }
        self.name = name
        self.description = description
        self.inputSchema = CanonicalJSON.text(schema)
    }

    /// The largest input schema accepted, in bytes of JSON.
    public static let maxSchemaBytes = 256 << 10

    /// The input schema as a JSON value.
    package var schema: JSON {
        // Canonical text this type wrote always parses.
        (try? JSON.parse(inputSchema)) ?? .object(JSONObject())
    }

    /// The definition as one JSON object: `name`, `description` (when there is one)
    /// and `inputSchema`.
    package var json: JSON {
        var members: [(key: String, value: JSON)] = []
        if let description { members.append((key: "description", value: .string(description))) }
        members.append((key: "inputSchema", value: schema))
        members.append((key: "name", value: .string(name)))
        return .object(JSONObject(uniqueMembers: members))
    }

    /// `sha256:` and the lowercase hex SHA-256 of the canonical JSON of `json`
    /// (docs/INVENTORY.md gives the rule, so a gateway computes the same hash from a
    /// `tools/list` entry).
    public var hash: String {
        let bytes = Array(CanonicalJSON.text(json).utf8)
        let digest = SHA256.hash(data: bytes)
        return "sha256:" + digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Whether `text` has the form of a definition hash: `sha256:` and 64 lowercase hex digits.
    public static func isHash(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 71, text.hasPrefix("sha256:") else { return false }
        return bytes[7...].allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
    }
}

/// The canonical JSON form a definition hash covers: objects with their members
/// sorted by key in Unicode scalar order, at every depth; no whitespace; strings as
/// written, escaping only `"`, `\`, and control characters (`\b \f \n \r \t`, the
/// others as `\u00xx`); numbers as written. This is what Python's
/// `json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)`
/// writes for integers and strings.
package enum CanonicalJSON {
    /// `value` in canonical form.
    package static func text(_ value: JSON) -> String {
        sorted(value).encoded(pretty: false)
    }

    /// `value` with every object's members sorted by key.
    package static func sorted(_ value: JSON) -> JSON {
        switch value {
        case .array(let elements): return .array(elements.map(sorted))
        case .object(let object):
            let members = object.members
                .sorted { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) }
                .map { (key: $0.key, value: sorted($0.value)) }
            return .object(JSONObject(uniqueMembers: members))
        default: return value
        }
    }
}
