import Foundation
import GRDB
import Testing
import WritCore
import WritSQLite

/// Bytes that are the same on every run.
private func noise(count: Int, seed: UInt64) -> Data {
    var state = seed
    return Data((0..<count).map { _ in
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return UInt8(truncatingIfNeeded: state)
    })
}

/// Opens `path` with `body` applied to it first through a plain GRDB connection.
private func alter(_ path: String, _ body: (Database) throws -> Void) throws {
    let queue = try DatabaseQueue(path: path)
    try queue.inDatabase(body)
    try queue.close()
}

private func openingError(_ path: String) -> WritError? {
    #expect(throws: WritError.self) { try SQLiteStore(path: path) }
}

@Suite struct SQLiteStoreDamageTests {
    @Test(arguments: [
        ("random bytes", noise(count: 8192, seed: 0x5eed)),
        ("a text file", Data("policies:\n  - permit everything\n".utf8)),
        ("a page of zeros", Data(count: 4096)),
    ])
    func aFileThatIsNotADatabaseIsCorruptState(_ kind: String, _ bytes: Data) throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let path = directory.file("writ.sqlite")
        try bytes.write(to: URL(fileURLWithPath: path))
        let error = openingError(path)
        #expect(error?.code == .corruptState, "\(kind)")
        #expect(error?.message.contains("`\(path)`") == true, "\(kind)")
    }

    /// A closed store of about 40 pages, all in the main file.
    private func filledStore(in directory: TestDirectory) async throws -> String {
        let store = try SQLiteStore(directory: directory.path)
        let padding = String(repeating: "x", count: 400)
        try await store.upsertEntities((0..<400).map {
            StoredEntity(type: "User", id: "u\($0)", json: "{\"pad\": \"\(padding)\"}")
        })
        try store.close()
        try alter(store.path) { _ = try Row.fetchAll($0, sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        return store.path
    }

    /// Changes the bytes of the file at `path`.
    private func damage(_ path: String, _ body: (FileHandle) throws -> Void) throws {
        let file = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        try body(file)
        try file.close()
    }

    /// The big-endian number at `offset`.
    private func number(at offset: UInt64, bytes: Int, in file: FileHandle) throws -> UInt64 {
        try file.seek(toOffset: offset)
        return try #require(try file.read(upToCount: bytes)).reduce(0) { $0 << 8 | UInt64($1) }
    }

    @Test func aTruncatedDatabaseIsCorruptState() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let path = try await filledStore(in: directory)
        try damage(path) { try $0.truncate(atOffset: try $0.seekToEnd() / 2) }
        #expect(openingError(path) == WritError(
            .corruptState, "the database `\(path)` is damaged: database disk image is malformed"))
    }

    @Test func aDatabaseWithOverwrittenPagesIsCorruptState() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let path = try await filledStore(in: directory)
        try damage(path) { file in
            try file.seek(toOffset: try file.seekToEnd() / 2)
            try file.write(contentsOf: noise(count: 3000, seed: 42))
        }
        #expect(openingError(path) == WritError(
            .corruptState, "the database `\(path)` is damaged: database disk image is malformed"))
    }

    @Test func aPageThatNoTableUsesFailsTheIntegrityCheck() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let path = try await filledStore(in: directory)
        // Grow the file by one zeroed page and count it in the header's page count:
        // a page that no b-tree or free list owns.
        var pages: UInt64 = 0
        try damage(path) { file in
            let pageSize = try number(at: 16, bytes: 2, in: file)
            pages = try number(at: 28, bytes: 4, in: file)
            try file.seek(toOffset: 28)
            try file.write(contentsOf: withUnsafeBytes(of: UInt32(pages + 1).bigEndian) { Data($0) })
            try file.seek(toOffset: pages * pageSize)
            try file.write(contentsOf: Data(count: Int(pageSize)))
        }
        #expect(openingError(path) == WritError(
            .corruptState, "the database `\(path)` fails its integrity check: Page \(pages + 1) is never used"))
    }

    @Test func aDatabaseFromANewerWritIsCorruptState() throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let path = try SQLiteStore(directory: directory.path).path
        try alter(path) { try $0.execute(sql: "PRAGMA user_version = 9") }
        #expect(openingError(path) == WritError(
            .corruptState,
            "the store `\(path)` was written by a newer Writ (store format 9; this build reads formats up to 8)"))
    }

    @Test func aDatabaseWithAMigrationThisBuildDoesNotKnowIsCorruptState() throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let path = try SQLiteStore(directory: directory.path).path
        try alter(path) { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v2')") }
        #expect(openingError(path)?.code == .corruptState)
    }

    @Test func anotherApplicationsDatabaseIsCorruptStateAndLeftUntouched() throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let path = directory.file("other.sqlite")
        try alter(path) { try $0.execute(sql: "CREATE TABLE notes (body TEXT)") }
        #expect(openingError(path) == WritError(
            .corruptState, "`\(path)` is a SQLite database but not a Writ store (application id 0, 1 schema objects)"))
        let tables = try DatabaseQueue(path: path).read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_schema") }
        #expect(tables == ["notes"])
    }

    @Test func aMissingTableIsCorruptState() throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let path = try SQLiteStore(directory: directory.path).path
        try alter(path) { try $0.execute(sql: "DROP TABLE api_key") }
        #expect(openingError(path) == WritError(.corruptState, "the store `\(path)` has no `api_key` table"))
    }

    @Test func policyTextChangedBehindTheStoresBackIsCorruptState() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path)
        defer { try? store.close() }
        let record = try await store.appendPolicySet(draft(1), expectedLatest: nil)
        try alter(store.path) {
            try $0.execute(sql: "UPDATE policy_set_version SET files = CAST(? AS BLOB)",
                           arguments: [#"[{"name":"p.cedar","text":"permit(principal, action, resource);"}]"#])
        }
        let error = await #expect(throws: WritError.self) { try await store.latestPolicySet() }
        #expect(error == WritError(
            .corruptState, "policy set version 1 in `\(store.path)` does not match its digest `\(record.digest)`"))
        #expect(try await store.policySetHistory(limit: 1, before: nil).map(\.version) == [1])
    }

    @Test func anEntityIdThatIsNotUTF8IsCorruptState() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path)
        defer { try? store.close() }
        try await store.upsertEntities([StoredEntity(type: "User", id: "alice", json: "{}")])
        try alter(store.path) { try $0.execute(sql: "UPDATE entity SET id = X'FF61'") }
        let error = await #expect(throws: WritError.self) { try await store.allEntities() }
        #expect(error == WritError(
            .corruptState, "an entity of type `User` in `\(store.path)` has a `id` that is not UTF-8"))
    }

    @Test func anUnknownAPIKeyScopeIsCorruptState() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path)
        defer { try? store.close() }
        try await store.insertAPIKey(APIKeyRecord(
            id: "k1", name: "pep", scopes: [.decide], secretDigest: "00", createdAt: Date(timeIntervalSinceReferenceDate: 0)))
        try alter(store.path) { try $0.execute(sql: "UPDATE api_key SET scopes = 'decide,root'") }
        let error = await #expect(throws: WritError.self) { try await store.apiKey(id: "k1") }
        #expect(error == WritError(.corruptState, "API key `k1` in `\(store.path)` has an unknown scope `root`"))
    }
}
