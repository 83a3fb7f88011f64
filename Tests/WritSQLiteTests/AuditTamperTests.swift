import Foundation
import GRDB
import Testing
import WritCore
import WritSQLite

/// Someone with write access to the database file changes the audit log; every
/// change is found, and the first bad record named.
@Suite struct AuditTamperTests {
    static let columns = [
        "canonical", "hash", "previous_hash", "kind", "time_us", "actor", "decision_id", "task_id", "agent",
        "user_id", "resource", "action", "outcome",
    ]

    @Test func anUntouchedLogVerifiesWithItsCheckpoints() async throws {
        let fixture = try await AuditTamperFixture()
        defer { fixture.remove() }
        #expect(try await fixture.verify() == .ok(size: 50, checkpoints: 4))
    }

    @Test func oneFlippedByteInAnyColumnOfARandomRecordIsFoundAndNamedIn1000Trials() async throws {
        let fixture = try await AuditTamperFixture()
        defer { fixture.remove() }
        try await fixture.raw.write { try $0.execute(sql: "CREATE TEMP TABLE pristine AS SELECT * FROM audit_record") }
        var random = SeededGenerator(state: 7)
        var missed: [String] = []
        for trial in 0..<1000 {
            let sequence = Int.random(in: 1...AuditTamperFixture.size, using: &random)
            let flip = UInt8.random(in: 1...255, using: &random)
            let pick = Int.random(in: 0..<1_000_000, using: &random)
            let column = try await fixture.raw.write { db -> String in
                let row = try Row.fetchOne(db, sql: "SELECT * FROM audit_record WHERE sequence = ?", arguments: [sequence])!
                let present = Self.columns.filter { !(row[$0] as DatabaseValue).isNull }
                let column = present[pick % present.count]
                if column == "time_us" {
                    let value: Int64 = row[column]
                    let changed = value ^ (Int64(flip) << (8 * Int64(pick % 8)))
                    try db.execute(sql: "UPDATE audit_record SET time_us = ? WHERE sequence = ?", arguments: [changed, sequence])
                } else {
                    var bytes = Array(try row.decode(Data.self, forColumn: column))
                    bytes[pick % bytes.count] ^= flip
                    try db.execute(
                        sql: "UPDATE audit_record SET \(column) = ? WHERE sequence = ?", arguments: [Data(bytes), sequence])
                }
                return column
            }
            let outcome = try await fixture.verify()
            if case .failed(let failure) = outcome, failure.sequence == sequence {
            } else {
                missed.append("trial \(trial): \(column) of record \(sequence): \(outcome)")
            }
            try await fixture.raw.write { db in
                try db.execute(sql: "UPDATE audit_record SET \(column) = (SELECT \(column) FROM pristine WHERE sequence = ?) WHERE sequence = ?",
                               arguments: [sequence, sequence])
            }
        }
        #expect(missed == [])
        #expect(try await fixture.verify() == .ok(size: 50, checkpoints: 4))
    }

    @Test func aDeletedRecordIsNamedAsMissing() async throws {
        let fixture = try await AuditTamperFixture()
        defer { fixture.remove() }
        try await fixture.raw.write { try $0.execute(sql: "DELETE FROM audit_record WHERE sequence = 17") }
        #expect(try await fixture.verify() == .failed(.init(sequence: 17, problem: .missing)))
    }

    @Test func twoSwappedRecordsAreFoundAtTheFirst() async throws {
        let fixture = try await AuditTamperFixture()
        defer { fixture.remove() }
        try await fixture.raw.write { db in
            try db.execute(sql: """
                UPDATE audit_record SET sequence = 1000010 WHERE sequence = 10;
                UPDATE audit_record SET sequence = 10 WHERE sequence = 20;
                UPDATE audit_record SET sequence = 20 WHERE sequence = 1000010;
                """)
        }
        #expect(try await fixture.verify() == .failed(.init(sequence: 10, problem: .columnMismatch(column: "sequence"))))
    }

    @Test func anInsertedRecordWithACorrectHashIsFoundAtTheRecordItDisplaced() async throws {
        let fixture = try await AuditTamperFixture()
        defer { fixture.remove() }
        try await fixture.raw.write { db in
            try db.execute(sql: """
                UPDATE audit_record SET sequence = sequence + 1000000 WHERE sequence >= 11;
                UPDATE audit_record SET sequence = sequence - 999999 WHERE sequence >= 1000000;
                """)
            let previous = Array(try Data.fetchOne(db, sql: "SELECT hash FROM audit_record WHERE sequence = 10")!)
            let forged = AuditCanonical.encode(AuditTamperFixture.event(99), sequence: 11, previousHash: previous)
            try AuditTamperFixture.insert(forged, db)
        }
        #expect(try await fixture.verify() == .failed(.init(sequence: 12, problem: .columnMismatch(column: "sequence"))))
    }

    @Test func aTruncatedTailIsFoundThroughTheCheckpoint() async throws {
        let fixture = try await AuditTamperFixture()
        defer { fixture.remove() }
        try await fixture.raw.write { try $0.execute(sql: "DELETE FROM audit_record WHERE sequence > 40") }
        #expect(try await fixture.verify() == .failed(.init(sequence: 41, problem: .truncated(checkpointSize: 50))))
    }

    @Test func aTruncatedTailIsFoundThroughTheExternalCheckpointWhenTheStoredOnesAreDeletedToo() async throws {
        let fixture = try await AuditTamperFixture()
        defer { fixture.remove() }
        try await fixture.raw.write { db in
            try db.execute(sql: "DELETE FROM audit_record WHERE sequence > 40; DELETE FROM audit_checkpoint;")
        }
        #expect(try await fixture.verify() == .failed(.init(sequence: 41, problem: .truncated(checkpointSize: 50))))
    }

    @Test func aRewrittenChainResignedWithAnotherKeyIsFoundByTheKeyAndByTheExternalCheckpoints() async throws {
        let fixture = try await AuditTamperFixture()
        defer { fixture.remove() }
        try await rewriteAndResign(fixture, with: AuditSigningKey.generate())
        guard case .failed(let failure) = try await fixture.verify(external: false),
            case .badCheckpoint(let size, _) = failure.problem
        else {
            Issue.record("a checkpoint signed by another key verified")
            return
        }
        #expect(size == 25)
        #expect(
            try await fixture.verify(trustingKey: false)
                == .failed(.init(sequence: 25, problem: .checkpointMismatch(size: 25))))
    }

    @Test func aRewrittenChainResignedWithTheSameKeyIsFoundThroughTheExternalCheckpoints() async throws {
        let fixture = try await AuditTamperFixture()
        defer { fixture.remove() }
        try await rewriteAndResign(fixture, with: fixture.key)
        #expect(try await fixture.verify(external: false) == .ok(size: 50, checkpoints: 2))
        #expect(try await fixture.verify() == .failed(.init(sequence: 25, problem: .checkpointMismatch(size: 25))))
    }

    /// Changes record 5 and every hash after it, and replaces the stored checkpoints
    /// with ones `key` signs over the new chain.
    private func rewriteAndResign(_ fixture: AuditTamperFixture, with key: AuditSigningKey) async throws {
        let events = (5...AuditTamperFixture.size).map { AuditTamperFixture.event($0, note: $0 == 5 ? "forged" : "") }
        try await fixture.rewrite(from: 5, with: events)
        var checkpoints: [AuditCheckpoint] = []
        for size in [25, 50] {
            let hash = try await fixture.store.auditRows(from: size, limit: 1)[0].hash
            checkpoints.append(try key.sign(AuditHead(sequence: size, hash: hash), at: Date()))
        }
        try await fixture.raw.write { try $0.execute(sql: "DELETE FROM audit_checkpoint") }
        for checkpoint in checkpoints { try await fixture.store.insertAuditCheckpoint(checkpoint) }
    }
}
