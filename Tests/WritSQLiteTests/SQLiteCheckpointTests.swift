import Foundation
import GRDB
import Testing
import WritCore
import WritSQLite

/// The store's writer runs no checkpoint inside a commit; `SQLiteCheckpointer` copies
/// the write-ahead log in the background and keeps it bounded. The timer is set far
/// off here and each test runs the checkpoint itself (`checkpointWAL()`), so what the
/// log holds depends on the test's writes alone.
@Suite struct SQLiteCheckpointTests {
    private static func store(
        _ directory: TestDirectory, catchUpFrames: Int = 100_000, restartFrames: Int
    ) throws -> SQLiteStore {
        try SQLiteStore(
            directory: directory.path,
            configuration: .init(
                durability: .normal(syncInterval: .seconds(3600)), checkpointInterval: .seconds(3600),
                walCatchUpFrames: catchUpFrames, walRestartFrames: restartFrames))
    }

    private static func write(_ store: SQLiteStore, _ count: Int, from first: Int = 0) async throws {
        for n in first..<(first + count) {
            try await store.upsertEntities([StoredEntity(type: "User", id: "user-\(n)", json: "{}")])
        }
    }

    private static func walBytes(_ store: SQLiteStore) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: store.path + "-wal")
        return (attributes[.size] as? NSNumber)?.intValue ?? -1
    }

    /// Writes 45 entities and checkpoints while a reader's snapshot, taken after the
    /// first 5, keeps the checkpoint from copying the 40 after it.
    private static func checkpointLeavingPartUncopied(_ store: SQLiteStore) async throws {
        try await write(store, 5)
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        let reader = try DatabaseQueue(path: store.path, configuration: configuration)
        try reader.inDatabase { db in
            try db.beginTransaction(.deferred)
            _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM entity")
        }
        try await write(store, 40, from: 5)
        try await store.checkpointWAL()
        try reader.inDatabase { db in try db.commit() }
        try reader.close()
    }

    @Test func theWritingConnectionRunsNoAutomaticCheckpoint() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path)
        defer { try? store.close() }
        #expect(try await store.pragmaReport().walAutocheckpoint == 0)
    }

    @Test func pastAThousandPagesNoCommitCheckpointsTheLog() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try Self.store(directory, restartFrames: 100_000)
        defer { try? store.close() }
        try await Self.write(store, 600)
        // With SQLite's automatic checkpoint (1,000 pages) the log would have started
        // again from its beginning; each frame is a 24-byte header and a 4 KiB page.
        let frames = (try Self.walBytes(store) - 32) / (24 + 4096)
        #expect(frames > 1000)
        #expect(store.durableCheckpoints == 0)
    }

    @Test func aCheckpointOfALogPastItsBoundRestartsItAndLaterWritesReuseIt() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try Self.store(directory, restartFrames: 10)
        defer { try? store.close() }
        try await Self.write(store, 40)
        let before = try Self.walBytes(store)
        try await store.checkpointWAL()
        #expect(store.durableCheckpoints == 1)
        #expect(store.walRestarts == 1)
        try await Self.write(store, 10, from: 40)
        #expect(try Self.walBytes(store) == before, "the later writes start the log from its beginning again")
        #expect(try await store.allEntities().count == 50)
    }

    @Test func aCheckpointOfALogWithinItsBoundDoesNotRestartIt() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try Self.store(directory, restartFrames: 100_000)
        defer { try? store.close() }
        try await Self.write(store, 5)
        try await store.checkpointWAL()
        #expect(store.durableCheckpoints == 1)
        #expect(store.walRestarts == 0)
    }

    @Test func aCheckpointWithNothingWrittenSinceTheLastDoesNothing() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try Self.store(directory, restartFrames: 10)
        defer { try? store.close() }
        try await Self.write(store, 5)
        try await store.checkpointWAL()
        try await store.checkpointWAL()
        #expect(store.durableCheckpoints == 1)
    }

    @Test func aCheckpointAfterTheStoreClosedIsStoreUnavailable() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try Self.store(directory, restartFrames: 10)
        try await Self.write(store, 1)
        try store.close()
        let error = await #expect(throws: WritError.self) { try await store.checkpointWAL() }
        #expect(error?.code == .storeUnavailable)
    }

    @Test func aLogPastItsCatchUpBoundThatACheckpointLeftPartlyUncopiedIsCopiedAndStartedAgainByTheNextWrite()
        async throws
    {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try Self.store(directory, catchUpFrames: 10, restartFrames: 100_000)
        defer { try? store.close() }
        try await Self.checkpointLeavingPartUncopied(store)
        let before = try Self.walBytes(store)
        try await Self.write(store, 10, from: 45)
        #expect(store.walCatchUps == 1)
        #expect(store.walRestarts == 0)
        #expect(try Self.walBytes(store) == before, "the later writes start the log from its beginning again")
        #expect(try await store.allEntities().count == 55)
    }

    @Test func aLogWithinItsCatchUpBoundIsLeftToTheBackgroundCheckpoints() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try Self.store(directory, catchUpFrames: 100_000, restartFrames: 100_000)
        defer { try? store.close() }
        try await Self.checkpointLeavingPartUncopied(store)
        try await Self.write(store, 1, from: 45)
        #expect(store.walCatchUps == 0)
    }

    @Test func closingTheStoreClosesTheCheckpointersConnectionToo() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try Self.store(directory, restartFrames: 100_000)
        try await Self.write(store, 3)
        try store.close()
        // SQLite removes the write-ahead log when the last connection to the file closes.
        #expect(!FileManager.default.fileExists(atPath: store.path + "-wal"))
    }
}
