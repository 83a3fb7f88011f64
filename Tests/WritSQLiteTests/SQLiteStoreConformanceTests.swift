import Synchronization
import Testing
import WritCore
import WritSQLite
import WritStoreConformance

/// Opens `writ.sqlite` in one directory, closing the previous instance first so
/// that a reopened store reads what reached the file.
private final class SQLiteHarness: StoreConformanceHarness {
    let directory: String
    private let opened = Mutex<SQLiteStore?>(nil)

    init(directory: String) { self.directory = directory }

    func openStore() async throws -> any WritStore {
        try opened.withLock { previous in
            try previous?.close()
            let store = try SQLiteStore(directory: directory)
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
        let harness = SQLiteHarness(directory: directory.path)
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
