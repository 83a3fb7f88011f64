import Crypto
import Foundation
import Testing
import WritCore

/// RELIABILITY C11: key rotation with a grace period, removed keys, and a JWKS of
/// public keys only. Also detached signatures, which use the same keys.
@Suite struct CredentialRotationTests {
    typealias Forge = CredentialForge

    static let old = SigningKeyRecord(id: "key-old", privateKey: (0..<32).map { UInt8($0 &+ 40) }, createdAt: Forge.t0 - 86400)
    static let new = SigningKeyRecord(id: "key-new", privateKey: (0..<32).map { UInt8($0 &+ 80) }, createdAt: Forge.t0)

    /// `old` retired at `t0 + retiredAfter` seconds.
    static func retired(at seconds: TimeInterval) -> SigningKeyRecord {
        var key = old
        key.retiredAt = Forge.t0 + seconds
        return key
    }

    static func kid(of token: String) -> String? {
        let header = Forge.decodedText(token, segment: 0)
        return (try? JSONSerialization.jsonObject(with: Data(header.utf8)) as? [String: Any])?["kid"] as? String
    }

    @Test func theNewestKeySigns() throws {
        let ring = Forge.ring([Self.old, Self.new])
        #expect(ring.signingKeyID == "key-new")
        #expect(Self.kid(of: try ring.sign(Forge.claims())) == "key-new")
    }

    @Test func theNewestKeyIsChosenByCreationTimeNotPosition() throws {
        #expect(Forge.ring([Self.new, Self.old]).signingKeyID == "key-new")
    }

    @Test func aRetiredKeyNeverSignsEvenWhenNewest() throws {
        var newest = Self.new
        newest.retiredAt = Forge.t0
        #expect(Forge.ring([Self.old, newest]).signingKeyID == "key-old")
    }

    @Test func aRingWithOnlyRetiredKeysCannotSign() {
        let ring = Forge.ring([Self.retired(at: 0)])
        #expect(ring.signingKeyID == nil)
        #expect(throws: CredentialError(.noSigningKey, "")) { try ring.sign(Forge.claims()) }
        #expect(throws: CredentialError(.noSigningKey, "")) { try ring.signDetached([1, 2, 3]) }
    }

    @Test func anEmptyRingCannotSignAndKnowsNoKey() throws {
        let ring = Forge.ring([])
        #expect(throws: CredentialError(.noSigningKey, "")) { try ring.sign(Forge.claims()) }
        #expect(Forge.refusal(try Forge.token(), ring: ring) == .unknownKey)
    }

    @Test func aTokenOfTheOldKeyStaysValidDuringTheGracePeriod() throws {
        let token = try Forge.ring([Self.old]).sign(Forge.claims(iat: -300, exp: 600))
        let rotated = Forge.ring([Self.retired(at: 0), Self.new])
        #expect(Forge.refusal(token, ring: rotated, at: 10) == nil)
        #expect(Forge.refusal(token, ring: rotated, at: 599) == nil)
    }

    @Test func aTokenOfTheOldKeyIsRefusedOnceTheGracePeriodEnds() throws {
        // Retired 3,500 s before t0 + 10, with a grace of 3,600 s: valid until t0 + 100.
        let token = try Forge.ring([Self.old]).sign(Forge.claims(iat: -300, exp: 600))
        let rotated = Forge.ring([Self.retired(at: -3500), Self.new])
        #expect(Forge.refusal(token, ring: rotated, at: 99) == nil)
        #expect(Forge.refusal(token, ring: rotated, at: 99.999) == nil)
        #expect(Forge.refusal(token, ring: rotated, at: 100) == .unknownKey)
        #expect(Forge.refusal(token, ring: rotated, at: 101) == .unknownKey)
    }

    @Test func aTokenOfARemovedKeyIsRefused() throws {
        let token = try Forge.ring([Self.old]).sign(Forge.claims())
        #expect(Forge.refusal(token, ring: Forge.ring([Self.new])) == .unknownKey)
    }

    @Test func tokensOfTheNewKeyVerifyAfterRotation() throws {
        let rotated = Forge.ring([Self.retired(at: 0), Self.new])
        #expect(Forge.refusal(try rotated.sign(Forge.claims()), ring: rotated) == nil)
    }

    // MARK: - JWKS

    static func jwks(_ bytes: [UInt8]) throws -> [[String: String]] {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(Set(document.keys) == ["keys"])
        return try #require(document["keys"] as? [[String: String]])
    }

    @Test func theJWKSHoldsPublicKeysOnly() throws {
        let keys = try Self.jwks(Forge.ring([Self.old, Self.new]).jwks(now: Forge.t0))
        #expect(keys.count == 2)
        for key in keys {
            #expect(key["d"] == nil)
            #expect(Set(key.keys) == ["kty", "crv", "x", "kid", "alg", "use"])
        }
        #expect(keys.map { $0["kid"] } == ["key-old", "key-new"])
        #expect(keys[1] == [
            "kty": "OKP", "crv": "Ed25519", "x": Forge.base64URL(try Forge.publicKey(Self.new)), "kid": "key-new",
            "alg": "EdDSA", "use": "sig",
        ])
        let text = String(decoding: Forge.ring([Self.old, Self.new]).jwks(now: Forge.t0), as: UTF8.self)
        #expect(!text.contains(Forge.base64URL(Self.new.privateKey)))
        #expect(!text.contains(Forge.base64URL(Self.old.privateKey)))
    }

    @Test func theJWKSKeepsARetiredKeyOnlyDuringItsGracePeriod() throws {
        let ring = Forge.ring([Self.retired(at: 0), Self.new])
        #expect(try Self.jwks(ring.jwks(now: Forge.t0 + 3599)).map { $0["kid"] } == ["key-old", "key-new"])
        #expect(try Self.jwks(ring.jwks(now: Forge.t0 + 3600)).map { $0["kid"] } == ["key-new"])
    }

    @Test func theJWKSOfAnEmptyRingHasNoKeys() throws {
        #expect(String(decoding: Forge.ring([]).jwks, as: UTF8.self) == #"{"keys":[]}"#)
    }

    // MARK: - Detached signatures

    @Test func aDetachedSignatureVerifies() throws {
        let ring = Forge.ring([Self.old, Self.new])
        let payload = Array(#"{"closed":["task-1","task-2"]}"#.utf8)
        let (kid, signature) = try ring.signDetached(payload)
        #expect(kid == "key-new")
        #expect(signature.count == 64)
        try ring.verifyDetached(payload, kid: kid, signature: signature, now: Forge.t0)
    }

    @Test func aDetachedSignatureOverOtherBytesIsRefused() throws {
        let ring = Forge.ring()
        let (kid, signature) = try ring.signDetached(Array("receipt".utf8))
        #expect(throws: CredentialError(.badSignature, "")) {
            try ring.verifyDetached(Array("receipt!".utf8), kid: kid, signature: signature, now: Forge.t0)
        }
        #expect(throws: CredentialError(.invalidKID, "")) {
            try ring.verifyDetached(Array("receipt".utf8), kid: "../x", signature: signature, now: Forge.t0)
        }
        #expect(throws: CredentialError(.unknownKey, "")) {
            try ring.verifyDetached(Array("receipt".utf8), kid: "key-0", signature: signature, now: Forge.t0)
        }
    }

    @Test func aDetachedSignatureIsNeverACredentialSignature() throws {
        let ring = Forge.ring()
        let input = Forge.base64URL(Forge.header.utf8) + "." + Forge.base64URL(Forge.claimsJSON().utf8)
        let (_, signature) = try ring.signDetached(Array(input.utf8))
        #expect(Forge.refusal(input + "." + Forge.base64URL(signature), ring: ring) == .badSignature)
    }

    @Test func aDetachedSignatureCoversTheContextThenThePayload() throws {
        let ring = Forge.ring()
        let (_, signature) = try ring.signDetached(Array("receipt".utf8))
        let publicKey = try Curve25519.Signing.PublicKey(rawRepresentation: try Forge.publicKey(Forge.key))
        #expect(publicKey.isValidSignature(signature, for: Array("writ-detached-signature-v1\u{0}receipt".utf8)))
        #expect(!publicKey.isValidSignature(signature, for: Array("receipt".utf8)))
    }
}
