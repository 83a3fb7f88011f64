import Foundation
import Testing
import WritCore

@Suite struct CredentialRoundTripTests {
    typealias Forge = CredentialForge

    @Test func aSignedCredentialVerifiesToTheSameClaims() throws {
        let ring = Forge.ring()
        let claims = Forge.claims()
        let token = try ring.sign(claims)
        #expect(try ring.verify(token, audience: Forge.audience, now: Forge.t0 + 10) == claims)
    }

    @Test func theHeaderIsExactlyAlgTypAndKid() throws {
        let token = try Forge.ring().sign(Forge.claims())
        #expect(Forge.decodedText(token, segment: 0) == #"{"alg":"EdDSA","typ":"writ-task+jwt","kid":"key-2025"}"#)
    }

    @Test func theClaimsNestTheOnBehalfOfChainAsRFC8693Act() throws {
        let token = try Forge.ring().sign(Forge.claims(onBehalfOf: ["alice", "planner", "researcher"]))
        #expect(
            Forge.decodedText(token, segment: 1)
                == #"{"iss":"https://writ.example","sub":"agent-1","aud":["mcp-files"],"jti":"task-1","iat":1750000000,"exp":1750000600,"act":{"sub":"alice","act":{"sub":"planner","act":{"sub":"researcher"}}}}"#
        )
    }

    @Test func anEmptyOnBehalfOfChainWritesNoActAndReadsBackEmpty() throws {
        let ring = Forge.ring()
        let token = try ring.sign(Forge.claims(onBehalfOf: []))
        #expect(!Forge.decodedText(token, segment: 1).contains("act"))
        #expect(try ring.verify(token, audience: Forge.audience, now: Forge.t0).onBehalfOf == [])
    }

    @Test func theSignatureIsSixtyFourBytesOfEd25519() throws {
        let token = try Forge.ring().sign(Forge.claims())
        #expect(Forge.fromBase64URL(Forge.segments(token)[2])?.count == 64)
    }

    @Test func signingWritesWholeSecondsRoundedDown() throws {
        let ring = Forge.ring()
        var claims = Forge.claims()
        claims.issuedAt = Forge.t0 + 0.75
        claims.expiresAt = Forge.t0 + 600.5
        let verified = try ring.verify(try ring.sign(claims), audience: Forge.audience, now: Forge.t0 + 10)
        #expect(verified.issuedAt == Forge.t0)
        #expect(verified.expiresAt == Forge.t0 + 600)
    }

    @Test func stringsRoundTripScalarForScalar() throws {
        let ring = Forge.ring()
        let claims = Forge.claims(
            agent: "caf\u{E9}", audience: ["cafe\u{301}", Forge.audience], taskID: "t\u{0}\u{202E}\u{1F600}",
            onBehalfOf: ["\"quoted\"\\"])
        let verified = try ring.verify(try ring.sign(claims), audience: Forge.audience, now: Forge.t0)
        #expect(verified == claims)
        #expect(Array(verified.agent.unicodeScalars) == ["c", "a", "f", "\u{E9}"])
        #expect(Array(verified.audience[0].unicodeScalars) == ["c", "a", "f", "e", "\u{301}"])
    }

    @Test func audienceAsASingleStringIsAccepted() throws {
        let token = try Forge.token(claims: Forge.claimsJSON(aud: #""mcp-files""#))
        #expect(try Forge.ring().verify(token, audience: Forge.audience, now: Forge.t0 + 10).audience == ["mcp-files"])
    }

    @Test func nbfWithinRangeIsAccepted() throws {
        let token = try Forge.token(claims: Forge.claimsJSON(extra: #""nbf":1750000000"#))
        #expect(Forge.refusal(token) == nil)
    }

    @Test func anActChainOfEightIsSignedAndAccepted() throws {
        let ring = Forge.ring()
        let chain = (1...8).map { "actor-\($0)" }
        let token = try ring.sign(Forge.claims(onBehalfOf: chain))
        #expect(try ring.verify(token, audience: Forge.audience, now: Forge.t0).onBehalfOf == chain)
    }

    @Test func anActChainOfNineIsRefusedWhenSigning() {
        #expect(throws: CredentialError(.invalidClaim, "")) {
            try Forge.ring().sign(Forge.claims(onBehalfOf: (1...9).map { "actor-\($0)" }))
        }
    }

    @Test func anActChainOfNineIsRefusedWhenVerifying() throws {
        let act = (1...9).reversed().reduce("") { inner, n in
            #"{"sub":"actor-\#(n)""# + (inner.isEmpty ? "" : #","act":"# + inner) + "}"
        }
        #expect(Forge.refusal(try Forge.token(claims: Forge.claimsJSON(extra: #""act":"# + act))) == .invalidClaim)
    }

    @Test func anActWithoutSubIsAMissingClaim() throws {
        let token = try Forge.token(claims: Forge.claimsJSON(extra: #""act":{"act":{"sub":"alice"}}"#))
        #expect(Forge.refusal(token) == .missingClaim)
    }

    @Test func anActWithAnUnknownMemberIsRefused() throws {
        let token = try Forge.token(claims: Forge.claimsJSON(extra: #""act":{"sub":"alice","iss":"elsewhere"}"#))
        #expect(Forge.refusal(token) == .unknownMember)
    }

    @Test func anUnknownClaimIsRefused() throws {
        #expect(Forge.refusal(try Forge.token(claims: Forge.claimsJSON(extra: #""scope":"admin""#))) == .unknownMember)
    }

    @Test(arguments: [
        ("sub", Forge.claimsJSON(sub: #""""#)), ("jti", Forge.claimsJSON(jti: #""""#)),
        ("aud", Forge.claimsJSON(aud: "[]")), ("aud member", Forge.claimsJSON(aud: #"["mcp-files",""]"#)),
        ("sub number", Forge.claimsJSON(sub: "7")), ("aud object", Forge.claimsJSON(aud: #"{"a":"mcp-files"}"#)),
    ])
    func anEmptyOrMistypedStringClaimIsInvalid(_ name: String, _ claims: String) throws {
        #expect(Forge.refusal(try Forge.token(claims: claims)) == .invalidClaim, "\(name)")
    }

    @Test(arguments: [
        Forge.claimsJSON(iss: nil), Forge.claimsJSON(sub: nil), Forge.claimsJSON(aud: nil), Forge.claimsJSON(jti: nil),
        Forge.claimsJSON(iat: nil),
    ])
    func aMissingRequiredClaimIsRefused(_ claims: String) throws {
        #expect(Forge.refusal(try Forge.token(claims: claims)) == .missingClaim)
    }

    @Test(arguments: [
        ("empty agent", Forge.claims(agent: "")), ("empty task", Forge.claims(taskID: "")),
        ("no audience", Forge.claims(audience: [])), ("empty actor", Forge.claims(onBehalfOf: ["alice", ""])),
        ("exp before iat", Forge.claims(iat: 100, exp: 50)), ("exp at iat", Forge.claims(iat: 100, exp: 100)),
    ])
    func signingRefusesClaimsVerificationWouldRefuse(_ name: String, _ claims: TaskCredentialClaims) {
        #expect(throws: CredentialError(.invalidClaim, ""), "\(name)") { try Forge.ring().sign(claims) }
    }

    @Test func signingRefusesALifetimeLongerThanTheMaximum() {
        #expect(throws: CredentialError(.lifetimeTooLong, "")) { try Forge.ring().sign(Forge.claims(exp: 901)) }
    }

    @Test(arguments: [-1, 253_402_300_800, 1e300, .infinity, .nan] as [TimeInterval])
    func signingRefusesTimesOutsideTheRepresentableRange(_ seconds: TimeInterval) {
        var claims = Forge.claims()
        claims.issuedAt = Date(timeIntervalSince1970: seconds)
        #expect(throws: CredentialError(.invalidClaim, "")) { try Forge.ring().sign(claims) }
    }

    @Test func signingRefusesAnotherIssuer() {
        var claims = Forge.claims()
        claims.issuer = "https://other.example"
        #expect(throws: CredentialError(.wrongIssuer, "")) { try Forge.ring().sign(claims) }
    }

    @Test func signingRefusesATokenLongerThanEightKiB() {
        #expect(throws: CredentialError(.tooLarge, "")) {
            try Forge.ring().sign(Forge.claims(agent: String(repeating: "a", count: 7000)))
        }
    }

    @Test func aGeneratedKeyHasARandomValidIDAndSigns() throws {
        let first = SigningKeyRecord.generate(now: Forge.t0)
        let second = SigningKeyRecord.generate(now: Forge.t0)
        #expect(first.id.utf8.count == 22)
        #expect(first.id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        #expect(first.id != second.id)
        #expect(first.privateKey.count == 32)
        #expect(first.privateKey != second.privateKey)
        #expect(first.createdAt == Forge.t0)
        #expect(first.retiredAt == nil)
        let ring = Forge.ring([first])
        #expect(ring.signingKeyID == first.id)
        #expect(Forge.refusal(try ring.sign(Forge.claims()), ring: ring) == nil)
    }

    @Test func aKeyRecordsDescriptionLeavesOutThePrivateKey() {
        let key = SigningKeyRecord(id: "k1", privateKey: [UInt8](repeating: 0xAB, count: 32), createdAt: Forge.t0)
        #expect(!key.description.contains("171"))
        #expect(key.description.contains("k1"))
    }

    @Test func recordsWithAnInvalidIDOrKeyLengthAreNotUsed() throws {
        let records = [
            SigningKeyRecord(id: "short", privateKey: [UInt8](repeating: 1, count: 31), createdAt: Forge.t0 + 5),
            SigningKeyRecord(id: "bad id", privateKey: [UInt8](repeating: 2, count: 32), createdAt: Forge.t0 + 6),
            Forge.key,
        ]
        let ring = Forge.ring(records)
        #expect(ring.signingKeyID == Forge.kid)
        let forged = Forge.header.replacingOccurrences(of: Forge.kid, with: "short")
        #expect(Forge.refusal(try Forge.token(header: forged, signedWith: Forge.attackerKey), ring: ring) == .unknownKey)
    }

    @Test func anIDGivenTwiceIsNotUsedAtAll() throws {
        let ring = Forge.ring([Forge.key, Forge.attackerKey])
        #expect(ring.signingKeyID == nil)
        #expect(Forge.refusal(try Forge.token(), ring: ring) == .unknownKey)
        #expect(Forge.refusal(try Forge.token(signedWith: Forge.attackerKey), ring: ring) == .unknownKey)
    }

    @Test func theLeewayIsCappedAndWholeSeconds() {
        let ring = CredentialKeyRing(
            keys: [Forge.key], issuer: Forge.issuer, gracePeriod: .seconds(0), leeway: .seconds(3600),
            maxLifetime: .seconds(900))
        #expect(ring.leeway == CredentialKeyRing.maxLeeway)
        let fractional = CredentialKeyRing(
            keys: [Forge.key], issuer: Forge.issuer, gracePeriod: .seconds(0), leeway: .milliseconds(1500),
            maxLifetime: .seconds(900))
        #expect(fractional.leeway == .seconds(1))
    }
}
