import Foundation
import Testing
import WritCore

/// RELIABILITY C4 (lifetime claims, leeway exact to the second) and C5 (audience,
/// issuer and token-type confusion).
@Suite struct CredentialClaimsAttackTests {
    typealias Forge = CredentialForge

    /// `t0 + seconds` as the JSON integer a claim holds.
    static func at(_ seconds: Int) -> String { String(1_750_000_000 + seconds) }

    // MARK: - C4: lifetime

    @Test func aCredentialWithoutExpIsRefused() throws {
        #expect(Forge.refusal(try Forge.token(claims: Forge.claimsJSON(exp: nil))) == .missingClaim)
    }

    @Test func aCredentialWithoutIatIsRefused() throws {
        #expect(Forge.refusal(try Forge.token(claims: Forge.claimsJSON(iat: nil))) == .missingClaim)
    }

    @Test func anExpOneSecondBeyondTheMaximumLifetimeIsRefused() throws {
        let token = try Forge.token(claims: Forge.claimsJSON(iat: Self.at(0), exp: Self.at(901)))
        #expect(Forge.refusal(token) == .lifetimeTooLong)
    }

    @Test func anExpAtExactlyTheMaximumLifetimeIsAccepted() throws {
        #expect(Forge.refusal(try Forge.token(claims: Forge.claimsJSON(iat: Self.at(0), exp: Self.at(900)))) == nil)
    }

    @Test(arguments: [
        "1e300", "1.75e9", "1750000600.0", "1750000600.5", "-0", "-1", "\"1750000600\"", "true", "null",
        "99999999999999999999", "253402300800",
    ])
    func anExpThatIsNotAnIntegerWithinRangeIsRefused(_ exp: String) throws {
        #expect(Forge.refusal(try Forge.token(claims: Forge.claimsJSON(exp: exp))) == .invalidClaim)
    }

    @Test(arguments: ["1e300", "1.5", "\"0\""])
    func anIatOrNbfThatIsNotAnIntegerIsRefused(_ value: String) throws {
        #expect(Forge.refusal(try Forge.token(claims: Forge.claimsJSON(iat: value))) == .invalidClaim)
        #expect(Forge.refusal(try Forge.token(claims: Forge.claimsJSON(extra: #""nbf":"# + value))) == .invalidClaim)
    }

    @Test func anExpNotAfterIatIsRefused() throws {
        #expect(Forge.refusal(try Forge.token(claims: Forge.claimsJSON(iat: Self.at(0), exp: Self.at(0)))) == .invalidClaim)
    }

    @Test func aFutureNbfBeyondTheLeewayIsRefused() throws {
        let token = try Forge.token(claims: Forge.claimsJSON(extra: #""nbf":"# + Self.at(300)))
        #expect(Forge.refusal(token) == .notYetValid)
    }

    @Test func aFutureIatBeyondTheLeewayIsRefused() throws {
        let token = try Forge.token(claims: Forge.claimsJSON(iat: Self.at(300), exp: Self.at(900)))
        #expect(Forge.refusal(token) == .notYetValid)
    }

    @Test func expIsAcceptedUntilOneSecondBeforeExpPlusLeeway() throws {
        let token = try Forge.ring().sign(Forge.claims(iat: 0, exp: 600))
        #expect(Forge.refusal(token, at: 600) == nil)
        #expect(Forge.refusal(token, at: 659) == nil)
        #expect(Forge.refusal(token, at: 659.999) == nil)
        #expect(Forge.refusal(token, at: 660) == .expired)
        #expect(Forge.refusal(token, at: 661) == .expired)
    }

    @Test func nbfIsAcceptedFromNbfMinusLeeway() throws {
        let token = try Forge.token(claims: Forge.claimsJSON(extra: #""nbf":"# + Self.at(100)))
        #expect(Forge.refusal(token, at: 39) == .notYetValid)
        #expect(Forge.refusal(token, at: 39.999) == .notYetValid)
        #expect(Forge.refusal(token, at: 40) == nil)
        #expect(Forge.refusal(token, at: 41) == nil)
    }

    @Test func iatIsAcceptedFromIatMinusLeeway() throws {
        let token = try Forge.ring().sign(Forge.claims(iat: 100, exp: 700))
        #expect(Forge.refusal(token, at: 39) == .notYetValid)
        #expect(Forge.refusal(token, at: 40) == nil)
    }

    @Test func aZeroLeewayIsExactToTheSecond() throws {
        let ring = CredentialKeyRing(
            keys: [Forge.key], issuer: Forge.issuer, gracePeriod: .seconds(0), leeway: .zero, maxLifetime: .seconds(900))
        let token = try ring.sign(Forge.claims(iat: 100, exp: 700))
        #expect(Forge.refusal(token, ring: ring, at: 99.5) == .notYetValid)
        #expect(Forge.refusal(token, ring: ring, at: 100) == nil)
        #expect(Forge.refusal(token, ring: ring, at: 699.999) == nil)
        #expect(Forge.refusal(token, ring: ring, at: 700) == .expired)
    }

    @Test(arguments: [
        (1e300, CredentialError.Code.expired), (.infinity, .expired), (.nan, .expired), (-1e300, .notYetValid),
        (-.infinity, .notYetValid),
    ])
    func aVerificationTimeOutsideTheTimestampRangeRefuses(_ seconds: TimeInterval, _ code: CredentialError.Code) throws {
        let ring = Forge.ring()
        let token = try ring.sign(Forge.claims())
        #expect(Forge.refusal(token, ring: ring, at: 0) == nil)
        #expect(throws: CredentialError(code, "")) {
            try ring.verify(token, audience: Forge.audience, now: Date(timeIntervalSince1970: seconds))
        }
    }

    // MARK: - C5: audience, issuer, type confusion

    @Test func aCredentialForAnotherAudienceIsRefused() throws {
        let token = try Forge.ring().sign(Forge.claims(audience: ["mcp-mail"]))
        #expect(Forge.refusal(token, audience: "mcp-files") == .wrongAudience)
        #expect(Forge.refusal(token, audience: "mcp-mail") == nil)
    }

    @Test func theAudienceIsComparedExactlyNeverNormalisedOrByPrefix() throws {
        let token = try Forge.ring().sign(Forge.claims(audience: ["caf\u{E9}", "mcp-files-2"]))
        #expect(Forge.refusal(token, audience: "cafe\u{301}") == .wrongAudience)
        #expect(Forge.refusal(token, audience: "mcp-files") == .wrongAudience)
        #expect(Forge.refusal(token, audience: "MCP-FILES-2") == .wrongAudience)
        #expect(Forge.refusal(token, audience: "") == .wrongAudience)
    }

    @Test func aCredentialFromAnotherIssuerIsRefused() throws {
        let token = try Forge.token(claims: Forge.claimsJSON(iss: #""https://attacker.example""#))
        #expect(Forge.refusal(token) == .wrongIssuer)
    }

    @Test func aCredentialOfAnotherRingWithTheSameKeyIsRefusedByIssuer() throws {
        let other = Forge.ring(issuer: "https://staging.writ.example")
        var claims = Forge.claims()
        claims.issuer = other.issuer
        #expect(Forge.refusal(try other.sign(claims)) == .wrongIssuer)
    }

    @Test func theIssuerIsComparedExactly() throws {
        let token = try Forge.token(claims: Forge.claimsJSON(iss: #""https://writ.example/""#))
        #expect(Forge.refusal(token) == .wrongIssuer)
    }

    @Test func anApprovalTokenUsedAsATaskCredentialIsRefusedByType() throws {
        let header = #"{"alg":"EdDSA","typ":"writ-approval+jwt","kid":"key-2025"}"#
        #expect(Forge.refusal(try Forge.token(header: header)) == .wrongTyp)
    }

    @Test func aUsersOAuthTokenIsRefused() throws {
        let header = #"{"alg":"RS256","typ":"at+jwt","kid":"key-2025"}"#
        let claims = Forge.claimsJSON(extra: #""client_id":"app","scope":"openid""#)
        #expect(Forge.refusal(try Forge.token(header: header, claims: claims)) == .wrongAlg)
        #expect(Forge.refusal(try Forge.token(claims: claims)) == .unknownMember)
    }
}
