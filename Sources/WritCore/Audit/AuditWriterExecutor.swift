import Foundation
import Synchronization

/// A task executor with a thread of its own, on which the audit log's writer runs
/// while records queue up (`AuditLog`).
///
/// On the shared cooperative pool, the writer's task would resume after each commit
/// behind every request handler that became runnable meanwhile, and the store would
/// sit idle until it did. Here a commit's completion runs at once: the writer answers
/// the group's callers and starts the next group while they go on elsewhere. The
/// store's commit runs on this thread and holds it through the fsync — a caller from the
/// cooperative pool hands its own write here too (`AuditLog`, and the task counters
/// `TaskService.commit` stores when decisions are not audited; see `offThePool`), so
/// that no pool thread is held waiting for the disk.
final class AuditWriterExecutor: TaskExecutor, @unchecked Sendable {
    /// The one writer thread of the process, shared by every audit log.
    static let shared = AuditWriterExecutor(name: "writ-audit")

    /// Guards `jobs`; signalled when one is added.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    /// The writer thread's id (`/proc/thread-self`), once it runs; for tests.
    package let threadID = Mutex<String?>(nil)

    /// A writer thread named `name`; the process has one (`shared`), tests make others.
    package init(name: String) {
        let thread = Thread { [self] in
            ThreadName.adopt(name)
            threadID.withLock { $0 = Self.currentThreadID() }
            run()
        }
        thread.name = name
        thread.start()
    }

    /// Runs `body` — a store write that waits for the disk — where it holds no thread
    /// of the shared cooperative pool: on the writer's thread (`shared`), or in place
    /// when the calling task prefers an executor of its own (a thread that waits for
    /// this write anyway, such as the gateway's reading thread, where a hop would only
    /// add two). In place too when `waits` is false: the store's writes never wait
    /// (`StoreWrites.writesWait`).
    static func offThePool<T, Failure: Error>(
        when waits: Bool = true, _ body: () async throws(Failure) -> T
    ) async throws(Failure) -> T {
        let ownThread = withUnsafeCurrentTask { $0?.unownedTaskExecutor != nil }
        guard waits, !ownThread else { return try await body() }
        return try await withTaskExecutorPreference(shared) { () async throws(Failure) -> T in try await body() }
    }

    /// The calling thread's id as Linux names it (`PID/task/TID`); nil where unknown.
    package static func currentThreadID() -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self")
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func run() {
        var running: [UnownedJob] = []
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            swap(&running, &jobs)
            condition.unlock()
            for job in running { job.runSynchronously(on: asUnownedTaskExecutor()) }
            running.removeAll(keepingCapacity: true)
        }
    }
}
