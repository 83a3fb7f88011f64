import Cedar
import Foundation
import Testing
@testable import WritCore

/// The canonical JSON of audit details over many generated trees: what
/// `AuditCanonical.verifiableDetails` accepts after one encoding and one reading must
/// read back as the same bytes, as the verifier checks (docs/AUDIT.md).
@Suite struct AuditCanonicalPropertyTests {
    /// Pieces of strings that writers and readers get wrong: quotes, backslashes,
    /// every kind of control character, separators JavaScript treats as line ends,
    /// a byte order mark, noncharacters, the largest scalar, combining marks next to
    /// their precomposed forms, text that looks like escapes or JSON syntax.
    static let pieces = [
        "", "a", "Z", "\"", "\\", "\u{0}", "\u{1}", "\u{8}", "\u{9}", "\u{A}", "\u{C}", "\u{D}", "\u{1F}", "\u{7F}",
        "\u{80}", "\u{2028}", "\u{2029}", "\u{FEFF}", "\u{FFFE}", "\u{FFFF}", "\u{10FFFF}", "\u{E9}", "e\u{301}",
        "\u{1F600}", "\u{D7FF}", "\u{E000}", "/", "</script>", "\\u0000", "\\n", "{", "}", "[", "]", ",", ":", " ",
        "null", "-0", "\u{212B}", "A\u{30A}",
    ]

    /// Number texts at the edges: both ends of 64 bits and one past, zero with a sign,
    /// fractions, exponents of both signs and cases, beyond a double's range.
    static let numberTexts = [
        "0", "-0", "1", "-1", "9223372036854775807", "-9223372036854775808", "9223372036854775808",
        "-9223372036854775809", "123456789012345678901234567890", "1.5", "-0.0", "0.000001", "1e308", "1E+308",
        "2.5e-324", "1e400", "-1E-400", "10e0",
    ]

    static func string(_ random: inout SeededRandom) -> String {
        (0..<random.next(5)).map { _ in pieces[random.next(pieces.count)] }.joined()
    }

    static func number(_ random: inout SeededRandom) throws -> JSON {
        if random.next(3) == 0 {
            let magnitude = Int64(random.next(Int.max)) &* (random.next(2) == 0 ? 1 : -1)
            return .number(JSONNumber(magnitude))
        }
        return try JSON.parse(numberTexts[random.next(numberTexts.count)])
    }

    /// A tree of at most `depth` more levels; objects hold up to 20 members (past the
    /// reader's switch to a key index at 16), keys unique by their scalars.
    static func tree(_ random: inout SeededRandom, depth: Int) throws -> JSON {
        let choice = random.next(depth > 0 ? 8 : 5)
        switch choice {
        case 0: return .null
        case 1: return .bool(random.next(2) == 0)
        case 2: return try number(&random)
        case 3, 4: return .string(string(&random))
        case 5: return .array(try (0..<random.next(5)).map { _ in try tree(&random, depth: depth - 1) })
        default:
            var seen: Set<[UInt8]> = []
            var members: [(key: String, value: JSON)] = []
            for _ in 0..<(random.next(6) == 0 ? 20 : random.next(6)) {
                let key = string(&random)
                guard seen.insert(Array(key.utf8)).inserted else { continue }
                members.append((key: key, value: try tree(&random, depth: depth - 1)))
            }
            return .object(JSONObject(uniqueMembers: members))
        }
    }

    /// What verification checks of stored details: they read back and write again as
    /// the same bytes (the check `verifiableDetails` made before it read only once).
    static func roundTrips(_ details: JSON) -> Bool {
        let bytes = AuditCanonical.canonicalJSON(details)
        guard let parsed = try? JSON.parse(bytes) else { return false }
        return AuditCanonical.canonicalJSON(parsed) == bytes
    }

    static func nested(_ depth: Int) -> JSON {
        var value: JSON = "leaf"
        for level in 0..<depth { value = level % 2 == 0 ? .array([value]) : ["k": value] }
        return value
    }

    @Test func encodingParsingAndEncodingAgainGivesTheSameBytesFor3000GeneratedDetails() throws {
        var random = SeededRandom(seed: 7)
        var objects = 0
        for round in 0..<3000 {
            let details = try Self.tree(&random, depth: 6)
            if case .object = details { objects += 1 }
            let bytes = AuditCanonical.canonicalJSON(details)
            let parsed = try JSON.parse(bytes)
            #expect(AuditCanonical.canonicalJSON(parsed) == bytes, "round \(round)")
            #expect(parsed == details, "round \(round)")
            #expect(AuditCanonical.verifiableDetails(details) == bytes, "round \(round)")
        }
        #expect(objects > 300)
    }

    @Test func verifiableDetailsAcceptsExactlyTheDetailsThatReadBackAsTheSameBytes() throws {
        var random = SeededRandom(seed: 11)
        var refused = 0
        for round in 0..<1000 {
            var details = try Self.tree(&random, depth: 4)
            switch random.next(4) {
            case 0: details = ["deep": Self.nested(120 + random.next(12)), "x": details]
            case 1:
                let key = Self.string(&random)
                details = .object(JSONObject(uniqueMembers: [(key: key, value: details), (key: key, value: .null)]))
            default: break
            }
            let accepted = AuditCanonical.verifiableDetails(details) != nil
            if !accepted { refused += 1 }
            #expect(accepted == Self.roundTrips(details), "round \(round)")
        }
        #expect(refused > 200)
    }

    @Test func detailsNestedToTheReadersLimitAreAcceptedAndOneLevelDeeperRefused() {
        #expect(AuditCanonical.verifiableDetails(Self.nested(127)) != nil)
        #expect(AuditCanonical.verifiableDetails(Self.nested(128)) == nil)
    }

    @Test func detailsWithAKeyTwiceInOneObjectAreRefused() {
        let twice = JSON.object(JSONObject(uniqueMembers: [(key: "e\u{301}", value: 1), (key: "e\u{301}", value: 2)]))
        #expect(AuditCanonical.verifiableDetails(["outer": twice]) == nil)
    }

    @Test func keysEqualAsCharactersButNotAsScalarsAreTwoKeys() {
        let details = JSON.object(JSONObject(uniqueMembers: [(key: "e\u{301}", value: 1), (key: "\u{E9}", value: 2)]))
        #expect(AuditCanonical.verifiableDetails(details).map { String(decoding: $0, as: UTF8.self) }
            == "{\"e\u{301}\":1,\"\u{E9}\":2}")
    }

    @Test func aPreparedRecordLinkedAnywhereInTheChainDecodesToItsEventAtThatPlace() throws {
        let prepared = AuditCanonical.prepare(AuditCanonicalTests.event)
        let first = AuditCanonical.link(prepared, sequence: 1, previousHash: AuditCanonical.zeroHash)
        #expect(first.hash.auditHex == "6b33d886c35483d3642f19ddf46d3d3cbaacfb99bc606f05fb4681da28e1077e")
        let later = AuditCanonical.link(prepared, sequence: 42, previousHash: first.hash)
        let decoded = try AuditCanonical.decode(later.canonical)
        #expect(decoded.sequence == 42)
        #expect(decoded.previousHash == first.hash)
        #expect(decoded.event == AuditCanonicalTests.event)
        #expect(decoded.row == later)
    }
}
