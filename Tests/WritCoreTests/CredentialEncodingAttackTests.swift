import Foundation
import Testing
import WritCore

/// RELIABILITY C6 (duplicate members, non-UTF-8, JWS JSON serialization, characters
/// outside base64url) and C8 (re-encodings of a valid token: unused bits, padding,
/// a malleated signature).
@Suite struct CredentialEncodingAttackTests {
    typealias Forge = CredentialForge

    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    /// `segment` with its lowest unused bit set: the same bytes to a lax decoder.
    static func settingUnusedBit(_ segment: String) throws -> String {
        let remainder = segment.count % 4
        try #require(remainder == 2 || remainder == 3, "segment of \(segment.count) characters has no unused bits")
        let last = try #require(segment.last)
        let value = try #require(alphabet.firstIndex(of: last))
        try #require(value & 1 == 0)
        return String(segment.dropLast()) + String(alphabet[value | 1])
    }

    // MARK: - C6

    @Test func aDuplicateClaimIsRefused() throws {
        let claims = Forge.claimsJSON(extra: #""sub":"admin""#)
        #expect(Forge.refusal(try Forge.token(claims: claims)) == .duplicateMember)
    }

    @Test func aDuplicateMemberInsideActIsRefused() throws {
        let claims = Forge.claimsJSON(extra: #""act":{"sub":"alice","sub":"root"}"#)
        #expect(Forge.refusal(try Forge.token(claims: claims)) == .duplicateMember)
    }

    @Test func aDuplicateAlgHeaderIsRefused() throws {
        let header = #"{"alg":"EdDSA","typ":"writ-task+jwt","kid":"key-2025","alg":"none"}"#
        #expect(Forge.refusal(try Forge.token(header: header)) == .duplicateMember)
    }

    @Test func aDuplicateKIDHeaderIsRefused() throws {
        let header = #"{"alg":"EdDSA","typ":"writ-task+jwt","kid":"other","kid":"key-2025"}"#
        #expect(Forge.refusal(try Forge.token(header: header)) == .duplicateMember)
    }

    @Test func aDuplicateSpelledWithAnEscapeIsStillADuplicate() throws {
        let claims = Forge.claimsJSON(extra: #""s\u0075b":"admin""#)
        #expect(Forge.refusal(try Forge.token(claims: claims)) == .duplicateMember)
    }

    @Test func aHeaderThatIsNotUTF8IsMalformed() throws {
        let header = Array(#"{"alg":"EdDSA","typ":"writ-task+jwt","kid":"key-"#.utf8) + [0xFF, 0xFE] + Array(#""}"#.utf8)
        let token = try Forge.token(segments: Forge.base64URL(header), Forge.base64URL(Forge.claimsJSON().utf8))
        #expect(Forge.refusal(token) == .malformed)
    }

    @Test func claimsThatAreNotUTF8AreMalformed() throws {
        let claims = Array(Forge.claimsJSON(sub: nil).dropLast().utf8) + Array(#","sub":"a"#.utf8) + [0xC0, 0xAF]
            + Array(#""}"#.utf8)
        let token = try Forge.token(segments: Forge.base64URL(Forge.header.utf8), Forge.base64URL(claims))
        #expect(Forge.refusal(token) == .malformed)
    }

    @Test func claimsWithALoneSurrogateEscapeAreMalformed() throws {
        let token = try Forge.token(claims: Forge.claimsJSON(sub: #""\ud800""#))
        #expect(Forge.refusal(token) == .malformed)
    }

    @Test func claimsThatAreNotJSONAreMalformed() throws {
        #expect(Forge.refusal(try Forge.token(claims: "{\"iss\":")) == .malformed)
        #expect(Forge.refusal(try Forge.token(claims: Forge.claimsJSON() + " x")) == .malformed)
        #expect(Forge.refusal(try Forge.token(claims: #""just a string""#)) == .malformed)
    }

    @Test func theFlattenedJWSJSONSerializationIsRefused() throws {
        let honest = Forge.segments(try Forge.ring().sign(Forge.claims()))
        let json = #"{"protected":"\#(honest[0])","payload":"\#(honest[1])","signature":"\#(honest[2])"}"#
        #expect(Forge.refusal(json) == .malformed)
    }

    @Test func theGeneralJWSJSONSerializationIsRefused() throws {
        let honest = Forge.segments(try Forge.ring().sign(Forge.claims()))
        let json = #"{"payload":"\#(honest[1])","signatures":[{"protected":"\#(honest[0])","signature":"\#(honest[2])"}]}"#
        #expect(Forge.refusal(json) == .malformed)
    }

    @Test(arguments: [0, 1, 2, 4])
    func aTokenWithoutExactlyThreeSegmentsIsMalformed(_ count: Int) throws {
        let honest = Forge.segments(try Forge.ring().sign(Forge.claims()))
        let token = (0..<count).map { honest[$0 % 3] }.joined(separator: ".")
        #expect(Forge.refusal(token) == .malformed)
    }

    @Test func aJWEShapedTokenOfFiveSegmentsIsMalformed() throws {
        let honest = try Forge.ring().sign(Forge.claims())
        #expect(Forge.refusal(honest + ".AAAA.AAAA") == .malformed)
    }

    @Test(arguments: ["+", "/", " ", "~", "!", "\u{0}", "\u{E9}", "\u{FF21}", "%41"])
    func aCharacterOutsideBase64URLInTheSignatureIsRefused(_ character: String) throws {
        let honest = try Forge.ring().sign(Forge.claims())
        #expect(Forge.refusal(honest.dropLast(1) + character) == .invalidEncoding)
    }

    @Test(arguments: ["+", "/", " ", "\n"])
    func aCharacterOutsideBase64URLInTheClaimsIsRefusedEvenWhenSigned(_ character: String) throws {
        let parts = Forge.segments(try Forge.ring().sign(Forge.claims()))
        let token = try Forge.token(segments: parts[0], character + parts[1])
        #expect(Forge.refusal(token) == .invalidEncoding)
    }

    @Test func standardBase64InsteadOfBase64URLIsRefused() throws {
        // Find claims whose encoding needs `-` or `_`; the standard alphabet writes `+` or `/`.
        let claims = Forge.claimsJSON(sub: #""agent-???>>>""#)
        let url = Forge.base64URL(claims.utf8)
        try #require(url.contains("-") || url.contains("_"))
        let standard = Data(claims.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
        let token = try Forge.token(segments: Forge.base64URL(Forge.header.utf8), standard)
        #expect(Forge.refusal(token) == .invalidEncoding)
        #expect(Forge.refusal(try Forge.token(segments: Forge.base64URL(Forge.header.utf8), url)) == nil)
    }

    @Test func aNonASCIITokenIsRefused() throws {
        let honest = try Forge.ring().sign(Forge.claims())
        #expect(Forge.refusal("\u{FEFF}" + honest) == .invalidEncoding)
    }

    // MARK: - C8

    @Test func aSignatureWithAlteredUnusedBitsIsRefused() throws {
        let parts = Forge.segments(try Forge.ring().sign(Forge.claims()))
        let altered = try Self.settingUnusedBit(parts[2])
        #expect(Forge.fromBase64URL(altered) == Forge.fromBase64URL(parts[2]))
        #expect(Forge.refusal(parts[0] + "." + parts[1] + "." + altered) == .invalidEncoding)
    }

    @Test func aClaimsSegmentWithAlteredUnusedBitsIsRefusedEvenWhenSigned() throws {
        var claims = Forge.claimsJSON()
        while Forge.base64URL(claims.utf8).count % 4 == 0 { claims += " " }
        let altered = try Self.settingUnusedBit(Forge.base64URL(claims.utf8))
        #expect(Forge.fromBase64URL(altered) == Array(claims.utf8))
        let token = try Forge.token(segments: Forge.base64URL(Forge.header.utf8), altered)
        #expect(Forge.refusal(token) == .invalidEncoding)
    }

    @Test func aHeaderSegmentWithAlteredUnusedBitsIsRefusedEvenWhenSigned() throws {
        var header = Forge.header
        while Forge.base64URL(header.utf8).count % 4 == 0 { header += " " }
        let altered = try Self.settingUnusedBit(Forge.base64URL(header.utf8))
        let token = try Forge.token(segments: altered, Forge.base64URL(Forge.claimsJSON().utf8))
        #expect(Forge.refusal(token) == .invalidEncoding)
    }

    @Test(arguments: ["=", "==", "==="])
    func aPaddedSignatureIsRefused(_ padding: String) throws {
        let honest = try Forge.ring().sign(Forge.claims())
        #expect(Forge.refusal(honest + padding) == .invalidEncoding)
    }

    @Test func aPaddedClaimsSegmentIsRefusedEvenWhenSigned() throws {
        var claims = Forge.claimsJSON()
        while Forge.base64URL(claims.utf8).count % 4 == 0 { claims += " " }
        let padded = Data(claims.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        try #require(padded.hasSuffix("="))
        let token = try Forge.token(segments: Forge.base64URL(Forge.header.utf8), padded)
        #expect(Forge.refusal(token) == .invalidEncoding)
    }

    @Test func aMalleatedSignatureSPlusLIsRefused() throws {
        let parts = Forge.segments(try Forge.ring().sign(Forge.claims()))
        var signature = try #require(Forge.fromBase64URL(parts[2]))
        // L = 2^252 + 27742317777372353535851937790883648493, little-endian.
        let order: [UInt8] = [
            0xED, 0xD3, 0xF5, 0x5C, 0x1A, 0x63, 0x12, 0x58, 0xD6, 0x9C, 0xF7, 0xA2, 0xDE, 0xF9, 0xDE, 0x14,
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
        ]
        var carry = 0
        for i in 0..<32 {
            let sum = Int(signature[32 + i]) + Int(order[i]) + carry
            signature[32 + i] = UInt8(sum & 0xFF)
            carry = sum >> 8
        }
        try #require(carry == 0)
        #expect(Forge.refusal(parts[0] + "." + parts[1] + "." + Forge.base64URL(signature)) == .badSignature)
    }

    @Test func aFlippedSignatureBitIsABadSignature() throws {
        let parts = Forge.segments(try Forge.ring().sign(Forge.claims()))
        var signature = try #require(Forge.fromBase64URL(parts[2]))
        signature[10] ^= 0x01
        #expect(Forge.refusal(parts[0] + "." + parts[1] + "." + Forge.base64URL(signature)) == .badSignature)
    }

    @Test func reSignedCredentialsDifferInBytesButNameTheSameTask() throws {
        let newer = SigningKeyRecord(id: "key-2026", privateKey: (0..<32).map { UInt8($0 &+ 100) }, createdAt: Forge.t0 + 1)
        let ring = Forge.ring([Forge.key, newer])
        let first = try Forge.token(claims: Forge.claimsJSON())
        let second = try ring.sign(Forge.claims(onBehalfOf: []))
        #expect(first != second)
        #expect(try ring.verify(first, audience: Forge.audience, now: Forge.t0).taskID == "task-1")
        #expect(try ring.verify(second, audience: Forge.audience, now: Forge.t0).taskID == "task-1")
    }
}
