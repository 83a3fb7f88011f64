import Foundation
import MCP
import Testing
import WritCore
@testable import WritMCP

/// How the gateway applies the obligations of a `release` allow to a tool result
/// (WritGateway+Release.swift): what it cannot apply withholds the result.
struct ReleaseRedactionTests {
    static func obligations(_ properties: [String: Any]) throws -> [UInt8] {
        Array(try JSONSerialization.data(withJSONObject: [["id": "redact-1", "type": "custom", "properties": properties]]))
    }

    @Test func aWritRedactionIsRead() async throws {
        let read = try WritGateway.redactions(try Self.obligations([
            "vendor": "writ", "action": "redact", "policy": "p", "replacement": "[REDACTED]",
            "fields": ["customer.email"], "text_pattern": "\\d+",
        ]))
        #expect(read.count == 1)
        #expect(read[0].fields == [["customer", "email"]])
        #expect(read[0].pattern?.source == "\\d+")
    }

    @Test func anObligationOfAnotherVendorCannotBeApplied() async throws {
        let obligations = try Self.obligations(["vendor": "acme", "action": "redact"])
        #expect(throws: WritError.self) { try WritGateway.redactions(obligations) }
    }

    @Test func fieldsAndPatternsAreAppliedToStructuredContent() async throws {
        let redactions = try WritGateway.redactions(try Self.obligations([
            "vendor": "writ", "action": "redact", "fields": ["email"], "text_pattern": "\\d{3}",
        ]))
        let result = try CallTool.Result(
            content: [.text(text: "call 555", annotations: nil, _meta: nil)],
            structuredContent: Value.object(["email": "a@b.example", "note": "room 123"]))
        let redacted = try WritGateway.redacting(result, with: redactions)
        #expect(redacted.content == [.text(text: "call [REDACTED]", annotations: nil, _meta: nil)])
        #expect(redacted.structuredContent == ["email": "[REDACTED]", "note": "room [REDACTED]"])
    }

    @Test func contentOtherThanTextCannotBeRedacted() async throws {
        let redactions = try WritGateway.redactions(try Self.obligations(["vendor": "writ", "action": "redact", "text_pattern": "x"]))
        let result = CallTool.Result(content: [.image(data: "AAAA", mimeType: "image/png", annotations: nil, _meta: nil)])
        #expect(throws: WritError.self) { try WritGateway.redacting(result, with: redactions) }
    }

    @Test func fieldsCannotBeRedactedFromTextAlone() async throws {
        let redactions = try WritGateway.redactions(try Self.obligations(["vendor": "writ", "action": "redact", "fields": ["email"]]))
        let result = CallTool.Result(content: [.text(text: #"{"email": "a@b.example"}"#, annotations: nil, _meta: nil)])
        #expect(throws: WritError.self) { try WritGateway.redacting(result, with: redactions) }
    }
}
