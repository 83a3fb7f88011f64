import Cedar
import Foundation
import WritCore
import Yams

/// An inventory file, YAML (`*.yaml`, `*.yml`) or JSON (`*.json`), read into an
/// `InventoryDocument`. YAML errors, and item errors in a YAML file, name the
/// `line:column` they concern.
enum InventoryFile {
    /// Reads and checks the file at `path`.
    static func read(_ path: String, limits: InventoryDocument.Limits = InventoryDocument.Limits()) throws -> InventoryDocument {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError("cannot read the inventory file `\(path)`")
        }
        guard data.count <= limits.maxBytes else {
            throw InputError("\(path): the inventory file is \(data.count) bytes; at most \(limits.maxBytes) are accepted")
        }
        if path.hasSuffix(".json") {
            do {
                return try InventoryDocument(jsonBytes: Array(data), limits: limits)
            } catch {
                throw InputError("\(path): \(error.message)")
            }
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError("\(path): the inventory file is not UTF-8")
        }
        return try yaml(text, path: path, limits: limits)
    }

    /// Reads YAML text: one document, a mapping of `version` and `items`.
    static func yaml(_ text: String, path: String, limits: InventoryDocument.Limits) throws -> InventoryDocument {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw InputError("\(path):\(describe(error))")
        } catch {
            throw InputError("\(path): \(error)")
        }
        guard let node else { throw InputError("\(path): the inventory file is empty") }
        var converter = YAMLToJSON(path: path)
        let json = try converter.convert(node, depth: 0)
        do {
            return try InventoryDocument(json: json, limits: limits)
        } catch {
            throw InputError("\(path):\(converter.place(of: error.message))\(error.message)")
        }
    }

    /// A YAML error as `line:column: message`.
    private static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let before = context.map { "\($0.text) " } ?? ""
            return "\(mark.line):\(mark.column): \(before)\(problem)"
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.sorted().map { "`\($0)`" }.joined(separator: ", ")
            return "\(context.mark.line):\(context.mark.column): a key appears twice in one mapping: \(keys)"
        default:
            return " \(error)"
        }
    }
}

/// Converts a composed YAML node into a JSON value: scalars by their resolved tag,
/// keys as strings; duplicate keys, aliases and other tags are errors at their mark.
struct YAMLToJSON {
    let path: String
    /// The marks of `items[i]`, for error messages.
    private(set) var itemMarks: [Mark] = []

    init(path: String) {
        self.path = path
    }

    mutating func convert(_ node: Node, depth: Int, inItems: Bool = false) throws -> JSON {
        guard depth < 64 else { throw error(node.mark, "nesting deeper than 64 levels") }
        switch node {
        case .scalar(let scalar):
            return try self.scalar(scalar, tag: node.tag, node.mark)
        case .sequence(let sequence):
            var elements: [JSON] = []
            for element in sequence {
                if inItems, let mark = element.mark { itemMarks.append(mark) }
                elements.append(try convert(element, depth: depth + 1))
            }
            return .array(elements)
        case .mapping(let mapping):
            var members: [(key: String, value: JSON)] = []
            var seen: Set<String> = []
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else { throw error(key.mark, "a mapping key must be a string") }
                guard seen.insert(keyScalar.string).inserted else {
                    throw error(key.mark, "the key `\(keyScalar.string)` appears twice in one mapping")
                }
                let items = depth == 0 && keyScalar.string == "items"
                members.append((key: keyScalar.string, value: try convert(value, depth: depth + 1, inItems: items)))
            }
            return .object(JSONObject(uniqueMembers: members))
        case .alias:
            throw error(node.mark, "aliases are not accepted in an inventory file")
        }
    }

    private func scalar(_ scalar: Node.Scalar, tag: Tag, _ mark: Mark?) throws -> JSON {
        switch Tag.Name(rawValue: tag.rawValue) {
        case .null: return .null
        case .bool: return .bool(Bool.construct(from: scalar) ?? false)
        case .int:
            guard let value = Int64(scalar.string) else { throw error(mark, "`\(scalar.string)` is not a 64-bit integer") }
            return .number(JSONNumber(value))
        case .float: throw error(mark, "`\(scalar.string)`: numbers with fractions are not accepted")
        case .str: return .string(scalar.string)
        default: throw error(mark, "the tag `\(tag.rawValue)` is not accepted")
        }
    }

    private func error(_ mark: Mark?, _ message: String) -> InputError {
        guard let mark else { return InputError("\(path): \(message)") }
        return InputError("\(path):\(mark.line):\(mark.column): \(message)")
    }

    /// `line:column: ` of the item a message about `items[i]` names, or a space.
    func place(of message: String) -> String {
        guard message.hasPrefix("items["), let close = message.firstIndex(of: "]"),
            let index = Int(message[message.index(message.startIndex, offsetBy: 6)..<close]), index < itemMarks.count
        else { return " " }
        return "\(itemMarks[index].line):\(itemMarks[index].column): "
    }
}
