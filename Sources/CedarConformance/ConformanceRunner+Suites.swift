import Cedar
import Foundation

extension ConformanceRunner {
    static let schemaParsingReason = "needs schema-based parsing of entities and contexts"

    func runIntegrationFile(_ url: URL, into report: inout ConformanceReport) {
        let name = relativeName(url)
        let test: ConformanceTest
        do {
            guard
                let loaded = try ConformanceTest.integrationTest(
                    file: url, name: name, resolve: { resolve($0, from: url) })
            else { return }
            test = loaded
        } catch {
            report.loadErrors.append("\(error)")
            return
        }
        run(test, from: url, into: &report)
    }

    /// Runs `test`, whose paths are resolved from `url`: loads the schema, policies and
    /// entities (a failure fails every request), then builds, decides and compares each
    /// request (a request that cannot be built fails alone).
    func run(_ test: ConformanceTest, from url: URL, into report: inout ConformanceReport) {
        if test.schemaPath != nil, !capabilities.schemaBasedParsing {
            report.notApplicable[Self.schemaParsingReason, default: 0] += test.requests.count
            return
        }
        let authorizer: Authorizer
        let schema: Schema?
        let entities: Entities
        do {
            schema = try test.schemaPath.map { (path) throws -> Schema in
                try loadSchema(try file(path, from: url), format: test.schemaFormat)
            }
            authorizer = Authorizer(try loadPolicies(try file(test.policiesPath, from: url), test: test))
            let entitiesText = try String(contentsOf: file(test.entitiesPath, from: url), encoding: .utf8)
            let entitiesJSON = try JSON.parse(entitiesText)
            entities = try schema.map { (schema) throws(JSONError) in
                try EntityJSON.decodeEntities(entitiesJSON, schema: schema)
            } ?? EntityJSON.decodeEntities(entitiesJSON)
        } catch {
            for r in test.requests {
                report.record(false, failure: .init(
                    test: test.name, request: r.description, expected: r.expectedSummary,
                    actual: "could not load the test: \(error)"))
            }
            return
        }
        for r in test.requests {
            let request: Request
            do {
                request = try r.request(schema: schema)
            } catch {
                report.record(false, failure: .init(
                    test: test.name, request: r.description, expected: r.expectedSummary,
                    actual: "could not build the request: \(error)"))
                continue
            }
            let response = authorizer.authorize(request, entities: entities)
            let errorIDs = Set(response.errors.map(\.policyID))
            let ok = response.decision == r.decision
                && (r.reasons.map { $0 == Set(response.reasons) } ?? true)
                && (r.errors.map { $0 == errorIDs } ?? true)
            report.record(ok, failure: .init(
                test: test.name, request: r.description, expected: r.expectedSummary,
                actual: ConformanceTest.ExpectedRequest.summary(response.decision, Set(response.reasons), errorIDs)
                    + response.errors.map { " [\($0.policyID): \($0.error.message)]" }.joined()))
        }
    }

    /// The file `path` names, written inside the test at `url`, or a load error.
    private func file(_ path: String, from url: URL) throws(ConformanceLoadError) -> URL {
        guard let found = resolve(path, from: url) else {
            throw ConformanceLoadError(file: relativeName(url), message: "cannot find `\(path)`")
        }
        return found
    }

    private func loadSchema(_ url: URL, format: ConformanceTest.Format) throws -> Schema {
        let text = try String(contentsOf: url, encoding: .utf8)
        switch format {
        case .cedar: return try Schema(cedarSchema: text)
        case .json: return try Schema(json: text)
        }
    }

    private func loadPolicies(_ url: URL, test: ConformanceTest) throws -> PolicySet {
        let text = try String(contentsOf: url, encoding: .utf8)
        var set = PolicySet()
        switch test.policyFormat {
        case .json:
            let document = try PolicyJSON.decodePolicySet(text)
            for p in document.staticPolicies + document.templates { try set.add(p) }
            for l in document.templateLinks { try set.link(template: l.templateID, as: l.newID, values: l.values) }
        case .cedar:
            for var p in try PolicyParser.parsePolicies(text) {
                if test.idsFromAnnotations, let id = p.annotation("id") { p.id = id }
                try set.add(p)
            }
        }
        for l in test.links { try set.link(template: l.templateID, as: l.newID, values: l.values) }
        return set
    }
}

extension ConformanceTest.ExpectedRequest {
    var expectedSummary: String {
        Self.summary(decision, reasons, errors)
    }

    static func summary(_ d: Decision, _ reasons: Set<PolicyID>?, _ errors: Set<PolicyID>?) -> String {
        var s = d.rawValue
        if let reasons { s += ", reasons \(reasons.sorted())" }
        if let errors { s += ", errors \(errors.sorted())" }
        return s
    }
}
