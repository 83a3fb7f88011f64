import Foundation
import GRDB
import Testing
import WritCore
import WritSQLite

func draft(_ n: Int) -> PolicySetDraft {
    PolicySetDraft(files: [SourceFile(name: "p.cedar", text: "// \(n)\n")], schema: nil, author: "cli")
}

/// Another connection to a database, holding it in `BEGIN EXCLUSIVE` until released.
struct ExclusiveLock {
    let queue: DatabaseQueue

    init(_ path: String) throws {
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.inDatabase { try $0.execute(sql: "BEGIN EXCLUSIVE") }
    }

    func release() throws {
        try queue.inDatabase { try $0.execute(sql: "ROLLBACK") }
        try queue.close()
    }
}

@Suite struct SQLiteStoreTests {
    @Test func itsWritesAreDeclaredToWait() throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path)
        defer { try? store.close() }
        #expect(store.writesWait == true)
    }

    @Test func writesSurviveClosingAndReopening() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path)
        let record = try await store.appendPolicySet(draft(1), expectedLatest: nil)
        try await store.upsertEntities([StoredEntity(type: "User", id: "alice", json: "{}")])
        let revision = try await store.entityRevision()
        try store.close()

        let reopened = try SQLiteStore(directory: directory.path)
        defer { try? reopened.close() }
        #expect(try await reopened.latestPolicySet() == record)
        #expect(try await reopened.allEntities() == [StoredEntity(type: "User", id: "alice", json: "{}")])
        #expect(try await reopened.entityRevision() == revision)
    }

    @Test func runsInWALModeWithFullSynchronousAndForeignKeys() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path)
        defer { try? store.close() }
        #expect(try await store.pragmaReport() == SQLitePragmaReport(
            journalMode: "wal", synchronous: 2, foreignKeys: true, busyTimeoutMilliseconds: 5000, walAutocheckpoint: 0))
    }

    @Test func normalDurabilityRunsWithNormalSynchronous() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(
            directory: directory.path, configuration: .init(durability: .normal(syncInterval: .milliseconds(100))))
        defer { try? store.close() }
        #expect(try await store.pragmaReport() == SQLitePragmaReport(
            journalMode: "wal", synchronous: 1, foreignKeys: true, busyTimeoutMilliseconds: 5000, walAutocheckpoint: 0))
        #expect(store.durability == .normal(syncInterval: .milliseconds(100)))
    }

    @Test func normalDurabilityCheckpointsTheLogAfterAWrite() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(
            directory: directory.path, configuration: .init(durability: .normal(syncInterval: .milliseconds(10))))
        defer { try? store.close() }
        #expect(store.durableCheckpoints == 0)
        try await store.upsertEntities([StoredEntity(type: "User", id: "alice", json: "{}")])
        // Bounded wait for the background checkpoint; the bound is generous, not a timing claim.
        for _ in 0..<1000 where store.durableCheckpoints == 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(store.durableCheckpoints == 1)
    }

    @Test func fullDurabilityAlsoCheckpointsTheLogAfterAWrite() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path, configuration: .init(checkpointInterval: .milliseconds(10)))
        defer { try? store.close() }
        #expect(store.durableCheckpoints == 0)
        try await store.upsertEntities([StoredEntity(type: "User", id: "alice", json: "{}")])
        // Bounded wait for the background checkpoint; the bound is generous, not a timing claim.
        for _ in 0..<1000 where store.durableCheckpoints == 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(store.durability == .full)
        #expect(store.durableCheckpoints == 1)
    }

    @Test func theBusyTimeoutIsConfigurable() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path, configuration: .init(busyTimeout: .milliseconds(200)))
        defer { try? store.close() }
        #expect(try await store.pragmaReport().busyTimeoutMilliseconds == 200)
    }

    @Test func aWriteBlockedByAnotherConnectionsExclusiveLockIsStoreUnavailable() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path, configuration: .init(busyTimeout: .milliseconds(200)))
        defer { try? store.close() }
        _ = try await store.appendPolicySet(draft(1), expectedLatest: nil)
        let lock = try ExclusiveLock(store.path)

        let error = await #expect(throws: WritError.self) {
            try await store.appendPolicySet(draft(2), expectedLatest: 1)
        }
        #expect(error == WritError(
            .storeUnavailable,
            "the store `\(store.path)` is locked by another connection and the busy timeout ran out: database is locked"))
        let keyError = await #expect(throws: WritError.self) {
            try await store.upsertEntities([StoredEntity(type: "User", id: "a", json: "{}")])
        }
        #expect(keyError?.code == .storeUnavailable)
        #expect(try await store.latestPolicySet()?.version == 1, "reads go on in WAL mode")

        try lock.release()
        #expect(try await store.appendPolicySet(draft(2), expectedLatest: 1).version == 2)
        #expect(try await store.allEntities() == [])
    }

    @Test func openingAStoreLockedByAnotherConnectionIsStoreUnavailable() throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let path = try SQLiteStore(directory: directory.path).path
        let lock = try ExclusiveLock(path)
        defer { try? lock.release() }
        let error = #expect(throws: WritError.self) {
            try SQLiteStore(path: path, configuration: .init(busyTimeout: .milliseconds(200)))
        }
        #expect(error == WritError(
            .storeUnavailable,
            "the store `\(path)` is locked by another connection and the busy timeout ran out: database is locked"))
    }

    @Test func twoStoresOnOneFileLetExactlyOneOfTwoRacingAppendsWin() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let first = try SQLiteStore(directory: directory.path)
        let second = try SQLiteStore(directory: directory.path)
        defer {
            try? first.close()
            try? second.close()
        }
        _ = try await first.appendPolicySet(draft(0), expectedLatest: nil)
        func append(_ store: SQLiteStore, _ n: Int) async -> String {
            do throws(WritError) {
                return "version \(try await store.appendPolicySet(draft(n), expectedLatest: 1).version)"
            } catch {
                return error.code.rawValue
            }
        }
        async let a = append(first, 1)
        async let b = append(second, 2)
        let outcomes = await [a, b]
        #expect(outcomes.sorted() == ["conflict", "version 2"])
        #expect(try await second.latestPolicySet()?.version == 2)
        #expect(try await first.policySetHistory(limit: 10, before: nil).map(\.version) == [2, 1])
    }

    @Test func aClosedStoreIsUnavailable() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path)
        try store.close()
        let error = await #expect(throws: WritError.self) {
            try await store.latestPolicySet()
        }
        #expect(error?.code == .storeUnavailable)
        #expect(error?.message.contains(store.path) == true)
    }

    @Test func theDirectoryIsCreatedWithItsParents() throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let nested = directory.file("a/b/c")
        let store = try SQLiteStore(directory: nested)
        defer { try? store.close() }
        #expect(store.path == nested + "/writ.sqlite")
        #expect(FileManager.default.fileExists(atPath: store.path))
    }

    @Test func aDirectoryThatCannotBeCreatedIsAClearError() throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let file = directory.file("plain-file")
        try Data("not a directory".utf8).write(to: URL(fileURLWithPath: file))
        let error = #expect(throws: WritError.self) {
            try SQLiteStore(directory: file + "/store")
        }
        #expect(error?.code == .storeUnavailable)
        #expect(error?.message.hasPrefix("cannot create the store directory `\(file)/store`: ") == true)
    }

    @Test func aPathThatIsADirectoryIsUnavailable() throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let error = #expect(throws: WritError.self) {
            try SQLiteStore(path: directory.path)
        }
        #expect(error?.code == .storeUnavailable)
        #expect(error?.message.contains("`\(directory.path)`") == true)
    }

    @Test func anEmptyFileBecomesANewStore() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let path = directory.file("empty.sqlite")
        try Data().write(to: URL(fileURLWithPath: path))
        let store = try SQLiteStore(path: path)
        defer { try? store.close() }
        #expect(try await store.latestPolicySet() == nil)
        #expect(try await store.appendPolicySet(draft(1), expectedLatest: nil).version == 1)
    }
}
