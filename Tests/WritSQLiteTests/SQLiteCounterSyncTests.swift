import Foundation
import Testing
import WritCore
import WritSQLite

/// Under `Durability.full`, an allow's task counters may leave their sync to the
/// audit record written right after them (`TaskCounterSync.withNextRecord`): that
/// commit alone skips its sync, and the store syncs every other commit as before.
@Suite struct SQLiteCounterSyncTests {
    private static func task(_ id: String) -> TaskRecord {
        TaskRecord(
            id: id, agent: "bot", onBehalfOf: "alice", purpose: "sync test",
            mandate: [SourceFile(name: "mandate.cedar", text: "permit(principal, action, resource);\n")],
            parentID: nil, depth: 0, openedAt: Date(timeIntervalSince1970: 1_750_000_000),
            expiresAt: Date(timeIntervalSince1970: 1_750_003_600), openedBy: "key ops")
    }

    private static let usage = TaskCounters(decisions: 1, calls: 1, actions: ["mail": 1])

    @Test func afterCountersLeftToTheNextRecordTheStoreStillSyncsEveryCommit() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path)
        defer { try? store.close() }
        try await store.insertTask(Self.task("t1"))
        let added = try await store.addTaskCounters(
            [TaskCounterIncrement(taskID: "t1", counters: Self.usage)], sync: .withNextRecord)
        #expect(added)
        #expect(try await store.task(id: "t1")?.counters == Self.usage)
        #expect(try await store.pragmaReport().synchronous == 2)
    }

    @Test func aFailedIncrementLeftToTheNextRecordAlsoLeavesTheStoreSyncingEveryCommit() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path)
        defer { try? store.close() }
        try await store.insertTask(Self.task("t1"))
        let overflow = TaskCounters(decisions: Int.max, calls: 0)
        _ = try await store.addTaskCounters([TaskCounterIncrement(taskID: "t1", counters: overflow)])
        let error = await #expect(throws: WritError.self) {
            try await store.addTaskCounters([TaskCounterIncrement(taskID: "t1", counters: Self.usage)], sync: .withNextRecord)
        }
        #expect(error?.code == .conflict)
        #expect(try await store.task(id: "t1")?.counters == overflow)
        #expect(try await store.pragmaReport().synchronous == 2)
    }

    @Test func underNormalDurabilityTheSyncSettingIsUntouched() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(
            directory: directory.path, configuration: SQLiteStore.Configuration(durability: .normal(syncInterval: .seconds(1))))
        defer { try? store.close() }
        try await store.insertTask(Self.task("t1"))
        #expect(try await store.addTaskCounters([TaskCounterIncrement(taskID: "t1", counters: Self.usage)], sync: .withNextRecord))
        #expect(try await store.pragmaReport().synchronous == 1)
    }

    @Test func anAuditLogRecordsSyncedOnlyInTheStoreItAppendsTo() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path)
        defer { try? store.close() }
        let other = try SQLiteStore(directory: directory.path + "/other")
        defer { try? other.close() }
        let log = try await AuditLog.open(store: store, signingKey: .generate(), configuration: .init(checkpointInterval: nil))
        #expect(log.recordsSynced(in: store))
        #expect(!log.recordsSynced(in: other))
    }
}
