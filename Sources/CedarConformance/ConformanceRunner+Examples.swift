import Cedar
import Foundation

extension ConformanceRunner {
    /// The example use cases that cedar-examples' `run.sh` (commit 5d3311d, the one
    /// the data comes from) authorizes without `--schema`. Their entities do not
    /// conform to their schemas (`document_cloud` gives `Document`s where the schema
    /// declares `DocumentShare`s; `github_example` has an undeclared `Organization`),
    /// so Rust Cedar too rejects them when given the schema.
    static let examplesAuthorizedWithoutSchema: Set<String> = ["document_cloud", "github_example"]

    /// Runs one example use case: `policies.cedar` (ids from `@id`), `entities.json`,
    /// `policies.cedarschema` when present, optional `linked` template links, and one
    /// request file per case under `ALLOW/` and `DENY/`, the folder naming the expected
    /// decision. As `run.sh` runs `cedar authorize`, entities and contexts are read with
    /// the schema and requests validated against it, except for the examples in
    /// `examplesAuthorizedWithoutSchema`.
    func runExampleFolder(_ folder: URL, into report: inout ConformanceReport) {
        let name = relativeName(folder)
        var requests: [ConformanceTest.ExpectedRequest] = []
        for (sub, decision) in [("ALLOW", Decision.allow), ("DENY", Decision.deny)] {
            let dir = folder.appendingPathComponent(sub)
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [])
                .filter { $0.hasSuffix(".json") }.sorted()
            for file in files {
                do {
                    let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
                    let object = try JSON.parse(text).asObject()
                    func uid(_ key: String) throws -> EntityUID {
                        try PolicyParser.parseEntityUID(try object.decodeString(key))
                    }
                    requests.append(.init(
                        description: "\(sub)/\(file)", principal: try uid("principal"), action: try uid("action"),
                        resource: try uid("resource"), context: object["context"] ?? .object(JSONObject()),
                        validateRequest: true, decision: decision, reasons: nil, errors: nil))
                } catch {
                    report.loadErrors.append("\(name)/\(sub)/\(file): \(error)")
                }
            }
        }
        var links: [TemplateLink] = []
        let linkedURL = folder.appendingPathComponent("linked")
        if let text = try? String(contentsOf: linkedURL, encoding: .utf8) {
            do {
                links = try Self.parseLinks(text)
            } catch {
                report.loadErrors.append("\(name)/linked: \(error)")
                return
            }
        }
        let schemaURL = folder.appendingPathComponent("policies.cedarschema")
        let hasSchema = FileManager.default.fileExists(atPath: schemaURL.path)
            && !Self.examplesAuthorizedWithoutSchema.contains(folder.lastPathComponent)
        let test = ConformanceTest(
            name: name, policiesPath: "policies.cedar", policyFormat: .cedar, entitiesPath: "entities.json",
            schemaPath: hasSchema ? "policies.cedarschema" : nil, schemaFormat: .cedar, shouldValidate: nil,
            requests: requests, idsFromAnnotations: true, links: links)
        run(test, from: folder.appendingPathComponent("policies.cedar"), into: &report)
    }

    /// Reads a `linked` file: `[{"template_id", "link_id", "args": {"?principal": "User::\"a\""}}]`.
    static func parseLinks(_ text: String) throws -> [TemplateLink] {
        try JSON.parse(text).asArray().map { element in
            let o = try element.asObject()
            var values: [SlotID: EntityUID] = [:]
            for member in try o.decode("args", { (j) throws(JSONError) in try j.asObject() }) {
                guard let slot = SlotID(rawValue: member.key) else {
                    throw JSONError(.invalidValue, "unknown slot `\(member.key)`")
                }
                values[slot] = try PolicyParser.parseEntityUID(try member.value.asString())
            }
            return TemplateLink(
                templateID: try o.decodeString("template_id"), newID: try o.decodeString("link_id"), values: values)
        }
    }
}
