import GRDB
import Synchronization

/// The bound on what `SQLiteStore.Durability.normal` can lose: every `interval`,
/// when something was written since the last time, a passive checkpoint runs on the
/// writer. Under `synchronous=NORMAL` SQLite fsyncs the write-ahead log before each
/// checkpoint, so every commit made before the checkpoint started is then on disk.
///
/// A checkpoint that fails (the disk, a lock held past the busy timeout) leaves the
/// store marked as written, so the next interval tries again.
final class SQLiteWALSync: Sendable {
    /// How often the log is made durable while the store is written to.
    let interval: Duration
    private let dirty = Atomic<Bool>(false)
    private let synced = Atomic<Int>(0)
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(interval: Duration) {
        self.interval = interval
    }

    /// Notes a write: the next interval checkpoints.
    func markDirty() {
        dirty.store(true, ordering: .relaxed)
    }

    /// How many checkpoints have made the log durable so far.
    var checkpoints: Int { synced.load(ordering: .relaxed) }

    /// Starts checkpointing `pool`; the task holds the pool, not the store.
    func start(_ pool: DatabasePool) {
        let interval = interval
        let running = Task.detached { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard !Task.isCancelled, let self else { return }
                await self.sync(pool)
            }
        }
        task.withLock { $0 = running }
    }

    /// Checkpoints now when something was written since the last checkpoint.
    func sync(_ pool: DatabasePool) async {
        guard dirty.exchange(false, ordering: .acquiringAndReleasing) else { return }
        do {
            try await pool.writeWithoutTransaction { db in try db.checkpoint(.passive) }
            synced.add(1, ordering: .relaxed)
        } catch {
            dirty.store(true, ordering: .relaxed)
        }
    }

    /// Stops the checkpoints (the store is closing).
    func stop() {
        task.withLock { running in
            running?.cancel()
            running = nil
        }
    }
}
