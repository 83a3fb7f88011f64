import Crypto
import Foundation
import Testing
import WritCore

/// RELIABILITY C1–C3: forged algorithms, embedded and remote keys, critical
/// extensions, token types and key-id injection.
@Suite struct CredentialHeaderAttackTests {
    typealias Forge = CredentialForge

    static func header(alg: String = "EdDSA", typ: String = "writ-task+jwt", kid: String = "key-2025", extra: String = "") -> String {
        #"{"alg":"\#(alg)","typ":"\#(typ)","kid":"\#(kid)""# + (extra.isEmpty ? "" : "," + extra) + "}"
    }

    // MARK: - C1

    @Test func algNoneWithNoSignatureIsRefused() {
        let token = Forge.base64URL(Self.header(alg: "none").utf8) + "." + Forge.base64URL(Forge.claimsJSON().utf8) + "."
        #expect(Forge.refusal(token) == .wrongAlg)
    }

    @Test func algNoneInMixedCaseIsRefused() {
        let token = Forge.base64URL(Self.header(alg: "noNE").utf8) + "." + Forge.base64URL(Forge.claimsJSON().utf8) + "."
        #expect(Forge.refusal(token) == .wrongAlg)
    }

    @Test func algNoneSignedWithOurKeyIsStillRefused() throws {
        #expect(Forge.refusal(try Forge.token(header: Self.header(alg: "none"))) == .wrongAlg)
    }

    @Test func anEmptySignatureIsABadSignature() throws {
        let honest = try Forge.ring().sign(Forge.claims())
        let stripped = Forge.segments(honest)[0...1].joined(separator: ".") + "."
        #expect(Forge.refusal(stripped) == .badSignature)
    }

    @Test func aTruncatedSignatureIsABadSignature() throws {
        let honest = try Forge.ring().sign(Forge.claims())
        let parts = Forge.segments(honest)
        let signature = try #require(Forge.fromBase64URL(parts[2]))
        let truncated = parts[0] + "." + parts[1] + "." + Forge.base64URL(signature.prefix(63))
        #expect(Forge.refusal(truncated) == .badSignature)
    }

    @Test func hs256MACWithOurPublicKeyAsTheSecretIsRefused() throws {
        let input = Forge.base64URL(Self.header(alg: "HS256").utf8) + "." + Forge.base64URL(Forge.claimsJSON().utf8)
        let secret = SymmetricKey(data: try Forge.publicKey(Forge.key))
        let mac = HMAC<SHA256>.authenticationCode(for: Array(input.utf8), using: secret)
        #expect(Forge.refusal(input + "." + Forge.base64URL(mac)) == .wrongAlg)
    }

    @Test func hs256MACPresentedAsEdDSAIsABadSignature() throws {
        let input = Forge.base64URL(Self.header().utf8) + "." + Forge.base64URL(Forge.claimsJSON().utf8)
        let secret = SymmetricKey(data: try Forge.publicKey(Forge.key))
        let mac = Array(HMAC<SHA256>.authenticationCode(for: Array(input.utf8), using: secret))
        #expect(Forge.refusal(input + "." + Forge.base64URL(mac + mac)) == .badSignature)
    }

    @Test func anAttackersKeyUnderOurKIDIsABadSignature() throws {
        #expect(Forge.refusal(try Forge.token(signedWith: Forge.attackerKey)) == .badSignature)
    }

    @Test func anEmbeddedJWKOfTheSigningKeyIsRefused() throws {
        let x = Forge.base64URL(try Forge.publicKey(Forge.attackerKey))
        let header = Self.header(extra: #""jwk":{"kty":"OKP","crv":"Ed25519","x":"\#(x)"}"#)
        #expect(Forge.refusal(try Forge.token(header: header, signedWith: Forge.attackerKey)) == .keyHeader)
    }

    @Test func anEmbeddedJWKIsRefusedEvenWhenOurKeySigned() throws {
        let x = Forge.base64URL(try Forge.publicKey(Forge.key))
        let header = Self.header(extra: #""jwk":{"kty":"OKP","crv":"Ed25519","x":"\#(x)"}"#)
        #expect(Forge.refusal(try Forge.token(header: header)) == .keyHeader)
    }

    @Test(arguments: [
        #""jku":"https://attacker.example/jwks.json""#, #""x5u":"https://attacker.example/cert.pem""#,
        #""x5c":["MIIB"]"#, #""x5t":"abc""#, #""x5t#S256":"abc""#,
    ])
    func aHeaderPointingAtAKeyIsRefusedAndNeverFetched(_ member: String) throws {
        #expect(Forge.refusal(try Forge.token(header: Self.header(extra: member))) == .keyHeader)
    }

    // MARK: - C2

    @Test(arguments: ["eddsa", "EDDSA", "Ed25519", "ES256", "RS256", "EdDSA ", " EdDSA", "EdDS", ""])
    func anAlgOtherThanExactlyEdDSAIsRefused(_ alg: String) throws {
        #expect(Forge.refusal(try Forge.token(header: Self.header(alg: alg))) == .wrongAlg)
    }

    @Test func aMissingOrNonStringAlgIsRefused() throws {
        #expect(Forge.refusal(try Forge.token(header: #"{"typ":"writ-task+jwt","kid":"key-2025"}"#)) == .wrongAlg)
        #expect(Forge.refusal(try Forge.token(header: #"{"alg":["EdDSA"],"typ":"writ-task+jwt","kid":"key-2025"}"#)) == .wrongAlg)
    }

    @Test func anUnknownCritExtensionIsRefused() throws {
        let header = Self.header(extra: #""crit":["exp"],"exp":1750000600"#)
        #expect(Forge.refusal(try Forge.token(header: header)) == .unsupportedCrit)
    }

    @Test func anEmptyCritIsRefused() throws {
        #expect(Forge.refusal(try Forge.token(header: Self.header(extra: #""crit":[]"#))) == .unsupportedCrit)
    }

    @Test(arguments: ["JWT", "jwt", "at+jwt", "writ-approval+jwt", "WRIT-TASK+JWT", "application/writ-task+jwt", ""])
    func aTypOtherThanExactlyOursIsRefused(_ typ: String) throws {
        #expect(Forge.refusal(try Forge.token(header: Self.header(typ: typ))) == .wrongTyp)
    }

    @Test func aMissingTypIsRefused() throws {
        #expect(Forge.refusal(try Forge.token(header: #"{"alg":"EdDSA","kid":"key-2025"}"#)) == .wrongTyp)
    }

    @Test func anUnknownHeaderMemberIsRefused() throws {
        #expect(Forge.refusal(try Forge.token(header: Self.header(extra: #""cty":"JWT""#))) == .unknownMember)
    }

    @Test func aHeaderThatIsNotAnObjectIsMalformed() throws {
        #expect(Forge.refusal(try Forge.token(header: #"["EdDSA"]"#)) == .malformed)
        #expect(Forge.refusal(try Forge.token(header: "")) == .malformed)
    }

    // MARK: - C3

    @Test(arguments: [
        "../../etc/passwd", "../../etc", "' OR 1=1--", "key-2025' OR '1'='1", "key-2025\\u0000", "k\u{E9}y",
        "cafe\u{301}", "\u{FF4B}ey", "key 2025", "key.2025", "key/2025", "",
    ])
    func aKIDOutsideTheAllowedCharactersIsRefusedBeforeAnyLookup(_ kid: String) throws {
        #expect(Forge.refusal(try Forge.token(header: Self.header(kid: kid))) == .invalidKID)
    }

    @Test func aKIDOfSixtyFiveCharactersIsRefused() throws {
        #expect(Forge.refusal(try Forge.token(header: Self.header(kid: String(repeating: "k", count: 65)))) == .invalidKID)
    }

    @Test func aKIDOfFiveKiBInATokenUnderTheLimitIsRefused() throws {
        let token = try Forge.token(header: Self.header(kid: String(repeating: "k", count: 5 * 1024)))
        try #require(token.utf8.count <= CredentialKeyRing.maxTokenBytes)
        #expect(Forge.refusal(token) == .invalidKID)
    }

    @Test func aTenKBKIDMakesTheTokenTooLarge() throws {
        #expect(Forge.refusal(try Forge.token(header: Self.header(kid: String(repeating: "k", count: 10_000)))) == .tooLarge)
    }

    @Test func aMissingOrNonStringKIDIsRefused() throws {
        #expect(Forge.refusal(try Forge.token(header: #"{"alg":"EdDSA","typ":"writ-task+jwt"}"#)) == .invalidKID)
        #expect(Forge.refusal(try Forge.token(header: #"{"alg":"EdDSA","typ":"writ-task+jwt","kid":2025}"#)) == .invalidKID)
    }

    @Test func aWellFormedKIDTheRingDoesNotHoldIsAnUnknownKey() throws {
        #expect(Forge.refusal(try Forge.token(header: Self.header(kid: "key-2024"))) == .unknownKey)
        #expect(Forge.refusal(try Forge.token(header: Self.header(kid: "KEY-2025"))) == .unknownKey)
    }
}
