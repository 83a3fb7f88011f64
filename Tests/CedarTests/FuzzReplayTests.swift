import Foundation
import Testing

@testable import Cedar

/// Replays the inputs the libFuzzer targets in `Fuzz/` saved under `Fixtures/fuzz/`:
/// the findings (`finding-*`, each the minimised input that once broke a property: a
/// bug since fixed, or a property refined) and a coverage-diverse selection of the
/// generated corpus (`corpus-*`). Each target's inputs go through the properties that
/// target checks (`Fuzz/Sources/Oracle.swift`): no crash, round trips that hold,
/// decisions that do not depend on the scope index or the policy format, and clear
/// errors.
@Suite struct FuzzReplay {
    @Test(arguments: FuzzInputs.saved("policy-text"))
    func policyTextRoundTripsOrFailsClearly(_ input: FuzzInputs.Input) throws {
        let text = input.text
        let policies: [Policy]
        do {
            policies = try PolicyParser.parsePolicies(text)
        } catch {
            expectClear(error, in: text)
            return
        }
        let formatted = PolicyFormatter.format(policies)
        let reparsed = try PolicyParser.parsePolicies(formatted)
        #expect(reparsed == policies)
        #expect(PolicyFormatter.format(reparsed) == formatted)

        let document = PolicyJSON.Document(
            staticPolicies: policies.filter { !$0.isTemplate }, templates: policies.filter(\.isTemplate))
        let decoded = try PolicyJSON.decodePolicySet(PolicyJSON.encode(document), limits: JSONLimits(maxDepth: 1024))
        #expect(decoded == document.canonical)
    }

    @Test(arguments: FuzzInputs.saved("policy-json"))
    func policyJSONRoundTripsOrFailsClearly(_ input: FuzzInputs.Input) throws {
        let text = input.text
        guard let document = readOrExpectClear(text, { () throws(JSONError) in try PolicyJSON.decodePolicySet(text) })
        else { return }
        let encoded = PolicyJSON.encode(document)
        let decoded = try PolicyJSON.decodePolicySet(encoded)
        #expect(decoded == document.canonical)
        #expect(PolicyJSON.encode(decoded) == encoded)
        for policy in document.staticPolicies + document.templates {
            #expect(try PolicyParser.parsePolicy(PolicyFormatter.format(policy), id: policy.id) == policy)
        }
    }

    @Test(arguments: FuzzInputs.saved("entities-request"))
    func entitiesAndRequestsRoundTripAndDecideConsistently(_ input: FuzzInputs.Input) throws {
        let text = input.text
        let bytes = input.bytes
        if let entities = readOrExpectClear(text, { () throws(JSONError) in try EntityJSON.parseEntities(bytes) }) {
            if let encoded = try writtenUnlessReserved({ () throws(JSONError) in try EntityJSON.encode(entities) }) {
                #expect(try EntityJSON.encode(EntityJSON.parseEntities(encoded)) == encoded)
            }
            for request in FuzzWorld.requests(over: entities) {
                expectConsistentDecision(FuzzWorld.policies, request, entities)
            }
        }
        if let request = readOrExpectClear(text, { () throws(JSONError) in try EntityJSON.parseRequest(text) }) {
            if let encoded = try writtenUnlessReserved({ () throws(JSONError) in try EntityJSON.encode(request) }) {
                #expect(try EntityJSON.parseRequest(encoded) == request)
            }
            expectConsistentDecision(FuzzWorld.policies, request, FuzzWorld.entities)
        }
    }

    @Test(arguments: FuzzInputs.saved("request-path"))
    func requestPathDecidesAlikeThroughEveryFormat(_ input: FuzzInputs.Input) throws {
        let parts = input.bytes.split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false)
        func part(_ i: Int) -> [UInt8] { i < parts.count ? Array(parts[i]) : [] }
        let text = String(decoding: part(0), as: UTF8.self)
        let policies: [Policy]
        do {
            policies = try PolicyParser.parsePolicies(text)
        } catch {
            expectClear(error, in: text)
            return
        }
        let entities = (try? EntityJSON.parseEntities(part(1))) ?? Entities()
        let request =
            (try? EntityJSON.parseRequest(String(decoding: part(2), as: UTF8.self))) ?? FuzzWorld.request
        let response = expectConsistentDecision(linked(policies, for: request), request, entities)

        let reparsed = try PolicyParser.parsePolicies(PolicyFormatter.format(policies))
        #expect(Authorizer(linked(reparsed, for: request)).authorize(request, entities: entities) == response)
        let document = PolicyJSON.Document(
            staticPolicies: policies.filter { !$0.isTemplate }, templates: policies.filter(\.isTemplate))
        let decoded = try PolicyJSON.decodePolicySet(PolicyJSON.encode(document), limits: JSONLimits(maxDepth: 1024))
        let viaJSON = Authorizer(linked(decoded.staticPolicies + decoded.templates, for: request))
        #expect(viaJSON.authorize(request, entities: entities) == response)
    }

    @Test func everyFindingIsSaved() {
        let names = ["policy-text", "policy-json", "entities-request", "request-path"].flatMap { target in
            FuzzInputs.saved(target).map { "\(target)/\($0.name)" }.filter { $0.contains("/finding-") }
        }
        #expect(
            names.sorted() == [
                "entities-request/finding-datetime-beyond-year-9999.json",
                "entities-request/finding-record-with-reserved-key.json",
                "policy-json/finding-action-in-one-element-list.json",
                "policy-json/finding-long-input-quoted-in-error-message.json",
                "policy-text/finding-long-escaped-uid-quoted-in-error-message.cedar",
                "policy-text/finding-unsorted-annotations-and-record-keys.cedar",
                "request-path/finding-long-attribute-quoted-in-error-message",
                "request-path/finding-record-fields-evaluated-out-of-key-order",
            ])
    }
}

/// The bugs the fuzzers found, each pinned by its exact behaviour.
@Suite struct FuzzFindings {
    static let request = Request(
        principal: EntityUID("User", "a"), action: EntityUID("Action", "v"), resource: EntityUID("R", "r"))

    @Test func jsonActionInOneElementListEqualsActionIn() throws {
        let json = #"{"effect": "permit", "principal": {"op": "All"}, "resource": {"op": "All"}, "conditions": [], "#
            + #""action": {"op": "in", "entities": [{"type": "Action", "id": "view"}]}}"#
        let policy = try PolicyJSON.decodePolicy(json, id: "policy0")
        #expect(policy.action == .in(EntityUID("Action", "view")))
        #expect(try PolicyParser.parsePolicy(#"permit (principal, action in [Action::"view"], resource);"#) == policy)
    }

    @Test func parseErrorMessageKeepsItsEndsWithin512Scalars() {
        let id = String(repeating: #"\u{1d}"#, count: 200)
        let error = #expect(throws: ParseError.self) {
            try PolicyParser.parsePolicy(#"permit (principal, action in [Actoin::"\#(id)"], resource);"#)
        }
        let prefix = #"expected an entity uid with type `Action` but got `Actoin::""#
        let quoted = String(repeating: #"\u{1d}"#, count: 100)
        let message = prefix + quoted.prefix(255 - prefix.count) + "…" + quoted.suffix(254) + #""`"#
        #expect(error?.message == message)
        #expect(error?.code == .invalidScope)
    }

    @Test func jsonErrorMessageKeepsItsEndsWithin512Scalars() {
        let name = String(repeating: "1", count: 1100)
        let error = #expect(throws: JSONError.self) {
            try EntityJSON.parseValue(#"{"__entity": {"type": "\#(name)", "id": "x"}}"#)
        }
        let prefix = "invalid entity type name `"
        let head = prefix + String(repeating: "1", count: 255 - prefix.count)
        let message = head + "…" + String(repeating: "1", count: 255) + "`"
        #expect(error?.message == message)
    }

    @Test func evaluationErrorMessageKeepsItsEndsWithin512Scalars() throws {
        let attribute = String(repeating: "a", count: 1500)
        let policies = try PolicySet(
            PolicyParser.parsePolicies("permit (principal, action, resource) when { context.\(attribute) };"))
        let response = Authorizer(policies).authorize(FuzzFindings.request, entities: Entities())
        let prefix = "record does not have the attribute `"
        let head = prefix + String(repeating: "a", count: 255 - prefix.count)
        let message = head + "…" + String(repeating: "a", count: 255) + "`"
        #expect(response.errors.map(\.error.message) == [message])
    }

    @Test func recordLiteralReportsTheErrorOfItsFirstKey() throws {
        // Rust Cedar evaluates a record literal in key order: `a` fails first.
        let text = #"permit (principal, action, resource) when { {b: 1 + "x", a: context.nope} == {} };"#
        let policies = try PolicySet(PolicyParser.parsePolicies(text))
        let response = Authorizer(policies).authorize(FuzzFindings.request, entities: Entities())
        #expect(response.errors.map(\.error.code) == [.attributeNotFound])
        #expect(response.errors.map(\.error.message) == ["record does not have the attribute `nope`"])
    }

    @Test func datetimeBeyondYear9999IsWrittenAsAnOffsetFromTheEpoch() throws {
        let context = try EntityJSON.parseContext(
            #"{"t": {"__extn": {"fn": "offset", "args": [{"__extn": {"fn": "datetime", "arg": "9999-12-31"}}, "#
                + #"{"__extn": {"fn": "duration", "arg": "2d"}}]}}}"#)
        let written = try EntityJSON.encode(Value.record(context))
        #expect(
            written == #"{"t":{"__extn":{"fn":"offset","args":[{"__extn":{"fn":"datetime","arg":"1970-01-01"}},"#
                + #"{"__extn":{"fn":"duration","arg":"253402387200000ms"}}]}}}"#)
        #expect(try EntityJSON.parseValue(written) == .record(context))
    }

    @Test func datetimeWithinYear9999IsWrittenAsALiteral() throws {
        let value = try EntityJSON.parseValue(#"{"__extn": {"fn": "datetime", "arg": "9999-12-31T23:59:59.999Z"}}"#)
        #expect(try EntityJSON.encode(value) == #"{"__extn":{"fn":"datetime","arg":"9999-12-31T23:59:59.999Z"}}"#)
    }
}

// MARK: - Inputs and the fixed world

/// The saved inputs of each fuzz target, in `Fixtures/fuzz/<target>/`.
enum FuzzInputs {
    /// One saved input.
    struct Input: Sendable, CustomTestStringConvertible {
        let name: String
        let bytes: [UInt8]
        /// The bytes as the targets read text: invalid UTF-8 becomes U+FFFD.
        var text: String { String(decoding: bytes, as: UTF8.self) }
        var testDescription: String { name }
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/fuzz")

    /// Every input saved for `target`, by name.
    static func saved(_ target: String) -> [Input] {
        let folder = root.appendingPathComponent(target)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().compactMap { name in
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) else {
                return nil
            }
            return Input(name: name, bytes: Array(data))
        }
    }
}

/// The fixed policies, entities and context of the entities-request target, from
/// `Fixtures/fuzz/world/` (see `Fuzz/Sources/FixedWorld.swift`).
enum FuzzWorld {
    static let folder = FuzzInputs.root.appendingPathComponent("world")

    static let policies: PolicySet = {
        var set = (try? PolicySet(PolicyParser.parsePolicies(read("policies.cedar")))) ?? PolicySet()
        for template in set.templates {
            try? set.link(
                template: template.id, as: template.id + "-link",
                values: [.principal: EntityUID("User", "alice"), .resource: EntityUID("Album", "public")])
        }
        return set
    }()

    static let entities = (try? EntityJSON.parseEntities(read("entities.json"))) ?? Entities()

    static let request = Request(
        principal: EntityUID("User", "alice"), action: EntityUID("Action", "view"), resource: EntityUID("Photo", "p"),
        context: (try? EntityJSON.parseContext(read("context.json"))) ?? Record())

    /// The fixed request, then requests between the first three entities by uid.
    static func requests(over entities: Entities) -> [Request] {
        let uids = entities.all.map(\.uid).sorted()
        let action = uids.first { $0.type.isAction } ?? request.action
        let chosen = uids.prefix(3)
        return [request]
            + chosen.flatMap { principal in
                chosen.map { Request(principal: principal, action: action, resource: $0, context: request.context) }
            }
    }

    private static func read(_ name: String) -> String {
        (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)) ?? ""
    }
}

@Suite struct FuzzWorldFiles {
    @Test func load() {
        #expect(FuzzWorld.policies.policies.count == 13)
        #expect(FuzzWorld.policies.templates.count == 1)
        #expect(FuzzWorld.entities.count == 6)
        #expect(FuzzWorld.request.context.count == 13)
    }
}

// MARK: - Checks

/// `policies` as a set, every template linked to the request's principal and resource.
private func linked(_ policies: [Policy], for request: Request) -> PolicySet {
    var set = PolicySet()
    for policy in policies {
        try? set.add(policy)
    }
    for template in set.templates {
        var values: [SlotID: EntityUID] = [:]
        for slot in template.slots {
            values[slot] = slot == .principal ? request.principal : request.resource
        }
        try? set.link(template: template.id, as: template.id + "-link", values: values)
    }
    return set
}

/// Decides `request` with and without the scope index, expecting the same response, and
/// one that is consistent: allow exactly on permit reasons, deny reasons only forbids,
/// reasons and errors sorted and apart, every error explained.
@discardableResult
private func expectConsistentDecision(_ policies: PolicySet, _ request: Request, _ entities: Entities) -> Response {
    let response = Authorizer(policies).authorize(request, entities: entities)
    let unindexed = Authorizer(policies, configuration: Authorizer.Configuration(scopeIndex: false))
    #expect(unindexed.authorize(request, entities: entities) == response)
    let effects = Dictionary(policies.policies.map { ($0.id, $0.effect) }) { first, _ in first }
    let reasonEffects = Set(response.reasons.compactMap { effects[$0] })
    if response.decision == .allow {
        #expect(reasonEffects == [.permit])
    } else {
        #expect(reasonEffects.isSubset(of: [.forbid]))
    }
    #expect(response.reasons == response.reasons.sorted())
    let errorIDs = response.errors.map(\.policyID)
    #expect(errorIDs == errorIDs.sorted())
    #expect(Set(errorIDs).isDisjoint(with: response.reasons))
    for error in response.errors {
        #expect(isClear(error.error.message))
    }
    return response
}

/// The JSON `write` produces, or nil when it refuses a reserved record key (as Rust
/// Cedar does for a record such as `{"__entity": {"type": "T"}}`).
private func writtenUnlessReserved(_ write: () throws(JSONError) -> String) throws -> String? {
    do {
        return try write()
    } catch where error.code == .reservedKey {
        return nil
    }
}

/// What `read` returns, or nil once the error it threw is found clear.
private func readOrExpectClear<T>(_ text: String, _ read: () throws(JSONError) -> T) -> T? {
    do {
        return try read()
    } catch {
        expectClear(error, in: text)
        return nil
    }
}

private func isClear(_ message: String) -> Bool {
    guard let first = message.unicodeScalars.first else { return false }
    return !first.properties.isUppercase && message.unicodeScalars.count <= 1024
}

private func expectClear(_ error: ParseError, in text: String) {
    #expect(isClear(error.message), "\(error)")
    expectLocation(error.location, in: text)
}

private func expectClear(_ error: JSONError, in text: String) {
    #expect(isClear(error.message), "\(error)")
    if let location = error.location {
        expectLocation(location, in: text)
    } else {
        #expect(error.path != nil, "\(error)")
    }
}

/// The line and column count the newlines before the offset and the scalars since.
private func expectLocation(_ location: Cedar.SourceLocation, in text: String) {
    let utf8 = Array(text.utf8)
    guard location.offset >= 0, location.offset <= utf8.count else {
        Issue.record("offset \(location.offset) is outside the \(utf8.count) bytes of the text")
        return
    }
    let before = utf8[..<location.offset]
    let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
    #expect(location.line == before.count { $0 == UInt8(ascii: "\n") } + 1)
    #expect(location.column == utf8[lineStart..<location.offset].count { $0 & 0xC0 != 0x80 } + 1)
}

// MARK: - Canonical form

// What the JSON policy format keeps of a policy, as Rust Cedar's AST does: annotations
// and record literal keys sorted (see `Fuzz/Sources/Canonical.swift`).

extension PolicyJSON.Document {
    fileprivate var canonical: PolicyJSON.Document {
        PolicyJSON.Document(
            staticPolicies: staticPolicies.map(\.canonical), templates: templates.map(\.canonical),
            templateLinks: templateLinks)
    }
}

extension Policy {
    fileprivate var canonical: Policy {
        var copy = self
        copy.annotations = annotations.sorted { $0.key.scalarsLess($1.key) }
        copy.conditions = conditions.map { Condition($0.kind, $0.body.canonical) }
        return copy
    }
}

extension Expr {
    fileprivate var canonical: Expr {
        let kind: Kind
        switch self.kind {
        case .value, .variable, .slot: return self
        case .not(let e): kind = .not(e.canonical)
        case .negate(let e): kind = .negate(e.canonical)
        case .binary(let op, let a, let b): kind = .binary(op, a.canonical, b.canonical)
        case .and(let a, let b): kind = .and(a.canonical, b.canonical)
        case .or(let a, let b): kind = .or(a.canonical, b.canonical)
        case .ifThenElse(let c, let t, let e): kind = .ifThenElse(c.canonical, then: t.canonical, else: e.canonical)
        case .getAttribute(let e, let attribute): kind = .getAttribute(e.canonical, attribute)
        case .hasAttribute(let e, let attribute): kind = .hasAttribute(e.canonical, attribute)
        case .like(let e, let pattern): kind = .like(e.canonical, pattern)
        case .isType(let e, let type, let other): kind = .isType(e.canonical, type, in: other?.canonical)
        case .set(let elements): kind = .set(elements.map(\.canonical))
        case .record(let fields):
            kind = .record(
                fields.map { RecordField(key: $0.key, value: $0.value.canonical) }
                    .sorted { $0.key.scalarsLess($1.key) })
        case .isEmpty(let e): kind = .isEmpty(e.canonical)
        case .call(let name, let arguments): kind = .call(name, arguments.map(\.canonical))
        }
        return Expr(kind, span: span)
    }
}
