import GRDB
import Synchronization
import WritCore

/// Checkpoints the store's write-ahead log in the background, on a connection of its
/// own, so that no write waits for a checkpoint.
///
/// SQLite's automatic checkpoint runs inside the commit that takes the log past 1,000
/// pages, on the writer: it fsyncs the log, copies pages into the database file and
/// fsyncs that too, and every write queued behind the commit waits — about one audited
/// decision in a hundred (Benchmarks/README.md, section "Audit"). The store turns it off
/// on its writer (`PRAGMA wal_autocheckpoint = 0`) and this checkpointer runs instead:
/// every `interval`, when something was written, a PASSIVE checkpoint, which copies
/// what it can while writers go on appending, repeated while it makes progress, so
/// that the log is usually copied whole and the next write starts it from the
/// beginning again. When the log still holds more than `restartFrames` frames (a
/// steady stream of writes keeps a passive checkpoint from catching up), a RESTART
/// checkpoint waits for the write in flight, copies the rest and makes the next write
/// start the log again: the log stays bounded, for one short wait of the writer.
///
/// A checkpoint fsyncs the write-ahead log before it copies (the connection has the
/// store's `synchronous`), so under `synchronous=NORMAL` every commit made before a
/// checkpoint started is on disk once it ends: this bounds what `Durability.normal`
/// can lose to power loss. A checkpoint that fails (the disk, a lock held past the
/// busy timeout) leaves the store marked as written, so the next interval tries again.
/// Crash safety does not depend on checkpoints: SQLite recovers from the log alone.
final class SQLiteCheckpointer: Sendable {
    /// How often the log is checkpointed while the store is written to.
    let interval: Duration
    /// Above this many frames in the log, a checkpoint restarts it.
    let restartFrames: Int
    private let path: String
    private let connection: DatabaseQueue
    private let dirty = Atomic<Bool>(false)
    private let completed = Atomic<Int>(0)
    private let restarted = Atomic<Int>(0)
    private let task = Mutex<Task<Void, Never>?>(nil)
    private let stopped = Atomic<Bool>(false)

    /// Opens the checkpointer's connection to the database at `path`, with the store's
    /// busy timeout and `synchronous` (which decides what a checkpoint fsyncs).
    init(path: String, busyTimeout: Duration, synchronous: Int, interval: Duration, restartFrames: Int) throws {
        self.interval = interval
        self.restartFrames = restartFrames
        self.path = path
        var configuration = GRDB.Configuration()
        configuration.label = "writ-checkpointer"
        configuration.busyMode = .timeout(SQLiteStore.seconds(busyTimeout))
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(synchronous); PRAGMA wal_autocheckpoint = 0")
        }
        connection = try DatabaseQueue(path: path, configuration: configuration)
    }

    /// Notes a write: the next interval checkpoints.
    func markDirty() {
        dirty.store(true, ordering: .relaxed)
    }

    /// How many checkpoints have completed so far.
    var checkpoints: Int { completed.load(ordering: .relaxed) }

    /// How many of them restarted the log because it had grown past `restartFrames`.
    var restarts: Int { restarted.load(ordering: .relaxed) }

    /// Starts checkpointing every `interval`.
    func start() {
        let interval = interval
        let running = Task.detached { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard !Task.isCancelled, let self else { return }
                try? await self.checkpoint()
            }
        }
        task.withLock { $0 = running }
    }

    /// Checkpoints now when something was written since the last checkpoint.
    /// - Throws: SQLite's error; the store stays marked as written.
    func checkpoint() async throws {
        // The connection closes when the checkpointer goes (GRDB's queue must not be
        // used after `close()`); a stopped checkpointer refuses instead.
        guard !stopped.load(ordering: .acquiring) else {
            throw WritError(.storeUnavailable, "the store `\(path)` is closed")
        }
        guard dirty.exchange(false, ordering: .acquiringAndReleasing) else { return }
        let restartFrames = restartFrames
        do {
            let restart = try await connection.writeWithoutTransaction { db in
                var (frames, copied) = try db.checkpoint(.passive)
                // Each pass copies what was committed during the one before; a few
                // passes usually catch up with a writer that pauses now and then.
                for _ in 0..<3 where copied < frames {
                    let before = copied
                    (frames, copied) = try db.checkpoint(.passive)
                    if copied <= before { break }
                }
                guard frames > restartFrames else { return false }
                _ = try db.checkpoint(.restart)
                return true
            }
            completed.add(1, ordering: .relaxed)
            if restart { restarted.add(1, ordering: .relaxed) }
        } catch {
            dirty.store(true, ordering: .relaxed)
            throw error
        }
    }

    /// Stops the checkpoints (the store is closing); the connection closes with the
    /// checkpointer.
    func stop() {
        stopped.store(true, ordering: .releasing)
        task.withLock { running in
            running?.cancel()
            running = nil
        }
    }
}
