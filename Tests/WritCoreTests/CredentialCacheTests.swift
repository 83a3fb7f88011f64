import Foundation
import Testing
import WritCore

/// The ring remembers tokens it verified; every check that depends on the call still
/// runs on every call, and only the exact bytes of a verified token hit.
@Suite struct CredentialCacheTests {
    typealias Forge = CredentialForge

    @Test func aCachedCredentialIsRefusedOnceExpired() throws {
        let ring = Forge.ring()
        let token = try ring.sign(Forge.claims(exp: 600))
        #expect(Forge.refusal(token, ring: ring, at: 10) == nil)
        #expect(Forge.refusal(token, ring: ring, at: 660) == .expired)
    }

    @Test func aCachedCredentialIsRefusedForAnotherAudience() throws {
        let ring = Forge.ring()
        let token = try ring.sign(Forge.claims())
        #expect(Forge.refusal(token, ring: ring) == nil)
        #expect(Forge.refusal(token, ring: ring, audience: "mcp-mail") == .wrongAudience)
    }

    @Test func aCachedCredentialIsRefusedBeforeItsIatLessLeeway() throws {
        let ring = Forge.ring()
        let token = try ring.sign(Forge.claims(iat: 100, exp: 700))
        #expect(Forge.refusal(token, ring: ring, at: 100) == nil)
        #expect(Forge.refusal(token, ring: ring, at: 39) == .notYetValid)
    }

    @Test func aCachedCredentialOfARetiredKeyIsRefusedAfterTheGracePeriod() throws {
        var key = Forge.key
        key.retiredAt = Forge.t0
        let ring = Forge.ring([key])
        let token = try Forge.token()
        #expect(Forge.refusal(token, ring: ring, at: 10) == nil)
        #expect(Forge.refusal(token, ring: ring, at: 3600) == .unknownKey)
    }

    @Test func aCanonicallyEquivalentSpellingOfACachedTokenIsRefused() throws {
        let ring = Forge.ring()
        let token = try ring.sign(Forge.claims(agent: "aJ"))
        let k = try #require(token.firstIndex(of: "K"))
        var variant = token
        variant.replaceSubrange(k...k, with: "\u{212A}")  // KELVIN SIGN, canonically equivalent to K
        #expect(variant == token)
        #expect(Array(variant.utf8) != Array(token.utf8))
        #expect(Forge.refusal(token, ring: ring) == nil)
        #expect(Forge.refusal(variant, ring: ring) == .invalidEncoding)
    }

    @Test func aPaddedCopyOfACachedTokenIsRefused() throws {
        let ring = Forge.ring()
        let token = try ring.sign(Forge.claims())
        #expect(Forge.refusal(token, ring: ring) == nil)
        #expect(Forge.refusal(token + "==", ring: ring) == .invalidEncoding)
    }

    @Test func aRingWithoutACacheVerifiesAlike() throws {
        let ring = CredentialKeyRing(
            keys: [Forge.key], issuer: Forge.issuer, gracePeriod: .seconds(3600), maxLifetime: .seconds(900),
            cacheCapacity: 0)
        let token = try ring.sign(Forge.claims())
        #expect(Forge.refusal(token, ring: ring) == nil)
        #expect(Forge.refusal(token, ring: ring) == nil)
        #expect(Forge.refusal(token, ring: ring, at: 660) == .expired)
    }

    @Test func aFullCacheStartsOverAndKeepsVerifying() throws {
        let ring = CredentialKeyRing(
            keys: [Forge.key], issuer: Forge.issuer, gracePeriod: .seconds(3600), maxLifetime: .seconds(900),
            cacheCapacity: 2)
        let tokens = try (1...5).map { try ring.sign(Forge.claims(taskID: "task-\($0)")) }
        for _ in 1...2 {
            for (i, token) in tokens.enumerated() {
                #expect(try ring.verify(token, audience: Forge.audience, now: Forge.t0).taskID == "task-\(i + 1)")
            }
        }
    }
}
