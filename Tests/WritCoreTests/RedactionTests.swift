import Cedar
import Testing
import WritCore

/// Redactions: declared by `@redact_fields` / `@redact_text` on permit policies,
/// carried by the allows they decide, applied to output by `Redaction.apply`.
@Suite struct RedactionTests {
    static let release = """
        @id("release-without-pii")
        @redact_fields("customer.email, cards.number, *.ssn")
        @redact_text("\\\\d{3}-\\\\d{2}-\\\\d{4}")
        permit (principal, action == Action::"release", resource);
        """

    func compiled(_ text: String) throws -> CompiledPolicySet {
        try PolicySetCompiler.compile(files: [SourceFile(name: "release.cedar", text: text)], resolvedSchema: nil)
    }

    func compileError(_ text: String) -> WritError? {
        do {
            _ = try compiled(text)
            return nil
        } catch {
            return error as? WritError
        }
    }

    func output(_ json: String, _ redactions: [Redaction]) throws -> String {
        String(decoding: try Redaction.apply(redactions, toJSON: Array(json.utf8)), as: UTF8.self)
    }

    @Test func aPermitPolicyDeclaresItsFieldsAndPattern() throws {
        let redaction = try #require(try compiled(Self.release).redactions["release-without-pii"])
        #expect(redaction.fieldPaths == ["customer.email", "cards.number", "*.ssn"])
        #expect(redaction.pattern?.source == #"\d{3}-\d{2}-\d{4}"#)
    }

    @Test func fieldsAreReplacedInPlaceAndArraysAreWalkedThrough() throws {
        let redaction = try #require(try compiled(Self.release).redactions["release-without-pii"])
        let json = #"{"customer":{"name":"Jo","email":"jo@x.example"},"cards":[{"number":"4111","exp":"12/30"},{"number":"5500"}],"owner":{"ssn":"1"}}"#
        #expect(try output(json, [redaction]) == #"{"customer":{"name":"Jo","email":"[REDACTED]"},"cards":[{"number":"[REDACTED]","exp":"12/30"},{"number":"[REDACTED]"}],"owner":{"ssn":"[REDACTED]"}}"#)
    }

    @Test func thePatternIsRedactedInEveryStringOfJSONOutput() throws {
        let redaction = try #require(try compiled(Self.release).redactions["release-without-pii"])
        #expect(try output(#"{"notes":["ssn 078-05-1120","none"],"n":7}"#, [redaction]) == #"{"notes":["ssn [REDACTED]","none"],"n":7}"#)
    }

    @Test func thePatternIsRedactedInPlainText() throws {
        let redaction = try #require(try compiled(Self.release).redactions["release-without-pii"])
        #expect(try Redaction.apply([redaction], toText: "ssn 078-05-1120.") == "ssn [REDACTED].")
    }

    @Test func outputThatIsNotJSONIsAnErrorNotAPassThrough() throws {
        let redaction = try #require(try compiled(Self.release).redactions["release-without-pii"])
        #expect(throws: WritError.self) { try Redaction.apply([redaction], toJSON: Array("ssn 078-05-1120".utf8)) }
    }

    @Test func anAllowCarriesTheRedactionsOfItsDecidingPolicies() async throws {
        let service = DecisionService(store: MemoryStore())
        try await service.bootstrap(
            PolicySetDraft(files: [SourceFile(name: "release.cedar", text: Self.release)], schema: nil, author: "test"),
            entities: nil)
        let decision = try service.decide(Request(
            principal: EntityUID(type: EntityType("User"), id: "a"), action: EntityUID(type: EntityType("Action"), id: "release"),
            resource: EntityUID(type: EntityType("Doc"), id: "d"), context: Record()))
        #expect(decision.allowed)
        #expect(decision.redactions.map(\.policyID) == ["release-without-pii"])
    }

    @Test func aRedactionOnAForbidIsRefusedWithItsLocation() {
        let error = compileError("""
            permit (principal, action, resource);
            @redact_fields("a")
            forbid (principal, action, resource);
            """)
        #expect(error?.code == .invalidPolicySet)
        #expect(error?.details.first?.location == WritError.Location(file: "release.cedar", line: 2, column: 1))
        #expect(error?.message.hasPrefix("release.cedar:2:1: policy `policy1`: `@redact_fields` is only meaningful on a permit policy") == true)
    }

    @Test func aBadTextPatternIsRefusedNamingItsColumn() {
        let error = compileError("""
            @redact_text("ab(c")
            permit (principal, action, resource);
            """)
        #expect(error?.code == .invalidPolicySet)
        #expect(error?.message == "release.cedar:1:1: policy `policy0`: `@redact_text(\"…\")`, column 3: `(` is never closed")
    }

    @Test func anEmptyFieldPathIsRefused() {
        let error = compileError("""
            @redact_fields("a,,b")
            permit (principal, action, resource);
            """)
        #expect(error?.code == .invalidPolicySet)
        #expect(error?.message.contains("holds the path ``") == true)
    }
}
