import Cedar
import Foundation

/// One test file of the Cedar integration-test format: a policy set, entities, an
/// optional schema and requests with their expected answers.
public struct ConformanceTest: Sendable {
    /// The test file, relative to the directory the run started from.
    public let name: String
    public let policiesPath: String
    public let entitiesPath: String
    public let schemaPath: String?
    /// Whether strict validation of the policies against the schema should pass.
    public let shouldValidate: Bool?
    public let requests: [ExpectedRequest]
    /// How policy ids are assigned: positional (`policy0`, …) in the integration tests,
    /// from `@id` annotations in the example use cases.
    public let idsFromAnnotations: Bool
    /// Template links to make before deciding (`linked` files of the example use cases).
    public let links: [TemplateLink]

    /// One request and the answer Rust Cedar gives.
    public struct ExpectedRequest: Sendable {
        public let description: String
        public let request: Request
        public let validateRequest: Bool
        public let decision: Decision
        /// Expected determining policies, or nil when the format gives none.
        public let reasons: Set<PolicyID>?
        /// Expected erroring policies, or nil when the format gives none.
        public let errors: Set<PolicyID>?
    }
}

/// Why a test could not be loaded.
public struct ConformanceLoadError: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let message: String
    public var description: String { "\(file): \(message)" }
}

extension ConformanceTest {
    /// Reads an integration-test JSON file. `resolve` turns the paths written inside it
    /// into readable files.
    static func integrationTest(
        file: URL, name: String, resolve: (String) -> URL?
    ) throws(ConformanceLoadError) -> ConformanceTest? {
        let object: JSONObject
        do {
            let text = try String(contentsOf: file, encoding: .utf8)
            guard case .object(let o) = try JSON.parse(text) else { return nil }
            object = o
        } catch {
            throw ConformanceLoadError(file: name, message: "\(error)")
        }
        guard object["requests"] != nil, object["policies"] != nil else { return nil }
        do {
            let requests = try object.decode("requests") { (json) throws(JSONError) in
                try json.decodeElements { (element) throws(JSONError) in try expectedRequest(element) }
            }
            let shouldValidate: Bool?
            if case .bool(let b)? = object["shouldValidate"] { shouldValidate = b } else { shouldValidate = nil }
            return ConformanceTest(
                name: name,
                policiesPath: try object.decodeString("policies"),
                entitiesPath: try object.decodeString("entities"),
                schemaPath: try? object.decodeString("schema"),
                shouldValidate: shouldValidate,
                requests: requests,
                idsFromAnnotations: false,
                links: [])
        } catch {
            throw ConformanceLoadError(file: name, message: "\(error)")
        }
    }

    private static func expectedRequest(_ json: JSON) throws(JSONError) -> ExpectedRequest {
        let object = try json.asObject()
        let request = try EntityJSON.decodeRequest(json)
        let decision = try object.decode("decision") { (v) throws(JSONError) -> Decision in
            let s = try v.asString()
            guard let d = Decision(rawValue: s) else {
                throw JSONError(.invalidValue, "expected `allow` or `deny`, found `\(s)`")
            }
            return d
        }
        func ids(_ key: String) throws(JSONError) -> Set<PolicyID>? {
            try object.decodeIfPresent(key) { (v) throws(JSONError) in
                Set(try v.decodeElements { (e) throws(JSONError) in try e.asString() })
            }
        }
        var validate = true
        if case .bool(let b)? = object["validateRequest"] { validate = b }
        return ExpectedRequest(
            description: (try? object.decodeString("description")) ?? "",
            request: request, validateRequest: validate, decision: decision,
            reasons: try ids("reason"), errors: try ids("errors"))
    }
}
