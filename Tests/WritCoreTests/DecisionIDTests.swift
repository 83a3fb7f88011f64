import Foundation
import Testing

@testable import WritCore

/// A decision id is `dec_` and 128 bits in base64url: the millisecond it was made in
/// (48 bits, big-endian), then 80 random bits — so that the audit log's index on
/// decision ids takes the entries of records made together in adjacent pages.
@Suite struct DecisionIDTests {
    /// 2025-06-15T15:06:40.123456Z.
    let time = Date(timeIntervalSince1970: 1_750_000_000.123_456)

    /// The 16 bytes an id encodes.
    func bytes(_ id: String) throws -> [UInt8] {
        #expect(id.hasPrefix("dec_"))
        return try #require(Base64URL.decode(id.dropFirst(4).utf8))
    }

    @Test func anIDIsDecAndTwentyTwoBase64URLCharacters() throws {
        let id = DecisionAudit.newDecisionID(at: time)
        #expect(id.count == 26)
        #expect(try bytes(id).count == 16)
    }

    @Test func anIDBeginsWithTheMillisecondItWasMadeInBigEndian() throws {
        let leading = try bytes(DecisionAudit.newDecisionID(at: time)).prefix(6)
        let milliseconds = leading.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        #expect(milliseconds == 1_750_000_000_123)
    }

    @Test func idsMadeInTheSameMillisecondShareTheirFirstTwelveCharactersAndDifferAfter() {
        let first = DecisionAudit.newDecisionID(at: time)
        let second = DecisionAudit.newDecisionID(at: time.addingTimeInterval(0.0005))
        #expect(first.prefix(12) == second.prefix(12))
        #expect(first != second)
    }

    @Test func idsMadeAMillisecondApartDifferInTheirTime() throws {
        let first = try bytes(DecisionAudit.newDecisionID(at: time)).prefix(6)
        let second = try bytes(DecisionAudit.newDecisionID(at: time.addingTimeInterval(0.001))).prefix(6)
        #expect(Array(first) != Array(second))
        #expect(Array(first.prefix(5)) == Array(second.prefix(5)))
    }

    @Test func tenThousandIDsMadeInOneMillisecondAreAllDistinct() {
        let ids = Set((0..<10_000).map { _ in DecisionAudit.newDecisionID(at: time) })
        #expect(ids.count == 10_000)
    }

    @Test func aTimeBefore1970IsClampedToZeroNotACrash() throws {
        let leading = try bytes(DecisionAudit.newDecisionID(at: Date(timeIntervalSince1970: -5))).prefix(6)
        #expect(Array(leading) == [0, 0, 0, 0, 0, 0])
    }

    @Test func aTimePastFortyEightBitsOfMillisecondsIsClampedNotACrash() throws {
        let leading = try bytes(DecisionAudit.newDecisionID(at: Date(timeIntervalSince1970: 1e300))).prefix(6)
        #expect(Array(leading) == [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
    }
}
