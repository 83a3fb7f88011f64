import Cedar
import Foundation
import Testing
import WritCore
import WritSQLite

@Suite struct AuditLogSQLiteTests {
    static func event(_ n: Int) -> AuditEvent {
        AuditEvent(
            kind: .decision, time: Date(timeIntervalSince1970: 1_750_000_000), actor: "k1", decisionID: "d\(n)",
            taskID: "t\(n % 10)", agent: "bot", outcome: .allow, details: ["n": .number(.init(Int64(n)))])
    }

    @Test func a1000ConcurrentRecordsAreWrittenOnceEachWithContiguousSequencesAndTheChainVerifies() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path)
        let log = try await AuditLog.open(
            store: store, signingKey: .generate(), configuration: .init(checkpointInterval: nil))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 1...1000 {
                group.addTask { try await log.record([Self.event(n)]) }
            }
            try await group.waitForAll()
        }
        try await log.close()
        var rows: [AuditRow] = []
        while rows.count < 1000, case let page = try await store.auditRows(from: rows.count + 1, limit: 300), !page.isEmpty {
            rows += page
        }
        #expect(rows.map(\.sequence) == Array(1...1000))
        #expect(Set(rows.compactMap(\.decisionID)) == Set((1...1000).map { "d\($0)" }))
        #expect(rows.count == 1000)
        #expect(try await AuditVerifier(store: store).verify() == .ok(size: 1000, checkpoints: 1))
    }

    @Test func aWriteThatConflictsFailsItsCallerAndTheNextWriteContinuesFromTheStoredHead() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path)
        let first = try await AuditLog.open(store: store, signingKey: .generate(), configuration: .init(checkpointInterval: nil))
        let second = try await AuditLog.open(store: store, signingKey: .generate(), configuration: .init(checkpointInterval: nil))
        try await first.record([Self.event(1)])
        let error = await #expect(throws: WritError.self) { try await second.record([Self.event(2)]) }
        #expect(error?.code == .conflict)
        try await second.record([Self.event(3)])
        let rows = try await store.auditRows(from: 1, limit: 10)
        #expect(rows.map(\.decisionID) == ["d1", "d3"])
        #expect(try await AuditVerifier(store: store).verify() == .ok(size: 2, checkpoints: 0))
    }
}
