import Cedar
import Foundation

/// Claims as read from a token, with the times as the integers the token holds.
struct DecodedClaims: Sendable {
    var claims: TaskCredentialClaims
    var issuedAt: Int64
    var expiresAt: Int64
    var notBefore: Int64?
}

extension TaskCredentialClaims {
    /// The latest time a credential may carry (9999-12-31T23:59:59Z), so that every
    /// time converts to a `Date` and back exactly.
    static let maxTimestamp: Int64 = 253_402_300_799

    private static let knownClaims = ["iss", "sub", "aud", "jti", "iat", "exp", "nbf", "act"]
    private static let knownActorMembers = ["sub", "act"]

    // MARK: - Writing

    /// The claims set's JSON bytes, members in a fixed order.
    /// - Throws: `.invalidClaim` when a field cannot be written as a valid claim
    ///   (empty strings, an empty audience, times outside 1970…9999, an `act` chain
    ///   deeper than the limit), so that nothing is signed that `verify` would refuse.
    func encoded() throws(CredentialError) -> [UInt8] {
        try Self.requireNonEmpty(issuer, "iss")
        try Self.requireNonEmpty(agent, "sub")
        try Self.requireNonEmpty(taskID, "jti")
        guard !audience.isEmpty else { throw CredentialError(.invalidClaim, "`aud` is empty") }
        for member in audience { try Self.requireNonEmpty(member, "aud") }
        for actor in onBehalfOf { try Self.requireNonEmpty(actor, "act.sub") }
        guard onBehalfOf.count <= CredentialKeyRing.maxActorDepth else {
            throw CredentialError(
                .invalidClaim, "the on-behalf-of chain has \(onBehalfOf.count) entries; at most \(CredentialKeyRing.maxActorDepth) are allowed")
        }
        let iat = try Self.seconds(issuedAt, "iat")
        let exp = try Self.seconds(expiresAt, "exp")
        var object: JSONObject = [
            "iss": .string(issuer), "sub": .string(agent), "aud": .array(audience.map(JSON.string)),
            "jti": .string(taskID), "iat": .number(JSONNumber(iat)), "exp": .number(JSONNumber(exp)),
        ]
        if let act = onBehalfOf.reversed().reduce(nil, { (inner: JSON?, actor) -> JSON? in
            var member: JSONObject = ["sub": .string(actor)]
            if let inner { member.append("act", inner) }
            return .object(member)
        }) {
            object.append("act", act)
        }
        return JSON.object(object).encodedBytes()
    }

    /// Whole seconds since 1970, rounded down.
    static func seconds(_ date: Date, _ claim: String) throws(CredentialError) -> Int64 {
        let value = date.timeIntervalSince1970.rounded(.down)
        guard value >= 0, value <= Double(maxTimestamp) else {
            throw CredentialError(
                .invalidClaim, "`\(claim)` \(CredentialError.describe(date)) is outside 1970-01-01 … 9999-12-31")
        }
        return Int64(value)
    }

    private static func requireNonEmpty(_ value: String, _ claim: String) throws(CredentialError) {
        guard !value.isEmpty else { throw CredentialError(.invalidClaim, "`\(claim)` is empty") }
    }

    // MARK: - Reading

    /// Reads a decoded claims segment: only known claims, each of its type, strings
    /// not empty, times integers within 1970…9999. Says nothing about whether the
    /// issuer, audience or times are acceptable; `CredentialKeyRing.verify` does.
    static func decode(_ bytes: [UInt8]) throws(CredentialError) -> DecodedClaims {
        let object = try CredentialJSON.object(bytes, "the claims set")
        try CredentialJSON.rejectUnknownMembers(object, known: knownClaims, "the claims set")
        let issuedAt = try time(object, "iat")
        let expiresAt = try time(object, "exp")
        let notBefore = object["nbf"] == nil ? nil : try time(object, "nbf")
        let claims = TaskCredentialClaims(
            issuer: try string(object["iss"], "iss"), agent: try string(object["sub"], "sub"),
            audience: try audience(object["aud"]), taskID: try string(object["jti"], "jti"),
            onBehalfOf: try actors(object["act"]),
            issuedAt: Date(timeIntervalSince1970: TimeInterval(issuedAt)),
            expiresAt: Date(timeIntervalSince1970: TimeInterval(expiresAt)))
        return DecodedClaims(claims: claims, issuedAt: issuedAt, expiresAt: expiresAt, notBefore: notBefore)
    }

    private static func string(_ value: JSON?, _ claim: String) throws(CredentialError) -> String {
        switch value {
        case nil:
            throw CredentialError(.missingClaim, "the claims set has no `\(claim)`")
        case .string(let text)? where !text.isEmpty:
            return text
        case .string?:
            throw CredentialError(.invalidClaim, "`\(claim)` is empty")
        case let other?:
            throw CredentialError(.invalidClaim, "`\(claim)` is \(other.kindDescription), not a string")
        }
    }

    /// `aud`: one string or a non-empty array of strings (RFC 7519 §4.1.3).
    private static func audience(_ value: JSON?) throws(CredentialError) -> [String] {
        guard case .array(let members)? = value else { return [try string(value, "aud")] }
        guard !members.isEmpty else { throw CredentialError(.invalidClaim, "`aud` is an empty array") }
        var audience: [String] = []
        for member in members { audience.append(try string(member, "aud")) }
        return audience
    }

    /// A time claim: an integer number of seconds (`1e3`, `1.0`, `-0`, `"5"` refused).
    private static func time(_ object: JSONObject, _ claim: String) throws(CredentialError) -> Int64 {
        guard let value = object[claim] else {
            throw CredentialError(.missingClaim, "the claims set has no `\(claim)`")
        }
        guard case .number(let number) = value else {
            throw CredentialError(.invalidClaim, "`\(claim)` is \(value.kindDescription), not an integer")
        }
        guard let seconds = number.int64, seconds >= 0, seconds <= maxTimestamp else {
            throw CredentialError(
                .invalidClaim,
                "`\(claim)` is \(CredentialError.quoted(number.text)), not an integer number of seconds within 1970 … 9999")
        }
        return seconds
    }

    /// The `act` chain, outermost first: each level an object with a `sub` and,
    /// optionally, a nested `act` (RFC 8693 §4.1).
    private static func actors(_ value: JSON?) throws(CredentialError) -> [String] {
        var chain: [String] = []
        var next = value
        while let current = next {
            guard chain.count < CredentialKeyRing.maxActorDepth else {
                throw CredentialError(
                    .invalidClaim, "`act` nests deeper than \(CredentialKeyRing.maxActorDepth) levels")
            }
            guard case .object(let actor) = current else {
                throw CredentialError(.invalidClaim, "`act` is \(current.kindDescription), not an object")
            }
            try CredentialJSON.rejectUnknownMembers(actor, known: knownActorMembers, "an `act` object")
            chain.append(try string(actor["sub"], "act.sub"))
            next = actor["act"]
        }
        return chain
    }
}
