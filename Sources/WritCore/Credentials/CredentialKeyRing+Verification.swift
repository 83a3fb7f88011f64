import Crypto
import Foundation

extension CredentialKeyRing {
    /// The claims of `token` if it is a credential this ring issued for `audience`
    /// and valid at `now`; otherwise the first reason it is not.
    ///
    /// Checks, in this order (RFC 8725): length; exactly three segments (so no JWS
    /// JSON serialization); each segment canonical base64url; the header (see
    /// `JOSEHeader.decode`); the key `kid` names, looked up only in this ring; the
    /// Ed25519 signature over the first two segments. Only then are the claims read:
    /// known members only, `iss` equal to `issuer`, `audience` among `aud`, `exp`
    /// after `iat` by at most `maxLifetime`, `now < exp + leeway`, and `nbf` and `iat`
    /// no later than `now + leeway`.
    ///
    /// A token that passed every check once skips the decoding and the signature on
    /// later calls (see `VerifiedCredentialCache`); the key's retirement, the issuer,
    /// audience and time checks run on every call.
    ///
    /// Token bytes are canonical here (one encoding per header, claims set and
    /// signature), but revocation must still key on `taskID`, never on the token.
    public func verify(_ token: String, audience: String, now: Date) throws(CredentialError) -> TaskCredentialClaims {
        guard token.utf8.count <= Self.maxTokenBytes else {
            throw CredentialError(
                .tooLarge, "the credential is \(token.utf8.count) bytes, more than \(Self.maxTokenBytes)")
        }
        let bytes = Array(token.utf8)
        if let cached = cache.entry(for: bytes) {
            _ = try verificationKey(cached.kid, now: now)
            try check(cached.claims, audience: audience, now: now)
            return cached.claims.claims
        }
        let dots = bytes.indices.filter { bytes[$0] == UInt8(ascii: ".") }
        guard dots.count == 2 else {
            throw CredentialError(
                .malformed, "the credential has \(dots.count + 1) segments; a compact JWS has exactly 3")
        }
        let headerBytes = try Self.segment(bytes[..<dots[0]], "header")
        let payloadBytes = try Self.segment(bytes[(dots[0] + 1)..<dots[1]], "claims")
        let signature = try Self.segment(bytes[(dots[1] + 1)...], "signature")

        let header = try JOSEHeader.decode(headerBytes)
        let key = try verificationKey(header.kid, now: now)
        guard signature.count == 64, key.publicKey.isValidSignature(signature, for: bytes[..<dots[1]]) else {
            throw CredentialError(.badSignature, "the signature does not verify with the key `\(key.id)`")
        }

        let decoded = try TaskCredentialClaims.decode(payloadBytes)
        try check(decoded, audience: audience, now: now)
        cache.insert(.init(kid: key.id, claims: decoded), for: bytes)
        return decoded.claims
    }

    /// The bytes a segment encodes; `.invalidEncoding` unless it is canonical base64url.
    private static func segment(_ text: ArraySlice<UInt8>, _ name: String) throws(CredentialError) -> [UInt8] {
        guard let bytes = Base64URL.decode(text) else {
            throw CredentialError(
                .invalidEncoding,
                "the \(name) segment is not canonical unpadded base64url (RFC 7515 §2): padding, characters outside [A-Za-z0-9_-], or non-zero unused bits")
        }
        return bytes
    }

    /// The claim checks that depend on the ring and the caller.
    private func check(_ decoded: DecodedClaims, audience: String, now: Date) throws(CredentialError) {
        let claims = decoded.claims
        guard claims.issuer.unicodeScalars.elementsEqual(issuer.unicodeScalars) else {
            throw CredentialError(
                .wrongIssuer, "`iss` is \(CredentialError.quoted(claims.issuer)), not `\(issuer)`")
        }
        guard claims.audience.contains(where: { $0.unicodeScalars.elementsEqual(audience.unicodeScalars) }) else {
            throw CredentialError(
                .wrongAudience, "`aud` does not contain \(CredentialError.quoted(audience))")
        }
        try checkLifetime(issuedAt: decoded.issuedAt, expiresAt: decoded.expiresAt)
        // Whole seconds, rounded down: for an integer t, now < t ⇔ ⌊now⌋ < t and
        // now ≥ t ⇔ ⌊now⌋ ≥ t, so the comparisons below are exact.
        let seconds = now.timeIntervalSince1970.rounded(.down)
        guard !seconds.isNaN else { throw CredentialError(.expired, "the verification time is not a number") }
        // Far beyond every timestamp either way, and far from overflowing.
        let limit = 2 * Double(TaskCredentialClaims.maxTimestamp)
        let nowSeconds = Int64(seconds < -limit ? -limit : seconds > limit ? limit : seconds)
        guard nowSeconds - leewaySeconds < decoded.expiresAt else {
            throw CredentialError(
                .expired, "the credential expired at \(decoded.expiresAt) (leeway \(leewaySeconds) s, now \(nowSeconds))")
        }
        if let notBefore = decoded.notBefore, notBefore > nowSeconds + leewaySeconds {
            throw CredentialError(
                .notYetValid, "`nbf` \(notBefore) is later than now \(nowSeconds) plus the leeway of \(leewaySeconds) s")
        }
        guard decoded.issuedAt <= nowSeconds + leewaySeconds else {
            throw CredentialError(
                .notYetValid,
                "`iat` \(decoded.issuedAt) is later than now \(nowSeconds) plus the leeway of \(leewaySeconds) s")
        }
    }
}
