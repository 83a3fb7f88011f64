import Cedar
import Foundation
import Testing
import WritCore

/// What decision records keep of request values: credentials left out, sensitive
/// values as salted hashes.
@Suite struct AuditConfigurationTests {
    /// The salt 0, 1, … 31, so digests can be checked against any HMAC-SHA256.
    static let salt: [UInt8] = Array(0..<32)

    static func configuration(_ rules: [AuditConfiguration.SensitiveValue]) -> AuditConfiguration {
        AuditConfiguration(salt: salt, sensitive: rules)
    }

    func recorded(
        _ context: String, _ rules: [AuditConfiguration.SensitiveValue], resource: String = #"Writ::Tool::"pay""#,
        action: String = #"Writ::Action::"pay""#
    ) throws -> (String, [String]) {
        let (json, hashed) = Self.configuration(rules).recorded(
            context: try JSON.parse(Array(context.utf8)), resource: resource, action: action)
        return (json.encoded(), hashed)
    }

    @Test func aSensitiveStringIsRecordedAsTheHMACOfItsCanonicalJSON() throws {
        let (text, hashed) = try recorded(
            #"{"input": {"card": "4111111111111111", "amount": 5}}"#,
            [.init(resource: #"Writ::Tool::"pay""#, path: ["input", "card"])])
        #expect(text == #"{"input":{"card":{"sha256":"5b90d95161237ce2385af94f39d0f420ad1569ee25feb7ed5f87c18cd39ff079"},"amount":5}}"#)
        #expect(hashed == ["input.card"])
    }

    @Test func anObjectIsHashedWithItsKeysInScalarOrder() throws {
        let (text, _) = try recorded(
            #"{"input": {"card": {"number": "4111", "cvc": "123"}}}"#, [.init(action: #"Writ::Action::"pay""#, path: ["input", "card"])])
        #expect(text == #"{"input":{"card":{"sha256":"10f751efdcf4a03e1a04dc7078367c48231d9acf4eafc853c96337229a2da5d8"}}}"#)
    }

    @Test func aNumberIsHashedAsItsJSONText() throws {
        let (text, _) = try recorded(#"{"input": {"amount": 1200}}"#, [.init(path: ["input", "amount"])])
        #expect(text == #"{"input":{"amount":{"sha256":"f4612b9e4d6b8b3b1568e8ff5856e6ba5fc9f88cceeccb5f0c772754ee81f099"}}}"#)
    }

    @Test func aRuleForAnotherResourceLeavesTheValue() throws {
        let (text, hashed) = try recorded(
            #"{"input": {"card": "4111"}}"#, [.init(resource: #"Writ::Tool::"refund""#, path: ["input", "card"])])
        #expect(text == #"{"input":{"card":"4111"}}"#)
        #expect(hashed == [])
    }

    @Test func aPathThatIsNotThereHashesNothing() throws {
        let (text, hashed) = try recorded(#"{"input": {"amount": 5}}"#, [.init(path: ["input", "card", "number"])])
        #expect(text == #"{"input":{"amount":5}}"#)
        #expect(hashed == [])
    }

    @Test func credentialMembersAreLeftOutAtAnyDepth() throws {
        let (text, _) = try recorded(
            #"{"task_token": "t.x.y", "headers": {"Authorization": "Bearer s3cret", "X-Api-Key": "k", "accept": "json"}, "items": [{"password": "p", "n": 1}]}"#,
            [])
        #expect(text == #"{"headers":{"accept":"json"},"items":[{"n":1}]}"#)
    }

    @Test func credentialNamesIgnoreCaseDashesAndUnderscores() {
        #expect(AuditConfiguration.isCredentialName("TASK-TOKEN"))
        #expect(AuditConfiguration.isCredentialName("client_secret"))
        #expect(!AuditConfiguration.isCredentialName("token_count"))
    }
}

/// `audit.json`: the sensitive values `writ serve` hashes.
@Suite struct AuditConfigurationFileTests {
    @Test func aDocumentListsItsRules() throws {
        let rules = try AuditConfiguration.sensitiveValues(Array(#"{"sensitive": [{"resource": "Writ::Tool::\"pay\"", "path": ["input", "card"]}, {"path": ["ssn"]}]}"#.utf8))
        #expect(rules == [
            .init(resource: #"Writ::Tool::"pay""#, path: ["input", "card"]),
            .init(path: ["ssn"]),
        ])
    }

    @Test func aRuleWithoutAPathNamesItsPlace() {
        let error = #expect(throws: WritError.self) {
            try AuditConfiguration.sensitiveValues(Array(#"{"sensitive": [{"action": "Action::\"pay\""}]}"#.utf8))
        }
        #expect(error?.code == .missingField)
        #expect(error?.message == "audit.json: `sensitive[0]`.path must be a non-empty array of member names")
    }

    @Test func anUnknownMemberIsRefused() {
        let error = #expect(throws: WritError.self) {
            try AuditConfiguration.sensitiveValues(Array(#"{"salt": "x"}"#.utf8))
        }
        #expect(error?.message == "audit.json: unknown member `salt`; expected `sensitive`")
    }
}
