import Foundation
import WritCore

/// What `writ serve --from DIR` loads on first start: every `*.cedar` file (in name
/// order), at most one schema (`*.cedarschema`, or `*.cedarschema.json` in the JSON
/// format), `entities.json`, the AuthZEN mapping `authzen.json` and the inventory
/// `inventory.yaml` (docs/INVENTORY.md), each optional but the policies.
struct PolicyDirectory {
    let path: String
    let files: [SourceFile]
    let schema: SchemaSource?
    let entities: [UInt8]?
    /// The bytes of `authzen.json`, checked; nil when there is none.
    let mapping: [UInt8]?
    /// `inventory.yaml` (or `inventory.json`), checked; nil when there is none.
    let inventory: InventoryDocument?

    /// The example served when no `--from` is given.
    static let example = "examples/authzen-todo"

    /// Reads and checks the directory's files; errors name the file.
    static func read(_ path: String) throws -> PolicyDirectory {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path).sorted {
                $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars)
            }
        } catch {
            throw InputError("cannot read the directory `\(path)`")
        }
        let policyNames = names.filter { $0.hasSuffix(".cedar") }
        guard !policyNames.isEmpty else { throw InputError("`\(path)` holds no *.cedar policy file") }
        let files = try policyNames.map { SourceFile(name: $0, text: try text(path, $0)) }
        let schemaNames = names.filter { $0.hasSuffix(".cedarschema") || $0.hasSuffix(".cedarschema.json") }
        guard schemaNames.count <= 1 else {
            throw InputError("`\(path)` holds \(schemaNames.count) schemas (\(schemaNames.joined(separator: ", "))); keep one")
        }
        let schema = try schemaNames.first.map { name in
            SchemaSource(format: name.hasSuffix(".json") ? .json : .cedar, file: SourceFile(name: name, text: try text(path, name)))
        }
        let entities = try names.contains("entities.json") ? bytes(path, "entities.json") : nil
        let mapping = try names.contains("authzen.json") ? bytes(path, "authzen.json") : nil
        if let mapping { _ = try checkedMapping(mapping, file: "\(path)/authzen.json") }
        let inventoryName = ["inventory.yaml", "inventory.yml", "inventory.json"].first { names.contains($0) }
        let inventory = try inventoryName.map { try InventoryFile.read("\(path)/\($0)") }
        return PolicyDirectory(
            path: path, files: files, schema: schema, entities: entities, mapping: mapping, inventory: inventory)
    }

    /// The directory's policies and schema as the first version, by `bootstrap`.
    var draft: PolicySetDraft {
        PolicySetDraft(files: files, schema: schema, author: "bootstrap", comment: "loaded from \(path)")
    }

    /// The example directory: under the working directory, else under a directory
    /// the `writ` executable sits in (`.build/debug/writ` in a checkout); nil if neither.
    static func findExample() -> String? {
        var candidates = [FileManager.default.currentDirectoryPath]
        if var directory = Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent() {
            while directory.path != "/" {
                candidates.append(directory.path)
                directory.deleteLastPathComponent()
            }
        }
        return candidates.map { URL(fileURLWithPath: $0).appendingPathComponent(example).path }
            .first { FileManager.default.fileExists(atPath: $0) }
    }

    /// The AuthZEN mapping in `directory/authzen.json`, or the default mapping when
    /// there is no such file.
    static func loadMapping(_ directory: String) throws -> AuthZENMapping {
        let path = URL(fileURLWithPath: directory).appendingPathComponent("authzen.json").path
        guard FileManager.default.fileExists(atPath: path) else { return AuthZENMapping() }
        return try checkedMapping(try bytes(directory, "authzen.json"), file: path)
    }

    private static func checkedMapping(_ bytes: [UInt8], file: String) throws -> AuthZENMapping {
        do {
            return try AuthZENMapping.parse(bytes, file: file)
        } catch {
            throw InputError(error.description)
        }
    }

    private static func bytes(_ directory: String, _ name: String) throws -> [UInt8] {
        let path = URL(fileURLWithPath: directory).appendingPathComponent(name).path
        guard let data = FileManager.default.contents(atPath: path) else { throw InputError("cannot read `\(path)`") }
        return Array(data)
    }

    private static func text(_ directory: String, _ name: String) throws -> String {
        guard let text = String(validating: try bytes(directory, name), as: UTF8.self) else {
            throw InputError("`\(directory)/\(name)` is not valid UTF-8")
        }
        return text
    }
}
