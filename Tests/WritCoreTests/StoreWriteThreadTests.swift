import Foundation
import Synchronization
import Testing
@testable import WritCore

/// Where a store write that waits for the disk runs (`AuditWriterExecutor.offThePool`):
/// never on a thread of the shared cooperative pool, which it would hold through the
/// fsync; on the writer's thread, or on the caller's own thread when it has one.
@Suite struct StoreWriteThreadTests {
    @Test func aWriteFromTheCooperativePoolRunsOnTheWritersThread() async throws {
        let ran = await AuditWriterExecutor.offThePool { AuditWriterExecutor.currentThreadID() }
        let writer = try #require(AuditWriterExecutor.shared.threadID.withLock { $0 })
        #expect(ran == writer)
    }

    @Test func aWriteFromATaskPreferringAThreadOfItsOwnRunsThere() async throws {
        let executor = AuditWriterExecutor(name: "writ-test-own")
        let ran = await Task(executorPreference: executor) {
            await AuditWriterExecutor.offThePool { AuditWriterExecutor.currentThreadID() }
        }.value
        let own = try #require(executor.threadID.withLock { $0 })
        #expect(ran == own)
    }

    @Test func aWriteThatNeverWaitsRunsInPlaceOnTheCallersThread() async {
        let caller = AuditWriterExecutor.currentThreadID()
        let ran = await AuditWriterExecutor.offThePool(when: false) { AuditWriterExecutor.currentThreadID() }
        // A hop would have run it on the writer's thread, which is never a caller's.
        #expect(ran == caller)
    }

    @Test func aMemoryStoresWritesNeverWait() {
        #expect(MemoryStore().writesWait == false)
    }

    @Test func aStoreThatDoesNotSayWhetherItsWritesWaitIsTakenToWait() {
        #expect(ThreadNamingStore().writesWait == true)
    }

    @Test func anErrorThrownByTheWriteReachesTheCaller() async {
        let error = await #expect(throws: WritError.self) {
            try await AuditWriterExecutor.offThePool { () async throws(WritError) in
                throw WritError(.storeUnavailable, "the disk is full")
            }
        }
        #expect(error?.message == "the disk is full")
    }

    /// Makes one allowed, unaudited decision in a task kept by `store`.
    private func decideOnce(storingIn store: CounterThreadStore) async throws {
        let decisions = try await TaskFixtures.decisions(store: store.memory)
        let tasks = TaskService(
            decisions: decisions, store: store, now: TestClock().now, mint: TestCredentials.mint,
            verify: TestCredentials.verify)
        let task = try await tasks.open(TaskFixtures.opening()).record
        #expect(await tasks.decide(taskID: task.id, request: TaskFixtures.search()).allowed)
    }

    @Test func theCountersOfAnUnauditedDecisionAreStoredOnTheWritersThread() async throws {
        let store = CounterThreadStore()
        try await decideOnce(storingIn: store)
        let writer = try #require(AuditWriterExecutor.shared.threadID.withLock { $0 })
        #expect(store.addingThreads == [writer])
    }

    @Test func theCountersOfAStoreWhoseWritesNeverWaitAreNotStoredOnTheWritersThread() async throws {
        let store = CounterThreadStore(waits: false)
        try await decideOnce(storingIn: store)
        // The writer's thread, as a write that waits finds it.
        let writer = await AuditWriterExecutor.offThePool { AuditWriterExecutor.currentThreadID() }
        #expect(store.addingThreads.count == 1)
        #expect(!store.addingThreads.contains(writer ?? "unknown"))
    }
}

/// The tasks of a `MemoryStore`, noting the thread each counters write runs on.
final class CounterThreadStore: TaskStore {
    let memory = MemoryStore()
    private let threads = Mutex<[String]>([])
    /// `writesWait` as given; nil says the writes wait, as the protocol's default does.
    private let waits: Bool?

    init(waits: Bool? = nil) { self.waits = waits }

    var writesWait: Bool { waits ?? true }

    var addingThreads: [String] { threads.withLock { $0 } }

    func insertTask(_ task: TaskRecord) async throws(WritError) { try await memory.insertTask(task) }
    func task(id: String) async throws(WritError) -> TaskRecord? { try await memory.task(id: id) }
    func tasks(matching filter: TaskFilter) async throws(WritError) -> [TaskRecord] {
        try await memory.tasks(matching: filter)
    }
    func closeTaskSubtree(id: String, at date: Date) async throws(WritError) -> [String] {
        try await memory.closeTaskSubtree(id: id, at: date)
    }
    func addTaskCounters(_ increments: [TaskCounterIncrement]) async throws(WritError) -> Bool {
        let thread = AuditWriterExecutor.currentThreadID() ?? "unknown"
        threads.withLock { $0.append(thread) }
        return try await memory.addTaskCounters(increments)
    }
    func addTaskLabels(_ labels: Set<String>, to id: String) async throws(WritError) -> Set<String> {
        try await memory.addTaskLabels(labels, to: id)
    }
}
