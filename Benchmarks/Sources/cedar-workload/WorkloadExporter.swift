import Cedar
import CedarWorkloads
import Foundation

/// Writes a workload as files another Cedar engine can load:
///
/// - `policies.cedar`: the static policies and templates, in Cedar syntax;
/// - `links.json`: `[{"templateId": <@id annotation>, "newId": …, "values": {"?principal": {"type": …, "id": …}, …}}]`;
/// - `entities.json`: the entities in Cedar's JSON entity format;
/// - `requests.json`: `[{"principal": …, "action": …, "resource": …, "context": {…}}]`;
/// - `writ-decisions.json`: Writ's response to each request, in order:
///   `[{"decision": "allow", "reasons": ["policy1"], "errors": []}]`.
struct WorkloadExporter {
    let folder: URL

    func write(_ workload: Workload, entities: Entities, responses: [Response]) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try save(workload.policyText, "policies.cedar")
        try save(try encode(workload.links.map(LinkRecord.init)), "links.json")
        try save(try EntityJSON.encode(entities), "entities.json")
        let requests = try workload.requests.map { (request) throws(JSONError) in try EntityJSON.encode(request) }
        try save("[\n" + requests.joined(separator: ",\n") + "\n]\n", "requests.json")
        try save(try encode(responses.map(DecisionRecord.init)), "writ-decisions.json")
    }

    private func save(_ text: String, _ name: String) throws {
        try Data(text.utf8).write(to: folder.appending(path: name))
    }

    private func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }
}

/// An entity uid as Cedar's JSON formats write it.
private struct UIDRecord: Encodable {
    let type: String
    let id: String
    init(_ uid: EntityUID) {
        type = uid.type.name
        id = uid.id
    }
}

/// A template link as `links.json` holds it.
private struct LinkRecord: Encodable {
    let templateId: String
    let newId: String
    let values: [String: UIDRecord]
    init(_ link: Workload.Link) {
        templateId = link.template
        newId = link.newID
        values = Dictionary(uniqueKeysWithValues: link.values.map { ($0.key.rawValue, UIDRecord($0.value)) })
    }
}

/// A response as `writ-decisions.json` holds it.
private struct DecisionRecord: Encodable {
    let decision: String
    let reasons: [String]
    let errors: [String]
    init(_ response: Response) {
        decision = response.decision.rawValue
        reasons = response.reasons
        errors = response.errors.map(\.policyID)
    }
}
