import Cedar
import Foundation

/// One test file of the Cedar integration-test format: a policy set, entities, an
/// optional schema and requests with their expected answers.
public struct ConformanceTest: Sendable {
    /// The two ways a policy set or schema may be written.
    public enum Format: String, Sendable {
        /// The human format: `.cedar` policies, a `.cedarschema` schema.
        case cedar
        /// The JSON format: JSON policies, a `.cedarschema.json` schema.
        case json

        /// The format a file's name suggests: JSON for `.json`, the human format otherwise.
        init(path: String) { self = path.hasSuffix(".json") ? .json : .cedar }
    }

    /// The test file, relative to the directory the run started from.
    public let name: String
    public let policiesPath: String
    public let policyFormat: Format
    public let entitiesPath: String
    /// The schema that entities and contexts are read with and requests validated
    /// against, if the test has one.
    public let schemaPath: String?
    public let schemaFormat: Format
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
        public let principal: EntityUID
        public let action: EntityUID
        public let resource: EntityUID
        /// The context as written; it is read when the test runs, with the schema when
        /// the test has one.
        package let context: JSON
        /// Whether the request is validated against the schema before it is decided.
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
            let policiesPath = try object.decodeString("policies")
            let schemaPath = try? object.decodeString("schema")
            return ConformanceTest(
                name: name,
                policiesPath: policiesPath,
                policyFormat: try format(object, "policyFormat", default: Format(path: policiesPath)),
                entitiesPath: try object.decodeString("entities"),
                schemaPath: schemaPath,
                schemaFormat: try format(object, "schemaFormat", default: schemaPath.map(Format.init(path:)) ?? .cedar),
                shouldValidate: shouldValidate,
                requests: requests,
                idsFromAnnotations: false,
                links: [])
        } catch {
            throw ConformanceLoadError(file: name, message: "\(error)")
        }
    }

    /// The format named by member `key` (`cedar` or `json`), or `fallback` when absent.
    private static func format(
        _ object: JSONObject, _ key: String, default fallback: Format
    ) throws(JSONError) -> Format {
        try object.decodeIfPresent(key) { (value) throws(JSONError) -> Format in
            let text = try value.asString()
            guard let format = Format(rawValue: text) else {
                throw JSONError(.invalidValue, "expected `cedar` or `json`, found `\(text)`")
            }
            return format
        } ?? fallback
    }

    private static func expectedRequest(_ json: JSON) throws(JSONError) -> ExpectedRequest {
        let object = try json.asObject()
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
            principal: try object.decode("principal", ValueJSON.decodeEntityReference),
            action: try object.decode("action", ValueJSON.decodeEntityReference),
            resource: try object.decode("resource", ValueJSON.decodeEntityReference),
            context: object["context"] ?? .object(JSONObject()),
            validateRequest: validate, decision: decision,
            reasons: try ids("reason"), errors: try ids("errors"))
    }
}

extension ConformanceTest.ExpectedRequest {
    /// The request, its context read with `schema` (by the action's context type) or
    /// without one, and validated against `schema` when `validateRequest` says so — as
    /// Rust Cedar's test harness builds it.
    func request(schema: Schema?) throws -> Request {
        guard let schema else {
            return Request(
                principal: principal, action: action, resource: resource,
                context: try EntityJSON.decodeContext(context))
        }
        let request = Request(
            principal: principal, action: action, resource: resource,
            context: try EntityJSON.decodeContext(context, schema: schema, action: action))
        if validateRequest { try schema.validate(request) }
        return request
    }
}
