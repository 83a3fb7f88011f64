import Foundation
import Testing
import WritCore

@Suite struct APIKeyFormat {
    @Test func aGeneratedTokenReadsBackAndVerifies() {
        let (record, token) = APIKeys.generate(name: "pep", scopes: [.decide])
        let parsed = APIKeyToken(parsing: token.description)
        #expect(parsed == token)
        #expect(parsed.map { APIKeys.verify($0, against: record) } == true)
    }

    @Test(arguments: [
        "", "writ__", "writ_0123456789abcdef_", "key_0123456789abcdef_" + String(repeating: "a", count: 64),
        "writ_0123456789ABCDEF_" + String(repeating: "a", count: 64),
        "writ_0123456789abcdef_" + String(repeating: "a", count: 63),
        "writ_0123456789abcdef_" + String(repeating: "a", count: 64) + "_x",
    ])
    func malformedTokensAreNotRead(_ text: String) {
        #expect(APIKeyToken(parsing: text) == nil)
    }
}

@Suite struct APIKeyVerification {
    @Test func aRevokedKeyDoesNotVerify() {
        var (record, token) = APIKeys.generate(name: "pep", scopes: [.decide])
        record.revokedAt = Date()
        #expect(!APIKeys.verify(token, against: record))
    }

    @Test func anotherKeysSecretDoesNotVerify() {
        let (record, _) = APIKeys.generate(name: "pep", scopes: [.decide])
        let (_, other) = APIKeys.generate(name: "other", scopes: [.decide])
        let forged = APIKeyToken(parsing: "writ_\(record.id)_\(other.secret)")
        #expect(forged.map { APIKeys.verify($0, against: record) } == false)
    }

    @Test func theStoredDigestIsTheSHA256OfTheSecret() {
        let (record, token) = APIKeys.generate(name: "pep", scopes: [.manage])
        #expect(record.secretDigest == APIKeys.digest(ofSecret: token.secret))
        #expect(record.secretDigest != token.secret)
        #expect(APIKeys.digest(ofSecret: "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func twoKeysDiffer() {
        let a = APIKeys.generate(name: "a", scopes: [.decide]).token
        let b = APIKeys.generate(name: "b", scopes: [.decide]).token
        #expect(a.id != b.id)
        #expect(a.secret != b.secret)
    }
}
