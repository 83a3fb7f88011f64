import Cedar

/// A property of the Cedar engine that an input broke: the fuzz entry points trap with
/// its description, so libFuzzer saves the input as a crash.
struct OracleFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// The properties the fuzz targets check on every input. Each `check…` function reads
/// the bytes as its target does and throws an `OracleFailure` when a property breaks.
/// Errors the engine throws for bad input are fine, as long as they are clear: a code,
/// a lowercase message of bounded length, and a location that agrees with the text.
///
/// `Tests/CedarTests/FuzzReplayTests.swift` replays the saved inputs through the same
/// properties, written there with `#expect`.
enum Oracle {
    /// The longest error message accepted: messages quote input, but shortened.
    static let maxMessageScalars = 1024

    // MARK: - Target 1: policy text

    /// Parses policy text; when it parses, the formatted text must parse back to the same
    /// policies, format to the same text again, and survive the JSON policy format.
    static func checkPolicyText(_ bytes: [UInt8]) throws(OracleFailure) {
        let text = String(decoding: bytes, as: UTF8.self)
        let policies: [Policy]
        do {
            policies = try PolicyParser.parsePolicies(text)
        } catch {
            try checkClear(error, in: text)
            return
        }
        try checkFormatRoundTrip(policies)
        try checkJSONRoundTrip(policies)
    }

    /// `parse(format(policies)) == policies`, and formatting is idempotent.
    static func checkFormatRoundTrip(_ policies: [Policy]) throws(OracleFailure) {
        let formatted = PolicyFormatter.format(policies)
        let reparsed: [Policy]
        do {
            reparsed = try PolicyParser.parsePolicies(formatted)
        } catch {
            throw OracleFailure("the formatted policies do not parse: \(error)\n--- formatted:\n\(formatted)")
        }
        guard reparsed == policies else {
            throw OracleFailure("the formatted policies parse to different policies: \(difference(policies, reparsed))")
        }
        let again = PolicyFormatter.format(reparsed)
        guard again == formatted else {
            throw OracleFailure("formatting is not idempotent\n--- first:\n\(formatted)\n--- second:\n\(again)")
        }
    }

    /// The policies, as a JSON policy set (templates apart), decode to themselves in
    /// canonical form (see `Canonical.swift`).
    static func checkJSONRoundTrip(_ policies: [Policy]) throws(OracleFailure) {
        let document = PolicyJSON.Document(
            staticPolicies: policies.filter { !$0.isTemplate }, templates: policies.filter(\.isTemplate))
        let encoded = PolicyJSON.encode(document)
        let decoded: PolicyJSON.Document
        do {
            // Text nests up to 128 expressions deep, and each level is two JSON levels.
            decoded = try PolicyJSON.decodePolicySet(encoded, limits: JSONLimits(maxDepth: 1024))
        } catch {
            throw OracleFailure("the policies' JSON form does not decode: \(error)\n--- JSON:\n\(encoded)")
        }
        guard decoded == document.canonical else {
            throw OracleFailure(
                "the policies' JSON form decodes to different policies: \(difference(document.canonical, decoded))")
        }
    }

    // MARK: - Target 2: policy JSON

    /// Decodes a JSON policy set; when it decodes, its encoding must decode to the same
    /// set (in canonical form, see `Canonical.swift`) and encode to the same text, and
    /// each policy must survive the text format.
    static func checkPolicyJSON(_ bytes: [UInt8]) throws(OracleFailure) {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let document = try parsed(text, { () throws(JSONError) in try PolicyJSON.decodePolicySet(text) })
        else { return }
        let encoded = PolicyJSON.encode(document)
        let decoded: PolicyJSON.Document
        do {
            decoded = try PolicyJSON.decodePolicySet(encoded)
        } catch {
            throw OracleFailure("the encoded policy set does not decode: \(error)\n--- JSON:\n\(encoded)")
        }
        guard decoded == document.canonical else {
            throw OracleFailure(
                "the encoded policy set decodes to a different set: \(difference(document.canonical, decoded))")
        }
        let again = PolicyJSON.encode(decoded)
        guard again == encoded else {
            throw OracleFailure("encoding is not idempotent\n--- first:\n\(encoded)\n--- second:\n\(again)")
        }
        for policy in document.staticPolicies + document.templates {
            try checkTextForm(of: policy)
        }
    }

    /// A policy read from JSON, formatted as text, parses back to itself.
    static func checkTextForm(of policy: Policy) throws(OracleFailure) {
        let formatted = PolicyFormatter.format(policy)
        let reparsed: Policy
        do {
            reparsed = try PolicyParser.parsePolicy(formatted, id: policy.id)
        } catch {
            throw OracleFailure("a JSON policy's text form does not parse: \(error)\n--- text:\n\(formatted)")
        }
        guard reparsed == policy else {
            throw OracleFailure(
                "a JSON policy's text form parses to a different policy: \(difference([policy], [reparsed]))"
                    + "\n--- text:\n\(formatted)")
        }
    }

    // MARK: - Target 3: entities or request JSON

    /// Reads the bytes as an entities file and as a request (at most one can succeed).
    /// Entities are written back and read again, then authorized against the fixed
    /// requests and requests between their own uids; a request is written back and read
    /// again, then authorized against the fixed entities.
    static func checkEntitiesOrRequest(_ bytes: [UInt8]) throws(OracleFailure) {
        let text = String(decoding: bytes, as: UTF8.self)
        if let entities = try parsed(text, { () throws(JSONError) in try EntityJSON.parseEntities(bytes) }) {
            try checkRoundTrip(entities)
            for request in FixedWorld.requests(over: entities) {
                try checkAuthorization(FixedWorld.authorizers, request, entities)
            }
        }
        if let request = try parsed(text, { () throws(JSONError) in try EntityJSON.parseRequest(text) }) {
            try checkRoundTrip(request)
            try checkAuthorization(FixedWorld.authorizers, request, FixedWorld.entities)
        }
    }

    /// Entities written as JSON read back to entities written identically. Writing may
    /// refuse, as Rust Cedar's does, a record with an escape key such as `__entity` (which
    /// reads as a record when the escape is incomplete).
    static func checkRoundTrip(_ entities: Entities) throws(OracleFailure) {
        guard let encoded = try written({ () throws(JSONError) in try EntityJSON.encode(entities) }) else { return }
        let again: String
        do {
            again = try EntityJSON.encode(EntityJSON.parseEntities(encoded))
        } catch {
            throw OracleFailure("written entities do not read back: \(error)\n--- JSON:\n\(encoded)")
        }
        guard again == encoded else {
            throw OracleFailure("entities change when written and read\n--- first:\n\(encoded)\n--- second:\n\(again)")
        }
    }

    /// A request written as JSON reads back equal; see `checkRoundTrip(_: Entities)`.
    static func checkRoundTrip(_ request: Request) throws(OracleFailure) {
        guard let encoded = try written({ () throws(JSONError) in try EntityJSON.encode(request) }) else { return }
        let decoded: Request
        do {
            decoded = try EntityJSON.parseRequest(encoded)
        } catch {
            throw OracleFailure("a written request does not read back: \(error)\n--- JSON:\n\(encoded)")
        }
        guard decoded == request else {
            throw OracleFailure("a request changes when written and read\n--- JSON:\n\(encoded)")
        }
    }

    /// The JSON `write` produces, or nil when it refuses a reserved record key.
    static func written(_ write: () throws(JSONError) -> String) throws(OracleFailure) -> String? {
        do {
            return try write()
        } catch where error.code == .reservedKey {
            return nil
        } catch {
            throw OracleFailure("values that were read cannot be written: \(error)")
        }
    }

    // MARK: - Target 4: the whole request path

    /// Splits the bytes at NUL into policy text, entities JSON and request JSON, parses
    /// them (broken entities become none, a broken request a fixed one), links every
    /// template to the request, and authorizes. The decision must not depend on the
    /// scope index, nor change when the policies go through the text or JSON format.
    static func checkRequestPath(_ bytes: [UInt8]) throws(OracleFailure) {
        let parts = bytes.split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false)
        func part(_ i: Int) -> [UInt8] { i < parts.count ? Array(parts[i]) : [] }
        let text = String(decoding: part(0), as: UTF8.self)
        let policies: [Policy]
        do {
            policies = try PolicyParser.parsePolicies(text)
        } catch {
            try checkClear(error, in: text)
            return
        }
        let entities = (try? EntityJSON.parseEntities(part(1))) ?? Entities()
        let request =
            (try? EntityJSON.parseRequest(String(decoding: part(2), as: UTF8.self))) ?? FixedWorld.request
        let response = try checkAuthorization(linkedAuthorizers(policies, for: request), request, entities)

        let reparsed = (try? PolicyParser.parsePolicies(PolicyFormatter.format(policies))) ?? []
        let viaText = linkedAuthorizers(reparsed, for: request).indexed.authorize(request, entities: entities)
        guard viaText == response else {
            throw OracleFailure("the decision changes when the policies are formatted and parsed again")
        }
        let document = PolicyJSON.Document(
            staticPolicies: policies.filter { !$0.isTemplate }, templates: policies.filter(\.isTemplate))
        let decoded = try? PolicyJSON.decodePolicySet(PolicyJSON.encode(document), limits: JSONLimits(maxDepth: 1024))
        let viaJSON = linkedAuthorizers((decoded?.staticPolicies ?? []) + (decoded?.templates ?? []), for: request)
            .indexed.authorize(request, entities: entities)
        guard viaJSON == response else {
            throw OracleFailure("the decision changes when the policies are encoded as JSON and decoded again")
        }
    }

    /// The policies as a set, with every template linked to the request's principal and
    /// resource under the id `<template>-link`, and authorizers with and without the index.
    static func linkedAuthorizers(_ policies: [Policy], for request: Request) -> AuthorizerPair {
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
        return AuthorizerPair(set)
    }

    // MARK: - Authorization

    /// Authorizes with and without the scope index, checks the two agree and that the
    /// response is consistent: allow exactly when a permit is satisfied and no forbid
    /// is, reasons of the deciding effect, and errors sorted, distinct and explained.
    @discardableResult
    static func checkAuthorization(
        _ authorizers: AuthorizerPair, _ request: Request, _ entities: Entities
    ) throws(OracleFailure) -> Response {
        let response = authorizers.indexed.authorize(request, entities: entities)
        let unindexed = authorizers.unindexed.authorize(request, entities: entities)
        guard response == unindexed else {
            throw OracleFailure(
                "the scope index changes the decision for \(request.principal), \(request.action), "
                    + "\(request.resource): \(response) with it, \(unindexed) without")
        }
        let reasonEffects = Set(response.reasons.compactMap { authorizers.effects[$0] })
        switch response.decision {
        case .allow:
            guard reasonEffects == [.permit] else {
                throw OracleFailure("an allow without permit reasons: \(response)")
            }
        case .deny:
            guard reasonEffects.isSubset(of: [.forbid]) else {
                throw OracleFailure("a deny with a permit among its reasons: \(response)")
            }
        }
        guard response.reasons == response.reasons.sorted(), Set(response.reasons).count == response.reasons.count
        else {
            throw OracleFailure("reasons are not sorted and distinct: \(response.reasons)")
        }
        let errorIDs = response.errors.map(\.policyID)
        guard errorIDs == errorIDs.sorted(), Set(errorIDs).isDisjoint(with: response.reasons) else {
            throw OracleFailure("errors are not sorted, or a policy both errored and decided: \(response)")
        }
        for failure in response.errors.map(\.error) where !isClear(failure.message) || failure.code.rawValue.isEmpty {
            throw OracleFailure("an unclear evaluation error: code `\(failure.code)`, message `\(failure.message)`")
        }
        return response
    }

    // MARK: - Reporting

    /// The first policy that differs between two documents, described.
    static func difference(_ expected: PolicyJSON.Document, _ found: PolicyJSON.Document) -> String {
        guard expected.templateLinks == found.templateLinks else {
            return "the template links differ: \(expected.templateLinks) and \(found.templateLinks)"
        }
        return difference(expected.staticPolicies + expected.templates, found.staticPolicies + found.templates)
    }

    /// The first policy that differs between two lists, described with both versions
    /// in JSON, which shows every part of a policy.
    static func difference(_ expected: [Policy], _ found: [Policy]) -> String {
        guard expected.count == found.count else { return "\(expected.count) policies became \(found.count)" }
        guard let (a, b) = zip(expected, found).first(where: { $0 != $1 }) else { return "no policy differs" }
        return "policy `\(a.id)` differs\n--- expected:\n\(PolicyJSON.encode(a))\n--- found (id `\(b.id)`):\n"
            + PolicyJSON.encode(b)
    }

    // MARK: - Clear errors

    /// The result of `parse`, or nil once the JSON error it threw is found clear.
    static func parsed<T>(_ text: String, _ parse: () throws(JSONError) -> T) throws(OracleFailure) -> T? {
        do {
            return try parse()
        } catch {
            try checkClear(error, in: text)
            return nil
        }
    }

    /// A message is clear when it is not empty, does not start with a capital letter and
    /// is not overly long.
    static func isClear(_ message: String) -> Bool {
        guard let first = message.unicodeScalars.first else { return false }
        return !first.properties.isUppercase && message.unicodeScalars.count <= maxMessageScalars
    }

    /// A parse error has a code, a clear message, and a line and column that match its
    /// offset in `text`.
    static func checkClear(_ error: ParseError, in text: String) throws(OracleFailure) {
        guard !error.code.rawValue.isEmpty, isClear(error.message) else {
            throw OracleFailure("an unclear parse error: code `\(error.code)`, message `\(error.message)`")
        }
        try checkLocation(error.location, in: text, of: "\(error)")
    }

    /// A JSON error has a code, a clear message, and either a path or a location that
    /// matches its offset in `text`.
    static func checkClear(_ error: JSONError, in text: String) throws(OracleFailure) {
        guard !error.code.rawValue.isEmpty, isClear(error.message) else {
            throw OracleFailure("an unclear JSON error: code `\(error.code)`, message `\(error.message)`")
        }
        if let location = error.location {
            try checkLocation(location, in: text, of: "\(error)")
        } else if error.path == nil {
            throw OracleFailure("a JSON error with neither a location nor a path: \(error)")
        }
    }

    /// `location.offset` is within `text`, and its line and column count the newlines
    /// before it and the Unicode scalars since the last one.
    static func checkLocation(_ location: SourceLocation, in text: String, of error: String) throws(OracleFailure) {
        let utf8 = Array(text.utf8)
        guard location.offset >= 0, location.offset <= utf8.count else {
            throw OracleFailure("an error located outside the text (\(utf8.count) bytes): \(error)")
        }
        let before = utf8[..<location.offset]
        let line = before.count { $0 == UInt8(ascii: "\n") } + 1
        let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        let column = utf8[lineStart..<location.offset].count { $0 & 0xC0 != 0x80 } + 1
        guard location.line == line, location.column == column else {
            throw OracleFailure(
                "an error at offset \(location.offset) is reported at \(location), but that offset is at "
                    + "\(line):\(column): \(error)")
        }
    }
}

/// An authorizer with the scope index, one without, and each policy's effect.
struct AuthorizerPair: Sendable {
    let indexed: Authorizer
    let unindexed: Authorizer
    let effects: [PolicyID: Effect]

    init(_ set: PolicySet) {
        indexed = Authorizer(set)
        unindexed = Authorizer(set, configuration: Authorizer.Configuration(scopeIndex: false))
        effects = Dictionary(set.policies.map { ($0.id, $0.effect) }) { first, _ in first }
    }
}
