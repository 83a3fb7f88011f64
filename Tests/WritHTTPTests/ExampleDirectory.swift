import Foundation
import WritCore

/// An example under `examples/` read as `writ serve --from` reads it: the `*.cedar`
/// files in name order, the schema, `entities.json` and `authzen.json`.
struct ExampleDirectory {
    let draft: PolicySetDraft
    let entities: [UInt8]?
    let mapping: AuthZENMapping

    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    init(_ name: String) throws {
        let directory = Self.repository.appendingPathComponent("examples/\(name)")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        func text(_ file: String) throws -> String {
            try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
        }
        let files = try names.filter { $0.hasSuffix(".cedar") }.map { SourceFile(name: $0, text: try text($0)) }
        let schema = try names.first { $0.hasSuffix(".cedarschema") }.map {
            SchemaSource(format: .cedar, file: SourceFile(name: $0, text: try text($0)))
        }
        draft = PolicySetDraft(files: files, schema: schema, author: "bootstrap")
        entities = try names.contains("entities.json") ? Array(text("entities.json").utf8) : nil
        mapping = try names.contains("authzen.json") ? AuthZENMapping.parse(Array(text("authzen.json").utf8)) : AuthZENMapping()
    }
}
