import Foundation
import GRDB
import Synchronization
import WritCore

/// Checkpoints the store's write-ahead log in the background, on a connection of its
/// own, so that no write waits for the bulk of a checkpoint.
///
/// SQLite's automatic checkpoint runs inside the commit that takes the log past 1,000
/// pages, on the writer: it fsyncs the log, copies pages into the database file and
/// fsyncs that too, and every write queued behind the commit waits — about one audited
/// decision in a hundred (Benchmarks/README.md, section "Audit"). The store turns it off
/// on its writer (`PRAGMA wal_autocheckpoint = 0`) and this checkpointer runs instead:
/// every `interval`, when something was written, a PASSIVE checkpoint, which copies
/// what it can while writers go on appending, repeated while it makes progress.
///
/// The log starts again from its beginning only when a write begins with all of it
/// copied; under a steady stream of writes a background checkpoint never quite catches
/// up (a commit in flight while it copies appends to the log), so the log would grow.
/// When a background checkpoint finds more than `catchUpFrames` frames, the next write
/// first copies the rest on the writing connection (`catchUp(on:)`, before its
/// transaction: a few frames and an fsync of the database file) and then starts the log
/// from its beginning. No write waits on a lock for it: SQLite's busy handler, which
/// sleeps 1, 2, 5, 10… ms between tries, is never involved. Only when the log still
/// grows past `restartFrames` (a reader kept every write from starting it again) does
/// a RESTART checkpoint take the writer's lock to bound it.
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
    /// Above this many frames in the log, the next write copies the rest and starts
    /// it again.
    let catchUpFrames: Int
    /// Above this many frames in the log, a checkpoint restarts it, holding the writer.
    let restartFrames: Int
    private let path: String
    private let connection: DatabaseQueue
    private let dirty = Atomic<Bool>(false)
    private let completed = Atomic<Int>(0)
    private let restarted = Atomic<Int>(0)
    private let catchUpWanted = Atomic<Bool>(false)
    private let caughtUp = Atomic<Int>(0)
    private let task = Mutex<Task<Void, Never>?>(nil)
    private let stopped = Atomic<Bool>(false)

    /// Opens the checkpointer's connection to the database at `path`, with the store's
    /// busy timeout and `synchronous` (which decides what a checkpoint fsyncs).
    init(
        path: String, busyTimeout: Duration, synchronous: Int, interval: Duration, catchUpFrames: Int,
        restartFrames: Int
    ) throws {
        self.interval = interval
        self.catchUpFrames = catchUpFrames
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

    /// How many writes copied the rest of the log before their transaction.
    var catchUps: Int { caughtUp.load(ordering: .relaxed) }

    /// Before a write transaction on `db`, the writing connection: when the last
    /// background checkpoint found the log past `catchUpFrames`, copies what is left
    /// of it (PASSIVE, so it waits for no one), so that the
    /// transaction starts the log from its beginning. A failure (another checkpoint
    /// holds SQLite's checkpoint lock, the disk) leaves it to the next write; the
    /// write itself goes on, since the log stays valid either way.
    func catchUp(on db: Database) {
        guard catchUpWanted.exchange(false, ordering: .acquiringAndReleasing) else { return }
        do {
            _ = try db.checkpoint(.passive)
            caughtUp.add(1, ordering: .relaxed)
        } catch {
            catchUpWanted.store(true, ordering: .relaxed)
        }
    }

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
        // A checkpoint that passes this as `stop()` runs fails on the closed connection.
        guard !stopped.load(ordering: .acquiring) else {
            throw WritError(.storeUnavailable, "the store `\(path)` is closed")
        }
        guard dirty.exchange(false, ordering: .acquiringAndReleasing) else { return }
        let restartFrames = restartFrames
        let catchUpFrames = catchUpFrames
        let path = path
        do {
            let (restart, wantCatchUp) = try await connection.writeWithoutTransaction { db in
                var (frames, copied) = try db.checkpoint(.passive)
                // Each pass copies what was committed during the one before; a few
                // passes usually catch up with a writer that pauses now and then.
                for _ in 0..<3 where copied < frames {
                    let before = copied
                    (frames, copied) = try db.checkpoint(.passive)
                    if copied <= before { break }
                }
                // SQLite fsyncs the database file only when a checkpoint copied the whole
                // log; the pages a partial one copied would wait for the next write's
                // catch-up to sync them, on the answer's path. Synced here, that sync
                // finds only the few pages copied since.
                if copied < frames, copied > 0 { try Self.syncFile(path) }
                // Past `catchUpFrames`, the next write copies the rest first: even when
                // all was copied here, a commit in flight meanwhile has appended to the
                // log, and the write after it would find the log not quite copied.
                guard frames > restartFrames else { return (false, frames > catchUpFrames) }
                _ = try db.checkpoint(.restart)
                return (true, false)
            }
            completed.add(1, ordering: .relaxed)
            if restart { restarted.add(1, ordering: .relaxed) }
            if wantCatchUp { catchUpWanted.store(true, ordering: .relaxed) }
        } catch {
            dirty.store(true, ordering: .relaxed)
            throw error
        }
    }

    /// Writes the file's data at `path` to disk (`fdatasync`).
    private static func syncFile(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw WritError(.storeUnavailable, "cannot open `\(path)` to sync it: errno \(errno)") }
        defer { close(fd) }
        guard fdatasync(fd) == 0 else { throw WritError(.storeUnavailable, "cannot sync `\(path)`: errno \(errno)") }
    }

    /// Stops the checkpoints and closes the connection (after a checkpoint in flight);
    /// later checkpoints are refused.
    func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        task.withLock { running in
            running?.cancel()
            running = nil
        }
        try? connection.close()
    }
}
