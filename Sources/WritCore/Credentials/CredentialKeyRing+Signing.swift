import Crypto
import Foundation

extension CredentialKeyRing {
    /// The bytes every detached signature covers before the payload. They contain a
    /// NUL, which no JWS signing input can, so a detached signature is never a valid
    /// credential signature, whatever the payload.
    public static let detachedSignatureContext: [UInt8] = Array("writ-detached-signature-v1".utf8) + [0]

    /// A compact JWS for `claims`, signed with the newest key that is not retired.
    /// Times are written in whole seconds, rounded down.
    /// - Throws: `.noSigningKey` when the ring has no such key; `.wrongIssuer` when
    ///   `claims.issuer` is not the ring's; `.invalidClaim` for claims `verify` would
    ///   refuse (empty strings or audience, `exp` not after `iat`, times outside
    ///   1970…9999, an `act` chain deeper than `maxActorDepth`); `.lifetimeTooLong`
    ///   when `exp - iat` exceeds `maxLifetime`; `.tooLarge` when the token would be
    ///   longer than `maxTokenBytes`.
    public func sign(_ claims: TaskCredentialClaims) throws(CredentialError) -> String {
        guard let key = signingKey else {
            throw CredentialError(.noSigningKey, "the key ring has no key that is not retired")
        }
        guard claims.issuer.unicodeScalars.elementsEqual(issuer.unicodeScalars) else {
            throw CredentialError(
                .wrongIssuer, "the claims name the issuer \(CredentialError.quoted(claims.issuer)), not `\(issuer)`")
        }
        let payload = try claims.encoded()
        let issuedAt = try TaskCredentialClaims.seconds(claims.issuedAt, "iat")
        let expiresAt = try TaskCredentialClaims.seconds(claims.expiresAt, "exp")
        try checkLifetime(issuedAt: issuedAt, expiresAt: expiresAt)
        let signingInput = Base64URL.encode(JOSEHeader(kid: key.id).encoded()) + "." + Base64URL.encode(payload)
        let token = signingInput + "." + Base64URL.encode(try signature(Array(signingInput.utf8), with: key))
        guard token.utf8.count <= Self.maxTokenBytes else {
            throw CredentialError(
                .tooLarge, "the credential would be \(token.utf8.count) bytes, more than \(Self.maxTokenBytes)")
        }
        return token
    }

    /// Signs `detachedSignatureContext + payload` with the key `sign` uses, for
    /// documents such as task-close receipts. Verify with `verifyDetached`, or with the
    /// JWKS key `kid` over the same concatenation.
    /// - Throws: `.noSigningKey` when the ring has no key that is not retired.
    public func signDetached(_ payload: [UInt8]) throws(CredentialError) -> (kid: String, signature: [UInt8]) {
        guard let key = signingKey else {
            throw CredentialError(.noSigningKey, "the key ring has no key that is not retired")
        }
        return (key.id, try signature(Self.detachedSignatureContext + payload, with: key))
    }

    /// Checks a signature made by `signDetached`, with the same key rules as `verify`.
    /// - Throws: `.invalidKID`, `.unknownKey` (also for a key retired longer than the
    ///   grace period before `now`) or `.badSignature`.
    public func verifyDetached(
        _ payload: [UInt8], kid: String, signature: [UInt8], now: Date
    ) throws(CredentialError) {
        guard JOSEHeader.isValidKID(kid) else {
            throw CredentialError(.invalidKID, "the key id \(CredentialError.quoted(kid)) is not a valid key id")
        }
        let key = try verificationKey(kid, now: now)
        guard signature.count == 64,
            key.publicKey.isValidSignature(signature, for: Self.detachedSignatureContext + payload)
        else {
            throw CredentialError(.badSignature, "the signature does not verify with the key `\(kid)`")
        }
    }

    /// `exp` after `iat`, by no more than `maxLifetime`.
    func checkLifetime(issuedAt: Int64, expiresAt: Int64) throws(CredentialError) {
        guard expiresAt > issuedAt else {
            throw CredentialError(.invalidClaim, "`exp` \(expiresAt) is not after `iat` \(issuedAt)")
        }
        guard expiresAt - issuedAt <= maxLifetimeSeconds else {
            throw CredentialError(
                .lifetimeTooLong,
                "`exp - iat` is \(expiresAt - issuedAt) s, more than the maximum lifetime of \(maxLifetimeSeconds) s")
        }
    }

    private func signature(_ message: [UInt8], with key: Key) throws(CredentialError) -> [UInt8] {
        do {
            return Array(try key.privateKey.signature(for: message))
        } catch {
            throw CredentialError(.noSigningKey, "the key `\(key.id)` failed to sign: \(error)")
        }
    }
}
