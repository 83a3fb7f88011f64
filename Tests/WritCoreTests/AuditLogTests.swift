import Cedar
import Foundation
import WritTestSupport
import Testing
@testable import WritCore

@Suite struct AuditLogTests {
    static func event(_ n: Int, task: String = "t1") -> AuditEvent {
        AuditEvent(
            kind: .decision, time: Date(timeIntervalSince1970: 1_750_000_000 + Double(n)), actor: "k1",
            decisionID: "d\(n)", taskID: task, agent: "bot", user: "alice", resource: "Tool::\"search\"",
            action: "Action::\"call\"", outcome: .allow, details: ["n": .number(.init(Int64(n)))])
    }

    static func temporaryDirectory() throws -> String {
        let path = ScratchDirectory.path("writ-audit")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func open(_ store: MemoryStore, directory: String? = nil) async throws -> AuditLog {
        try await AuditLog.open(
            store: store, signingKey: .generate(),
            configuration: .init(checkpointInterval: nil, checkpointDirectory: directory))
    }

    @Test func recordedEventsGetContiguousSequencesInOrderAndTheChainVerifies() async throws {
        let store = MemoryStore()
        let log = try await Self.open(store)
        try await log.record([Self.event(1), Self.event(2)])
        try await log.record([Self.event(3)])
        let records = try await store.auditRows(from: 1, limit: 10).map { row throws(WritError) in try AuditRecord(row: row) }
        #expect(records.map(\.sequence) == [1, 2, 3])
        #expect(records.map(\.event.decisionID) == ["d1", "d2", "d3"])
        #expect(records[1].previousHash == records[0].hash)
        #expect(try await AuditVerifier(store: store).verify() == .ok(size: 3, checkpoints: 0))
    }

    @Test func aReopenedLogContinuesTheChain() async throws {
        let store = MemoryStore()
        try await Self.open(store).record([Self.event(1)])
        try await Self.open(store).record([Self.event(2)])
        #expect(try await store.auditHead().sequence == 2)
        #expect(try await AuditVerifier(store: store).verify() == .ok(size: 2, checkpoints: 0))
    }

    @Test func closeWritesASignedCheckpointToTheStoreAndTheDirectory() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = MemoryStore()
        let log = try await Self.open(store, directory: directory)
        try await log.record([Self.event(1), Self.event(2)])
        try await log.close()
        let stored = try await store.auditCheckpoints()
        #expect(stored.map(\.size) == [2])
        #expect(stored.first?.headHash == (try await store.auditHead().hash))
        #expect(try AuditCheckpointDirectory(path: directory).readAll() == stored)
        #expect(
            try await AuditVerifier(store: store, externalCheckpoints: stored, trustedKeys: [log.signingKey.publicKey])
                .verify() == .ok(size: 2, checkpoints: 2))
    }

    @Test func aCheckpointIsWrittenOnlyWhenTheLogGrew() async throws {
        let store = MemoryStore()
        let log = try await Self.open(store)
        try await log.record([Self.event(1)])
        #expect(try await log.checkpoint()?.size == 1)
        #expect(try await log.checkpoint() == nil)
        try await log.record([Self.event(2)])
        #expect(try await log.checkpoint()?.size == 2)
    }

    @Test func recordingAfterCloseIsNotReady() async throws {
        let log = try await Self.open(MemoryStore())
        try await log.close()
        let error = await #expect(throws: WritError.self) { try await log.record([Self.event(1)]) }
        #expect(error?.code == .notReady)
    }

    @Test func aCheckpointSignedByAnUntrustedKeyFailsVerification() async throws {
        let store = MemoryStore()
        let log = try await Self.open(store)
        try await log.record([Self.event(1)])
        try await log.checkpoint()
        let outcome = try await AuditVerifier(store: store, trustedKeys: [AuditSigningKey.generate().publicKey]).verify()
        guard case .failed(let failure) = outcome, case .badCheckpoint(let size, _) = failure.problem else {
            Issue.record("expected a bad checkpoint, got \(outcome)")
            return
        }
        #expect(size == 1)
    }

    @Test func theSigningKeyFileIsCreatedWithMode0600AndReadBack() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/audit-signing-key"
        let created = try AuditSigningKey.load(path: path, create: true)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]
        #expect(((mode as? Int) ?? (mode as? NSNumber)?.intValue) == 0o600)
        #expect(try AuditSigningKey.load(path: path, create: false).keyID == created.keyID)
    }

    @Test func aSigningKeyFileOthersMayReadIsRefused() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/audit-signing-key"
        _ = try AuditSigningKey.load(path: path, create: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let error = #expect(throws: WritError.self) { try AuditSigningKey.load(path: path, create: false) }
        #expect(error?.code == .corruptState)
    }
}

@Suite struct AuditLogDetailsTests {
    @Test func anEventWhoseDetailsCannotBeReadBackIsRefusedAndNothingOfItsBatchIsRecorded() async throws {
        let store = MemoryStore()
        let log = try await AuditLogTests.open(store)
        var deep: JSON = "leaf"
        for _ in 0..<200 { deep = .array([deep]) }
        var event = AuditLogTests.event(2)
        event.details = ["deep": deep]
        let error = await #expect(throws: WritError.self) { try await log.record([AuditLogTests.event(1), event]) }
        #expect(error?.code == .invalidRequest)
        #expect(try await store.auditHead() == .empty)
    }
}
