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
/// cooperative pool hands its own write here too (`AuditLog`), so that no pool thread
/// is held waiting for the disk.
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
