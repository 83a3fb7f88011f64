import Cedar
import Foundation
import Testing
@testable import WritCore

@Suite struct AuditCanonicalTests {
    static let event = AuditEvent(
        kind: .decision, time: Date(timeIntervalSince1970: 1_750_000_000.123456), actor: "k1", decisionID: "d1",
        taskID: "t1", agent: nil, user: "alice", resource: "Tool::\"search\"", action: "Action::\"call\"",
        outcome: .allow, details: ["b": 1, "a": "x\n"])

    @Test func aRecordEncodesToTheBytesAndHashDocsAuditSpecifies() {
        // Computed independently with Python's struct and hashlib from docs/AUDIT.md.
        let row = AuditCanonical.encode(Self.event, sequence: 1, previousHash: AuditCanonical.zeroHash)
        #expect(row.canonical.auditHex == "000000080000000000000001000000080006379da05d4240000000086465636973696f6e000000026b31000000026431000000027431ffffffff00000005616c6963650000000e546f6f6c3a3a22736561726368220000000e416374696f6e3a3a2263616c6c2200000005616c6c6f77000000117b2261223a22785c6e222c2262223a317d000000200000000000000000000000000000000000000000000000000000000000000000")
        #expect(row.hash.auditHex == "6b33d886c35483d3642f19ddf46d3d3cbaacfb99bc606f05fb4681da28e1077e")
    }

    @Test func canonicalJSONSortsKeysByScalarsAtEveryDepthWithoutWhitespace() {
        let json: JSON = ["\u{E9}": [["z": 1, "a": nil]], "b": true, "B": "\u{1}\"\\"]
        #expect(String(decoding: AuditCanonical.canonicalJSON(json), as: UTF8.self)
            == "{\"B\":\"\\u0001\\\"\\\\\",\"b\":true,\"\u{E9}\":[{\"a\":null,\"z\":1}]}")
    }

    @Test func aRecordDecodesBackToTheSameEventAndColumns() throws {
        let row = AuditCanonical.encode(Self.event, sequence: 7, previousHash: [UInt8](repeating: 9, count: 32))
        let decoded = try AuditCanonical.decode(row.canonical)
        #expect(decoded.event == Self.event)
        #expect(decoded.row == row)
    }

    @Test func bytesAfterTheLastFieldDoNotDecode() {
        let row = AuditCanonical.encode(Self.event, sequence: 1, previousHash: AuditCanonical.zeroHash)
        #expect(throws: AuditCanonical.DecodeError.self) { try AuditCanonical.decode(row.canonical + [0]) }
    }

    @Test func timesAreRFC3339WithSixFractionalDigits() {
        #expect(AuditTime.format(micros: 1_750_000_000_123_456) == "2025-06-15T15:06:40.123456Z")
        #expect(AuditTime.format(micros: -1) == "1969-12-31T23:59:59.999999Z")
        #expect(AuditTime.format(micros: 0) == "1970-01-01T00:00:00.000000Z")
    }

    @Test func aCheckpointSignatureVerifiesAndATamperedOneDoesNot() throws {
        let key = AuditSigningKey.generate()
        var checkpoint = try key.sign(AuditHead(sequence: 3, hash: [UInt8](repeating: 1, count: 32)), at: Date())
        #expect(checkpoint.signatureProblem == nil)
        checkpoint.size = 4
        #expect(checkpoint.signatureProblem == "its signature does not verify")
    }
}
