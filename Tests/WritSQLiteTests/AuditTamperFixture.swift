import Cedar
import Foundation
import GRDB
import Testing
import WritCore
import WritSQLite

/// A real SQLite store holding a 50-record audit log, with a checkpoint at 25 and
/// one at 50 in the store and in an external directory, and a raw connection to
/// tamper with the file.
struct AuditTamperFixture {
    static let size = 50

    let directory: TestDirectory
    let store: SQLiteStore
    let key: AuditSigningKey
    let checkpointDirectory: String
    let raw: DatabaseQueue

    init() async throws {
        directory = try TestDirectory()
        store = try SQLiteStore(directory: directory.path)
        key = try AuditSigningKey.load(path: directory.file("audit-signing-key"), create: true)
        checkpointDirectory = directory.file("checkpoints")
        let log = try await AuditLog.open(
            store: store, signingKey: key,
            configuration: .init(checkpointInterval: nil, checkpointDirectory: checkpointDirectory))
        for n in 1...Self.size {
            try await log.record([Self.event(n)])
            if n == Self.size / 2 { try await log.checkpoint() }
        }
        try await log.close()
        raw = try DatabaseQueue(path: store.path)
    }

    /// Event n: a decision, or every seventh a task opening without outcome or decision id.
    static func event(_ n: Int, note: String = "") -> AuditEvent {
        let opened = n % 7 == 0
        return AuditEvent(
            kind: opened ? .taskOpened : .decision, time: Date(timeIntervalSince1970: 1_750_000_000 + Double(n) * 0.25),
            actor: "key-\(n % 3)", decisionID: opened ? nil : "decision-\(n)", taskID: "task-\(n % 4)",
            agent: "agent-\(n % 2)", user: n % 5 == 0 ? nil : "user-\(n % 5)", resource: "Tool::\"tool-\(n % 6)\"",
            action: "Action::\"call\"", outcome: opened ? nil : (n % 2 == 0 ? .allow : .deny),
            details: ["n": .number(.init(Int64(n))), "note": .string(note), "args": ["q": .string("text \(n)")]])
    }

    /// Verifies with the store's and the directory's checkpoints and the key file's key.
    func verify(trustingKey: Bool = true, external: Bool = true) async throws -> AuditVerifier.Outcome {
        let checkpoints = external ? try AuditCheckpointDirectory(path: checkpointDirectory).readAll() : []
        return try await AuditVerifier(
            store: store, externalCheckpoints: checkpoints, trustedKeys: trustingKey ? [key.publicKey] : nil,
            pageSize: 16
        ).verify()
    }

    /// Rewrites the records from `first` on with `events`, recomputing every hash from
    /// the record before, as someone with database access could.
    func rewrite(from first: Int, with events: [AuditEvent]) async throws {
        try await raw.write { db in
            var previous = first == 1
                ? AuditCanonical.zeroHash
                : Array(try Data.fetchOne(db, sql: "SELECT hash FROM audit_record WHERE sequence = ?", arguments: [first - 1])!)
            try db.execute(sql: "DELETE FROM audit_record WHERE sequence >= ?", arguments: [first])
            for (offset, event) in events.enumerated() {
                let row = AuditCanonical.encode(event, sequence: first + offset, previousHash: previous)
                try Self.insert(row, db)
                previous = row.hash
            }
        }
    }

    static func insert(_ row: AuditRow, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO audit_record (sequence, kind, time_us, actor, decision_id, task_id, agent, user_id, resource,
                    action, outcome, previous_hash, hash, canonical) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                row.sequence, Data(row.kind.utf8), row.timeMicros, row.actor.map { Data($0.utf8) },
                row.decisionID.map { Data($0.utf8) }, row.taskID.map { Data($0.utf8) }, row.agent.map { Data($0.utf8) },
                row.user.map { Data($0.utf8) }, row.resource.map { Data($0.utf8) }, row.action.map { Data($0.utf8) },
                row.outcome.map { Data($0.utf8) }, Data(row.previousHash), Data(row.hash), Data(row.canonical),
            ])
    }

    func remove() {
        try? store.close()
        directory.remove()
    }
}

/// SplitMix64: a seeded generator, so every run tampers the same way.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
