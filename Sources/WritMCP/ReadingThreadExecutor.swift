#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The executor a call prefers while it starts on the thread that read it
/// (`WritGateway.shortcut`): what the call enqueues from that thread runs there, after the
/// call has suspended, when the thread `drain`s; what is enqueued from any other thread,
/// or after the drain, runs on the global concurrent executor as it would without a
/// preference.
///
/// So a call whose decision is made on the reading thread also resumes there when its
/// decision is done — no hop onto the pool to write the request to the upstream — while a
/// time limit that fires on the timer's thread during a decision that blocks the reading
/// thread resumes the call on the pool, on time.
final class ReadingThreadExecutor: TaskExecutor, Sendable {
    private let owner = pthread_self()
    /// Jobs enqueued on the owning thread before `drain` finished; touched only on that thread.
    private let state = Mutex<(open: Bool, jobs: [UnownedJob])>((true, []))

    /// Made on the reading thread, which must call `drain()` next.
    init() {}

    func enqueue(_ job: consuming ExecutorJob) {
        if pthread_equal(pthread_self(), owner) != 0 {
            let job = UnownedJob(job)
            let taken = state.withLock { state in
                guard state.open else { return false }
                state.jobs.append(job)
                return true
            }
            if taken { return }
            globalConcurrentExecutor.enqueue(ExecutorJob(job))
            return
        }
        globalConcurrentExecutor.enqueue(job)
    }

    /// Runs the jobs enqueued on this thread, in order, including those they enqueue on it,
    /// until there are none; from then on every job goes to the global concurrent executor.
    /// Call on the thread that made the executor.
    func drain() {
        precondition(pthread_equal(pthread_self(), owner) != 0, "drained off the thread that made the executor")
        while let job = state.withLock({ state -> UnownedJob? in
            guard !state.jobs.isEmpty else {
                state.open = false
                return nil
            }
            return state.jobs.removeFirst()
        }) {
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
