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

    @Test func aWriteThatConflictsWithAnotherLogsAppendIsChainedAfterTheStoredHeadAndSucceeds() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path)
        let first = try await AuditLog.open(store: store, signingKey: .generate(), configuration: .init(checkpointInterval: nil))
        let second = try await AuditLog.open(store: store, signingKey: .generate(), configuration: .init(checkpointInterval: nil))
        try await first.record([Self.event(1)])
        try await second.record([Self.event(2)])
        try await second.record([Self.event(3)])
        let rows = try await store.auditRows(from: 1, limit: 10)
        #expect(rows.map(\.decisionID) == ["d1", "d2", "d3"])
        #expect(try await AuditVerifier(store: store).verify() == .ok(size: 3, checkpoints: 0))
    }

    @Test func twoLogsOverTwoConnectionsToOneFileAppendingConcurrentlyRecordEveryEventOnceAndTheChainVerifies() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let stores = [try SQLiteStore(directory: directory.path), try SQLiteStore(directory: directory.path)]
        let key = AuditSigningKey.generate()
        var logs: [AuditLog] = []
        for store in stores {
            logs.append(try await AuditLog.open(store: store, signingKey: key, configuration: .init(checkpointInterval: nil)))
        }
        let pinned = logs
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 1...400 {
                group.addTask { try await pinned[n % 2].record([Self.event(n)]) }
            }
            try await group.waitForAll()
        }
        for log in logs { try await log.close() }
        var rows: [AuditRow] = []
        while rows.count < 400, case let page = try await stores[0].auditRows(from: rows.count + 1, limit: 300), !page.isEmpty {
            rows += page
        }
        #expect(rows.map(\.sequence) == Array(1...400))
        #expect(rows.compactMap(\.decisionID).sorted() == (1...400).map { "d\($0)" }.sorted())
        let result = try await AuditVerifier(store: stores[0]).verify()
        guard case .ok(size: 400, checkpoints: _) = result else {
            Issue.record("the chain does not verify: \(result)")
            return
        }
    }

    @Test func concurrentBatchesOfThreeEventsAreEachWrittenContiguouslyInTheirOrder() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path)
        let log = try await AuditLog.open(
            store: store, signingKey: .generate(), configuration: .init(checkpointInterval: nil, maxEventsPerWrite: 64))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 1...200 {
                group.addTask { try await log.record([Self.event(3 * n), Self.event(3 * n + 1), Self.event(3 * n + 2)]) }
            }
            try await group.waitForAll()
        }
        var rows: [AuditRow] = []
        while rows.count < 600, case let page = try await store.auditRows(from: rows.count + 1, limit: 300), !page.isEmpty {
            rows += page
        }
        let numbers = rows.compactMap { $0.decisionID.flatMap { Int($0.dropFirst()) } }
        #expect(numbers.count == 600)
        #expect(stride(from: 0, to: numbers.count, by: 3).allSatisfy {
            numbers[$0] % 3 == 0 && numbers[$0 + 1] == numbers[$0] + 1 && numbers[$0 + 2] == numbers[$0] + 2
        })
        #expect(Set(numbers) == Set(3...602))
        #expect(try await AuditVerifier(store: store).verify() == .ok(size: 600, checkpoints: 0))
    }

    @Test func recordsWhoseWritesFailAllFailAndTheNextRecordContinuesTheChainAfterTheLastDurableOne() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path, configuration: .init(busyTimeout: .milliseconds(100)))
        let log = try await AuditLog.open(store: store, signingKey: .generate(), configuration: .init(checkpointInterval: nil))
        try await log.record([Self.event(1)])
        let lock = try ExclusiveLock(store.path)
        let codes = await withTaskGroup(of: WritError.Code?.self) { group in
            for n in 2...21 {
                group.addTask {
                    do throws(WritError) {
                        try await log.record([Self.event(n)])
                        return nil
                    } catch {
                        return error.code
                    }
                }
            }
            return await group.reduce(into: [WritError.Code?]()) { $0.append($1) }
        }
        #expect(codes == Array(repeating: WritError.Code.storeUnavailable, count: 20))
        try lock.release()
        try await log.record([Self.event(22)])
        let rows = try await store.auditRows(from: 1, limit: 10)
        #expect(rows.map(\.decisionID) == ["d1", "d22"])
        #expect(try await AuditVerifier(store: store).verify() == .ok(size: 2, checkpoints: 0))
    }
}
