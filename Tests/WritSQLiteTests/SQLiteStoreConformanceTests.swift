import Synchronization
import Testing
import WritCore
import WritSQLite
import WritStoreConformance

/// Opens `writ.sqlite` in one directory, closing the previous instance first so
/// that a reopened store reads what reached the file.
private final class SQLiteHarness: StoreConformanceHarness {
    let directory: String
    let durability: SQLiteStore.Durability
    private let opened = Mutex<SQLiteStore?>(nil)

    init(directory: String, durability: SQLiteStore.Durability) {
        self.directory = directory
        self.durability = durability
    }

    func openStore() async throws -> any WritStore {
        try opened.withLock { previous in
            try previous?.close()
            let store = try SQLiteStore(directory: directory, configuration: .init(durability: durability))
            previous = store
            return store
        }
    }

    func close() throws {
        try opened.withLock { try $0?.close() }
    }
}

@Suite struct SQLiteStoreConformance {
    @Test(arguments: StoreConformance.cases(for: [.durable]))
    func conforms(_ conformanceCase: StoreConformanceCase) async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let harness = SQLiteHarness(directory: directory.path, durability: .full)
        try await conformanceCase.run(with: harness)
        try harness.close()
    }

    /// The same cases with commits fsynced by periodic checkpoints rather than each
    /// commit: what the store promises does not depend on its durability setting.
    @Test(arguments: StoreConformance.cases(for: [.durable]))
    func conformsWithNormalDurability(_ conformanceCase: StoreConformanceCase) async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let harness = SQLiteHarness(directory: directory.path, durability: .normal(syncInterval: .milliseconds(5)))
        try await conformanceCase.run(with: harness)
        try harness.close()
    }

    @Test func claimsDurabilitySoEveryCaseRuns() throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path)
        #expect(store.capabilities == [.durable])
        #expect(StoreConformance.cases(for: store.capabilities).count == StoreConformance.all.count)
    }
}
