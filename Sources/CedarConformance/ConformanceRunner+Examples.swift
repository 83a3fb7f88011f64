import Cedar
import Foundation

extension ConformanceRunner {
    /// Runs one example use case: `policies.cedar` (ids from `@id`), `entities.json`,
    /// optional `linked` template links, and one request file per case under `ALLOW/`
    /// and `DENY/`, the folder naming the expected decision.
    func runExampleFolder(_ folder: URL, into report: inout ConformanceReport) {
        let name = relativeName(folder)
        var requests: [ConformanceTest.ExpectedRequest] = []
        var rawContexts: [JSON] = []
        for (sub, decision) in [("ALLOW", Decision.allow), ("DENY", Decision.deny)] {
            let dir = folder.appendingPathComponent(sub)
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [])
                .filter { $0.hasSuffix(".json") }.sorted()
            for file in files {
                do {
                    let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
                    let object = try JSON.parse(text).asObject()
                    let context = object["context"] ?? .object(JSONObject())
                    rawContexts.append(context)
                    func uid(_ key: String) throws -> EntityUID {
                        try PolicyParser.parseEntityUID(try object.decodeString(key))
                    }
                    let request = Request(
                        principal: try uid("principal"), action: try uid("action"), resource: try uid("resource"),
                        context: (try? EntityJSON.decodeContext(context)) ?? Record())
                    requests.append(.init(
                        description: "\(sub)/\(file)", request: request, validateRequest: true,
                        decision: decision, reasons: nil, errors: nil))
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
        let hasSchema = FileManager.default.fileExists(atPath: folder.appendingPathComponent("policies.cedarschema").path)
        let test = ConformanceTest(
            name: name, policiesPath: "policies.cedar", entitiesPath: "entities.json",
            schemaPath: hasSchema ? "policies.cedarschema" : nil, shouldValidate: nil, requests: requests,
            idsFromAnnotations: true, links: links)
        let raw = JSON.object(JSONObject(uniqueMembers: [
            (key: "requests", value: .array(rawContexts.map { .object(JSONObject(uniqueMembers: [(key: "context", value: $0)])) }))
        ]))
        run(test, from: folder.appendingPathComponent("policies.cedar"), rawTest: raw, into: &report)
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
