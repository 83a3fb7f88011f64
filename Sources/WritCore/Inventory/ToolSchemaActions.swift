import Cedar

/// Cedar schema declarations for tools, from their definitions' JSON Schemas: one
/// action per tool in `Writ::Action::"call"`, whose `context.input` declares the
/// tool's arguments, so that policies on arguments are validated (docs/INVENTORY.md).
///
/// | JSON Schema | Cedar |
/// |---|---|
/// | `string` | `String` |
/// | `integer` | `Long` |
/// | `boolean` | `Bool` |
/// | `array` with `items` | `Set<…>` |
/// | `object` with `properties` | a record (`required` members required, the others optional) |
/// | `anyOf` of one type and `null` | that type, optional |
///
/// An argument of any other shape (`number`, an object without properties, a union)
/// cannot be written in Cedar: it is left out and named in a comment, so a request
/// that carries it is not valid under the schema (a deny).
public enum ToolSchemaActions {
    /// The declarations, to add inside `namespace Writ` (`BaseSchema.extended(with:)`),
    /// for `tools` (each the action id, `<server>___<tool>`, and its definition), in
    /// the order given.
    public static func declarations(_ tools: [(action: String, definition: ToolDefinition)]) -> String {
        tools.map { declaration(action: $0.action, definition: $0.definition) }.joined(separator: "\n")
    }

    /// One tool's action declaration.
    public static func declaration(action: String, definition: ToolDefinition) -> String {
        var skipped: [String] = []
        let input = record(definition.schema, path: "", skipped: &skipped, depth: 0) ?? "{}"
        var text = ""
        if let description = definition.description?.split(separator: "\n").first {
            text += "// \(description)\n"
        }
        if !skipped.isEmpty {
            text += "// Not expressible in Cedar, so not accepted: \(skipped.joined(separator: ", "))\n"
        }
        text += """
            action \(CedarStringLiteral.quote(action)) in [call] appliesTo {
              principal: [Agent], resource: [Tool],
              context: { task: TaskContext, system: SystemContext, input: \(input) }
            };

            """
        return text
    }

    /// The record type of an object schema; nil when `schema` is not one with properties.
    private static func record(_ schema: JSON, path: String, skipped: inout [String], depth: Int) -> String? {
        guard depth < 16, case .object(let object) = schema, case .object(let properties)? = object["properties"] else {
            return nil
        }
        var required: Set<String> = []
        if case .array(let names)? = object["required"] {
            for case .string(let name) in names { required.insert(name) }
        }
        var members: [String] = []
        let sorted = properties.members.sorted { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) }
        for (name, property) in sorted {
            let place = path.isEmpty ? name : "\(path).\(name)"
            var optional = !required.contains(name)
            guard let type = type(property, path: place, skipped: &skipped, depth: depth, optional: &optional) else {
                skipped.append(place)
                continue
            }
            members.append("\(CedarStringLiteral.quote(name))\(optional ? "?" : ""): \(type)")
        }
        return "{ " + members.joined(separator: ", ") + (members.isEmpty ? "}" : " }")
    }

    private static func type(
        _ schema: JSON, path: String, skipped: inout [String], depth: Int, optional: inout Bool
    ) -> String? {
        guard case .object(let object) = schema else { return nil }
        if case .array(let choices)? = object["anyOf"] {
            let types = choices.filter { choice in
                if case .object(let o) = choice, case .string("null")? = o["type"] { return false }
                return true
            }
            guard types.count == 1, types.count < choices.count else { return nil }
            optional = true
            return type(types[0], path: path, skipped: &skipped, depth: depth + 1, optional: &optional)
        }
        guard case .string(let kind)? = object["type"] else { return nil }
        switch kind {
        case "string": return "String"
        case "integer": return "Long"
        case "boolean": return "Bool"
        case "array":
            var ignored = false
            guard let items = object["items"], let element = type(items, path: path + "[]", skipped: &skipped, depth: depth + 1, optional: &ignored)
            else { return nil }
            return "Set<\(element)>"
        case "object":
            return record(schema, path: path, skipped: &skipped, depth: depth + 1)
        default:
            return nil
        }
    }
}
