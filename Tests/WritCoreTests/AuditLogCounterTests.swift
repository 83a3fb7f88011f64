import Foundation
import Synchronization
import Testing
@testable import WritCore

/// `AuditLog.record(_:addingTaskCounters:to:)`: an answer's records and the task
/// counters its allows charge are written together, or neither is.
@Suite struct AuditLogCounterTests {
    static let usage = TaskCounters(decisions: 1, calls: 1, actions: ["mail": 1])

    static func task(_ id: String) -> TaskRecord {
        TaskRecord(
            id: id, agent: "bot", onBehalfOf: "alice", purpose: "counter test",
            mandate: [SourceFile(name: "mandate.cedar", text: "permit(principal, action, resource);\n")],
            parentID: nil, depth: 0, openedAt: Date(timeIntervalSince1970: 1_750_000_000),
            expiresAt: Date(timeIntervalSince1970: 1_750_003_600), openedBy: "key ops")
    }

    static func store(tasks ids: [String]) async throws -> MemoryStore {
        let store = MemoryStore()
        for id in ids { try await store.insertTask(task(id)) }
        return store
    }

    static func increment(_ id: String) -> [TaskCounterIncrement] {
        [TaskCounterIncrement(taskID: id, counters: usage, labels: ["pii"])]
    }

    @Test func overItsOwnStoreTheLogWritesTheRecordsAndTheCounters() async throws {
        let store = try await Self.store(tasks: ["t1"])
        let log = try await AuditLogTests.open(store)
        let written = try await log.record([AuditLogTests.event(1)], addingTaskCounters: Self.increment("t1"), to: store)
        #expect(written)
        #expect(try await store.task(id: "t1")?.counters == Self.usage)
        #expect(try await store.task(id: "t1")?.labels == ["pii"])
        #expect(try await AuditVerifier(store: store).verify() == .ok(size: 1, checkpoints: 0))
    }

    @Test func countersTheStoreRefusesLeaveNoRecordAndTheNextRecordFollowsTheHead() async throws {
        let store = try await Self.store(tasks: ["t1"])
        _ = try await store.closeTaskSubtree(id: "t1", at: Date(timeIntervalSince1970: 1_750_000_010))
        let log = try await AuditLogTests.open(store)
        let written = try await log.record([AuditLogTests.event(1)], addingTaskCounters: Self.increment("t1"), to: store)
        #expect(written == false)
        #expect(try await store.auditHead() == .empty)
        try await log.record([AuditLogTests.event(2)])
        #expect(try await store.auditRows(from: 1, limit: 10).map(\.decisionID) == ["d2"])
        #expect(try await AuditVerifier(store: store).verify() == .ok(size: 1, checkpoints: 0))
    }

    @Test func countersForAnotherStoreAreAddedThereAndTheRecordsInTheLogsStore() async throws {
        let logStore = MemoryStore()
        let taskStore = try await Self.store(tasks: ["t1"])
        let log = try await AuditLogTests.open(logStore)
        let written = try await log.record([AuditLogTests.event(1)], addingTaskCounters: Self.increment("t1"), to: taskStore)
        #expect(written)
        #expect(try await taskStore.task(id: "t1")?.counters == Self.usage)
        #expect(try await taskStore.auditHead() == .empty)
        #expect(try await logStore.auditHead().sequence == 1)
    }

    @Test func inAGroupOnlyTheBatchWhoseCountersAreRefusedGoesUnrecorded() async throws {
        let store = HeldStore(try await Self.store(tasks: ["open-1", "open-2", "closed"]))
        _ = try await store.base.closeTaskSubtree(id: "closed", at: Date(timeIntervalSince1970: 1_750_000_010))
        let log = try await AuditLog.open(store: store, signingKey: .generate(), configuration: .init(checkpointInterval: nil))
        // The first caller writes alone and is held inside the store; the next three queue
        // behind it, one after the other (each started once the one before is queued, so
        // their order is known), and are written as one group.
        async let first = log.record([AuditLogTests.event(1, task: "open-1")], addingTaskCounters: Self.increment("open-1"), to: store)
        await store.waitUntilHeld()
        async let second = log.record([AuditLogTests.event(2, task: "closed")], addingTaskCounters: Self.increment("closed"), to: store)
        while log.queuedBatches < 1 { await Task.yield() }
        async let third = log.record([AuditLogTests.event(3, task: "open-2")], addingTaskCounters: Self.increment("open-2"), to: store)
        while log.queuedBatches < 2 { await Task.yield() }
        async let fourth: Void = log.record([AuditLogTests.event(4)])
        while log.queuedBatches < 3 { await Task.yield() }
        store.release()
        let answers = try await [first, second, third]
        try await fourth
        #expect(answers == [true, false, true])
        #expect(try await store.auditRows(from: 1, limit: 10).map(\.decisionID) == ["d1", "d3", "d4"])
        #expect(try await store.task(id: "open-1")?.counters == Self.usage)
        #expect(try await store.task(id: "open-2")?.counters == Self.usage)
        #expect(try await AuditVerifier(store: store).verify() == .ok(size: 3, checkpoints: 0))
    }
}

/// A `MemoryStore` whose first write of records with counters waits inside the store
/// until `release()`: so that other callers queue behind it, and a group forms.
final class HeldStore: AuditCounterStore {
    let base: MemoryStore
    private let held = Mutex<(entered: Bool, released: Bool)>((false, false))

    init(_ base: MemoryStore) { self.base = base }

    func waitUntilHeld() async {
        while !held.withLock({ $0.entered }) { await Task.yield() }
    }

    func release() { held.withLock { $0.released = true } }

    func appendAuditRows(_ rows: [AuditRow], addingTaskCounters increments: [TaskCounterIncrement]) async throws(WritError)
        -> Bool
    {
        let first = held.withLock { state -> Bool in
            defer { state.entered = true }
            return !state.entered
        }
        if first { while !held.withLock({ $0.released }) { await Task.yield() } }
        return try await base.appendAuditRows(rows, addingTaskCounters: increments)
    }

    func auditHead() async throws(WritError) -> AuditHead { await base.auditHead() }
    func appendAuditRows(_ rows: [AuditRow]) async throws(WritError) { try await base.appendAuditRows(rows) }
    func auditRows(from first: Int, limit: Int) async throws(WritError) -> [AuditRow] {
        await base.auditRows(from: first, limit: limit)
    }
    func queryAuditRows(_ query: AuditQuery) async throws(WritError) -> [AuditRow] { await base.queryAuditRows(query) }
    func insertAuditCheckpoint(_ checkpoint: AuditCheckpoint) async throws(WritError) {
        try await base.insertAuditCheckpoint(checkpoint)
    }
    func auditCheckpoints() async throws(WritError) -> [AuditCheckpoint] { await base.auditCheckpoints() }
    func insertTask(_ task: TaskRecord) async throws(WritError) { try await base.insertTask(task) }
    func task(id: String) async throws(WritError) -> TaskRecord? { await base.task(id: id) }
    func tasks(matching filter: TaskFilter) async throws(WritError) -> [TaskRecord] { await base.tasks(matching: filter) }
    func closeTaskSubtree(id: String, at date: Date) async throws(WritError) -> [String] {
        try await base.closeTaskSubtree(id: id, at: date)
    }
    func addTaskCounters(_ increments: [TaskCounterIncrement]) async throws(WritError) -> Bool {
        try await base.addTaskCounters(increments)
    }
    func addTaskLabels(_ labels: Set<String>, to id: String) async throws(WritError) -> Set<String> {
        try await base.addTaskLabels(labels, to: id)
    }
}
