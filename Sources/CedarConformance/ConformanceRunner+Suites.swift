import Cedar
import Foundation

extension ConformanceRunner {
    static let schemaActionsReason = "needs the action hierarchy from the schema (the entities file lacks the action)"
    static let schemaParsingReason = "needs schema-based parsing of entities or context (implicit entity or extension forms)"

    func runIntegrationFile(_ url: URL, into report: inout ConformanceReport) {
        let name = relativeName(url)
        let test: ConformanceTest
        do {
            guard let loaded = try ConformanceTest.integrationTest(file: url, name: name, resolve: { resolve($0, from: url) })
            else { return }
            test = loaded
        } catch {
            report.loadErrors.append("\(error)")
            return
        }
        let rawJSON = (try? String(contentsOf: url, encoding: .utf8)).flatMap { try? JSON.parse($0) }
        run(test, from: url, rawTest: rawJSON, into: &report)
    }

    func run(_ test: ConformanceTest, from url: URL, rawTest: JSON?, into report: inout ConformanceReport) {
        guard let policiesURL = resolve(test.policiesPath, from: url),
              let entitiesURL = resolve(test.entitiesPath, from: url)
        else {
            report.loadErrors.append("\(test.name): cannot find `\(test.policiesPath)` or `\(test.entitiesPath)`")
            return
        }
        let entitiesText = (try? String(contentsOf: entitiesURL, encoding: .utf8)) ?? ""
        if test.schemaPath != nil, !capabilities.schemaBasedParsing {
            let entitiesJSON = try? JSON.parse(entitiesText)
            if entitiesJSON.map(ImplicitForms.appearInEntities) ?? false
                || rawTest.map(ImplicitForms.appearInContexts) ?? false
            {
                report.notApplicable[Self.schemaParsingReason, default: 0] += test.requests.count
                return
            }
        }
        let authorizer: Authorizer
        let entities: Entities
        do {
            authorizer = Authorizer(try loadPolicies(policiesURL, test: test))
            entities = try EntityJSON.parseEntities(entitiesText)
        } catch {
            for r in test.requests {
                report.record(false, failure: .init(
                    test: test.name, request: r.description, expected: r.expectedSummary,
                    actual: "could not load the test: \(error)"))
            }
            return
        }
        for r in test.requests {
            let response = authorizer.authorize(r.request, entities: entities)
            let errorIDs = Set(response.errors.map(\.policyID))
            let ok = response.decision == r.decision
                && (r.reasons.map { $0 == Set(response.reasons) } ?? true)
                && (r.errors.map { $0 == errorIDs } ?? true)
            // Without a schema the action's groups are unknown when the entities file
            // leaves the action out; a mismatch then says nothing about the engine.
            if !ok, test.schemaPath != nil, !capabilities.schemaBasedParsing, entities[r.request.action] == nil {
                report.notApplicable[Self.schemaActionsReason, default: 0] += 1
                continue
            }
            report.record(ok, failure: .init(
                test: test.name, request: r.description, expected: r.expectedSummary,
                actual: ConformanceTest.ExpectedRequest.summary(response.decision, Set(response.reasons), errorIDs)
                    + response.errors.map { " [\($0.policyID): \($0.error.message)]" }.joined()))
        }
    }

    private func loadPolicies(_ url: URL, test: ConformanceTest) throws -> PolicySet {
        let text = try String(contentsOf: url, encoding: .utf8)
        var set = PolicySet()
        if url.pathExtension == "json" {
            let document = try PolicyJSON.decodePolicySet(text)
            for p in document.staticPolicies + document.templates { try set.add(p) }
            for l in document.templateLinks { try set.link(template: l.templateID, as: l.newID, values: l.values) }
        } else {
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

/// Detects the JSON forms whose meaning depends on a schema: a record shaped like an
/// entity reference (`{"type", "id"}`) or an extension call (`{"fn", "arg"}`).
enum ImplicitForms {
    static func appearInEntities(_ json: JSON) -> Bool {
        guard case .array(let entities) = json else { return false }
        for case .object(let e) in entities {
            if let attrs = e["attrs"], appear(in: attrs) { return true }
            if let tags = e["tags"], appear(in: tags) { return true }
        }
        return false
    }

    static func appearInContexts(_ test: JSON) -> Bool {
        guard case .object(let o) = test, case .array(let requests)? = o["requests"] else { return false }
        for case .object(let r) in requests {
            if let c = r["context"], appear(in: c) { return true }
        }
        return false
    }

    static func appear(in json: JSON) -> Bool {
        switch json {
        case .array(let a): return a.contains(where: appear)
        case .object(let o):
            let keys = Set(o.keys)
            if keys == ["type", "id"] || keys == ["fn", "arg"] || keys == ["fn", "args"] { return true }
            if keys == ["__entity"] || keys == ["__extn"] { return false }
            return o.contains { appear(in: $0.value) }
        default: return false
        }
    }
}
