import Foundation
import Synchronization
import Testing
@testable import WritCore

/// Where a caller's own write runs: a commit holds its thread through the fsync, so a
/// caller on the shared cooperative pool hands it to the audit writer's thread, and a
/// caller on a thread of its own (a task executor it prefers) writes in place.
@Suite struct AuditLogThreadTests {
    @Test func aCallerOnTheCooperativePoolHasItsRecordWrittenOnTheWritersThread() async throws {
        let store = ThreadNamingStore()
        let log = try await AuditLog.open(store: store, signingKey: .generate(), configuration: .init(checkpointInterval: nil))
        try await log.record([AuditLogTests.event(1)])
        let writer = try #require(AuditWriterExecutor.shared.threadID.withLock { $0 })
        #expect(store.appendingThreads == [writer])
    }

    @Test func aCallerPreferringAThreadOfItsOwnHasItsRecordWrittenThere() async throws {
        let store = ThreadNamingStore()
        let log = try await AuditLog.open(store: store, signingKey: .generate(), configuration: .init(checkpointInterval: nil))
        let executor = AuditWriterExecutor(name: "writ-test-caller")
        try await Task(executorPreference: executor) { try await log.record([AuditLogTests.event(1)]) }.value
        let caller = try #require(executor.threadID.withLock { $0 })
        #expect(store.appendingThreads == [caller])
    }
}

/// An in-memory audit store that notes the thread each append runs on.
final class ThreadNamingStore: AuditStore {
    private let state = Mutex<(rows: [AuditRow], threads: [String])>(([], []))

    var appendingThreads: [String] { state.withLock { $0.threads } }

    func appendAuditRows(_ rows: [AuditRow]) async throws(WritError) {
        let name = AuditWriterExecutor.currentThreadID() ?? "unknown"
        try state.withLock { state throws(WritError) in
            try WritError.checkAuditAppend(rows, head: state.rows.count)
            state.rows += rows
            state.threads.append(name)
        }
    }

    func auditHead() async throws(WritError) -> AuditHead {
        state.withLock { $0.rows.last.map { AuditHead(sequence: $0.sequence, hash: $0.hash) } ?? .empty }
    }
    func auditRows(from first: Int, limit: Int) async throws(WritError) -> [AuditRow] {
        state.withLock { Array($0.rows.dropFirst(max(first, 1) - 1).prefix(limit)) }
    }
    func queryAuditRows(_ query: AuditQuery) async throws(WritError) -> [AuditRow] { [] }
    func insertAuditCheckpoint(_ checkpoint: AuditCheckpoint) async throws(WritError) {}
    func auditCheckpoints() async throws(WritError) -> [AuditCheckpoint] { [] }
}
