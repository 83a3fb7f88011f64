import Foundation
import Synchronization

/// The tamper-evident audit log: assigns each event its sequence and chained hash,
/// writes events durably before `record` returns, and signs checkpoints.
///
/// Appends are group-committed. Each caller encodes its records itself (everything
/// but the chain link), then either writes them at once, when no write is in flight,
/// or queues them; while a transaction is in flight, the batches queue up, and the
/// writer — on a thread of its own (`AuditWriterExecutor`) — links and writes all of
/// them together in the next transaction, in arrival order. Each caller returns once
/// its batch is durable, or gets the write's error — then nothing of its batch was
/// recorded by that write (a caller must not answer allow). A batch may carry task
/// counters to add in the same transaction (`record(_:addingTaskCounters:to:)`, when
/// the log appends to the store that holds the tasks): a group whose counters the
/// store refuses is written again batch by batch, so that only the batches refused go
/// unrecorded. One writer at a time; the
/// head in memory moves only after a write commits, and is re-read from the store
/// after a failure. Other processes may append to the same store: a write the store
/// refuses as a `.conflict` (its head moved) is chained again after the new head and
/// retried.
///
/// ```swift
/// let log = try await AuditLog.open(store: store, signingKey: key,
///                                   configuration: .init(checkpointDirectory: dir))
/// try await log.record([event])
/// try await log.close()       // a final checkpoint
/// ```
public final class AuditLog: AuditSink {
    /// When and where the log writes checkpoints.
    public struct Configuration: Sendable {
        /// A checkpoint every this often while the log grows; nil writes them only on
        /// `checkpoint()` and `close()`.
        public var checkpointInterval: Duration?
        /// Where each checkpoint is also written as a file; nil keeps them only in the store.
        public var checkpointDirectory: String?
        /// At most this many events in one transaction.
        public var maxEventsPerWrite: Int
        /// The clock checkpoints are stamped with.
        public var now: @Sendable () -> Date

        public init(
            checkpointInterval: Duration? = .seconds(60), checkpointDirectory: String? = nil,
            maxEventsPerWrite: Int = 4096, now: @escaping @Sendable () -> Date = { Date() }
        ) {
            self.checkpointInterval = checkpointInterval
            self.checkpointDirectory = checkpointDirectory
            self.maxEventsPerWrite = maxEventsPerWrite
            self.now = now
        }
    }

    private enum Turn: Sendable {
        /// The caller writes its own batch: no write is in flight.
        case write(AuditHead?)
        /// Written (true), or its counters refused and nothing of it written (false).
        case done(Result<Bool, WritError>)
    }

    /// One caller's records, prepared (`AuditCanonical.prepare`), and the task counters
    /// to add with them.
    private struct Batch {
        var records: [AuditCanonical.Prepared]
        var increments: [TaskCounterIncrement] = []
    }

    private struct Waiter {
        var batch: Batch
        var continuation: CheckedContinuation<Turn, Never>
    }

    private struct State {
        /// The committed head; nil when it must be re-read from the store.
        var head: AuditHead?
        /// Whether a write is in flight; the writer then owns `queue`.
        var writing = false
        var queue: [Waiter] = []
        var lastCheckpointSize: Int?
        var closed = false
        var timer: Task<Void, Never>?
    }

    public let store: any AuditStore
    /// `store`, when it also holds task counters.
    private let counterStore: (any AuditCounterStore)?
    public let signingKey: AuditSigningKey
    public let configuration: Configuration
    private let state: Mutex<State>
    private let checkpoints = SerialGate()

    private init(store: any AuditStore, signingKey: AuditSigningKey, configuration: Configuration, head: AuditHead,
                 lastCheckpointSize: Int?) {
        self.store = store
        self.counterStore = store as? any AuditCounterStore
        self.signingKey = signingKey
        self.configuration = configuration
        self.state = Mutex(State(head: head, lastCheckpointSize: lastCheckpointSize))
    }

    /// Opens the log over `store`: reads its head and latest checkpoint, and starts
    /// the checkpoint timer when the configuration has an interval.
    public static func open(
        store: any AuditStore, signingKey: AuditSigningKey, configuration: Configuration = Configuration()
    ) async throws(WritError) -> AuditLog {
        let head = try await store.auditHead()
        let last = try await store.auditCheckpoints().map(\.size).max()
        let log = AuditLog(
            store: store, signingKey: signingKey, configuration: configuration, head: head, lastCheckpointSize: last)
        if let interval = configuration.checkpointInterval {
            let timer = Task { [weak log] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    guard !Task.isCancelled, let log else { return }
                    _ = try? await log.checkpoint()
                }
            }
            log.state.withLock { $0.timer = timer }
        }
        return log
    }

    /// How many callers' batches wait for the writer (for tests of group commits).
    package var queuedBatches: Int { state.withLock { $0.queue.count } }

    /// The committed head: how many records are durable and the last one's hash.
    public func head() async throws(WritError) -> AuditHead {
        if let head = state.withLock({ $0.head }) { return head }
        return try await store.auditHead()
    }

    // MARK: - Recording

    /// Records `events` in order, contiguously, and returns once they are durable.
    /// - Throws: the store's error when they could not be written (none of them
    ///   was); `.notReady` after `close()`; `.invalidRequest` when an event's details
    ///   would not read back (then none is written).
    public func record(_ events: [AuditEvent]) async throws(WritError) {
        guard !events.isEmpty else { return }
        _ = try await append(Batch(records: try Self.prepare(events)))
    }

    /// Records `events` as `record(_:)` does and adds `increments` to the task counters
    /// of `tasks` in the same transaction, when `tasks` is the store this log appends
    /// to (otherwise as `AuditSink`'s default does: the counters first, then the
    /// records). Returns false, recording nothing, when the store refuses the counters.
    public func record(
        _ events: [AuditEvent], addingTaskCounters increments: [TaskCounterIncrement], to tasks: any TaskStore
    ) async throws(WritError) -> Bool {
        guard !increments.isEmpty, let counterStore, (counterStore as AnyObject) === (tasks as AnyObject) else {
            return try await countersThenRecord(events, increments, tasks)
        }
        return try await append(Batch(records: try Self.prepare(events), increments: increments))
    }

    /// Writes `batch` now when no write is in flight, else queues it for the writer;
    /// returns once it is durable (true) or its counters were refused (false).
    private func append(_ batch: Batch) async throws(WritError) -> Bool {
        let turn: Turn
        if let now = state.withLock({ s in Self.take(&s) }) {
            turn = now
        } else {
            turn = await withCheckedContinuation { continuation in
                let now = state.withLock { s -> Turn? in
                    if let now = Self.take(&s) { return now }
                    s.queue.append(Waiter(batch: batch, continuation: continuation))
                    return nil
                }
                if let now { continuation.resume(returning: now) }
            }
        }
        switch turn {
        case .done(let result):
            return try result.get()
        case .write(let head):
            let result = await writeOwnTurn(batch, head: head)
            let queued = state.withLock { s in
                if s.queue.isEmpty { s.writing = false }
                return !s.queue.isEmpty
            }
            if queued { Task(executorPreference: AuditWriterExecutor.shared) { await self.drain() } }
            return try result.get()
        }
    }

    /// Writes a caller's batch in its own turn. In place when the caller's task prefers
    /// a task executor — a thread of its own, such as the gateway's reading thread —
    /// where the write costs no hop. A task on the shared cooperative pool hands the
    /// write to the writer's thread instead: a commit holds its thread through the
    /// fsync, and a pool thread held so stops the requests behind it from running, and
    /// so from queueing their records into the next group.
    private func writeOwnTurn(_ batch: Batch, head: AuditHead?) async -> Result<Bool, WritError> {
        await AuditWriterExecutor.offThePool(when: store.writesWait) {
            await write(batch.records, increments: batch.increments, head: head)
        }
    }

    /// The caller's turn when it need not queue: refused when the log is closed, its
    /// own write when no write is in flight; nil when it must queue.
    private static func take(_ s: inout State) -> Turn? {
        if s.closed { return .done(.failure(WritError(.notReady, "the audit log is closed"))) }
        guard !s.writing else { return nil }
        s.writing = true
        return .write(s.head)
    }

    /// The events' records, prepared; refuses them all when one's details would not
    /// read back.
    private static func prepare(_ events: [AuditEvent]) throws(WritError) -> [AuditCanonical.Prepared] {
        var records: [AuditCanonical.Prepared] = []
        records.reserveCapacity(events.count)
        for (index, event) in events.enumerated() {
            guard let details = AuditCanonical.verifiableDetails(event.details) else {
                throw WritError(
                    .invalidRequest,
                    "audit event \(index + 1) (\(event.kind.rawValue)) has details that cannot be recorded verifiably")
            }
            records.append(AuditCanonical.prepare(event, details: details))
        }
        return records
    }

    /// Writes the queued batches, group after group, until none is left, then ends
    /// the writer's turn. Runs on `AuditWriterExecutor`.
    private func drain() async {
        while true {
            let group = state.withLock { s -> (batch: [Waiter], head: AuditHead?)? in
                guard !s.queue.isEmpty else {
                    s.writing = false
                    return nil
                }
                var count = 0
                var end = 0
                while end < s.queue.count,
                    end == 0 || count + s.queue[end].batch.records.count <= configuration.maxEventsPerWrite
                {
                    count += s.queue[end].batch.records.count
                    end += 1
                }
                let taken = Array(s.queue[..<end])
                s.queue.removeFirst(end)
                return (taken, s.head)
            }
            guard let group else { return }
            let batches = group.batch.map(\.batch)
            let result = await write(
                batches.count == 1 ? batches[0].records : batches.flatMap(\.records),
                increments: batches.count == 1 ? batches[0].increments : batches.flatMap(\.increments), head: group.head)
            guard case .success(false) = result, batches.count > 1 else {
                for waiter in group.batch { waiter.continuation.resume(returning: .done(result)) }
                continue
            }
            // The store refused some batch's counters (a task closed meanwhile), and so
            // the whole group: each batch is written on its own, after the head the one
            // before it left, and only those refused are answered so.
            for waiter in group.batch {
                let head = state.withLock { $0.head }
                let alone = await write(waiter.batch.records, increments: waiter.batch.increments, head: head)
                waiter.continuation.resume(returning: .done(alone))
            }
        }
    }

    /// How many times a group is written when the store says another writer (another
    /// process on the same store) moved the head in between.
    static let conflictAttempts = 3

    /// Links and appends one group in one transaction, with `increments` added to the
    /// task counters in it when there are any; moves the head on success and forgets it
    /// on failure. False when the store refused the counters: nothing was written, and
    /// the head stays. When the append conflicts because another writer appended
    /// first, re-reads the head and links the group again after it, up to
    /// `conflictAttempts` writes in all.
    private func write(
        _ records: [AuditCanonical.Prepared], increments: [TaskCounterIncrement], head known: AuditHead?
    ) async -> Result<Bool, WritError> {
        var known = known
        var attempt = 1
        while true {
            do throws(WritError) {
                let head: AuditHead
                if let known { head = known } else { head = try await store.auditHead() }
                let (rows, newHead) = Self.rows(records, after: head)
                if increments.isEmpty {
                    try await store.appendAuditRows(rows)
                } else {
                    // `record(_:addingTaskCounters:to:)` queues counters only when there is one.
                    guard let counterStore else {
                        return .failure(WritError(.storeUnavailable, "the audit store does not hold task counters"))
                    }
                    guard try await counterStore.appendAuditRows(rows, addingTaskCounters: increments) else {
                        state.withLock { $0.head = head }
                        return .success(false)
                    }
                }
                state.withLock { $0.head = newHead }
                return .success(true)
            } catch {
                state.withLock { $0.head = nil }
                known = nil
                guard error.code == .conflict, attempt < Self.conflictAttempts else { return .failure(error) }
                attempt += 1
            }
        }
    }

    /// The group's records chained after `head`, and the head after them.
    private static func rows(_ records: [AuditCanonical.Prepared], after head: AuditHead) -> ([AuditRow], AuditHead) {
        var rows: [AuditRow] = []
        rows.reserveCapacity(records.count)
        var previous = head.hash
        var sequence = head.sequence
        for record in records {
            sequence += 1
            let row = AuditCanonical.link(record, sequence: sequence, previousHash: previous)
            previous = row.hash
            rows.append(row)
        }
        return (rows, AuditHead(sequence: sequence, hash: previous))
    }

    // MARK: - Checkpoints

    /// Signs a checkpoint of the committed head and stores it (and writes its file)
    /// when the log grew since the last one, or when there is none yet.
    /// - Returns: the checkpoint, or nil when the log has not grown.
    @discardableResult
    public func checkpoint() async throws(WritError) -> AuditCheckpoint? {
        try await checkpoints.run { () async throws(WritError) -> AuditCheckpoint? in
            let head = try await self.head()
            if let last = state.withLock({ $0.lastCheckpointSize }), last >= head.sequence { return nil }
            let checkpoint = try signingKey.sign(head, at: configuration.now())
            try await store.insertAuditCheckpoint(checkpoint)
            if let directory = configuration.checkpointDirectory {
                try AuditCheckpointDirectory(path: directory).write(checkpoint)
            }
            state.withLock { $0.lastCheckpointSize = head.sequence }
            return checkpoint
        }
    }

    /// Stops the checkpoint timer, waits for writes in flight, refuses later records
    /// and writes a final checkpoint.
    public func close() async throws(WritError) {
        let timer = state.withLock { s -> Task<Void, Never>? in
            s.closed = true
            defer { s.timer = nil }
            return s.timer
        }
        timer?.cancel()
        // Wait for the writer to finish: a record queued before `closed` is written.
        while state.withLock({ $0.writing }) { try? await Task.sleep(for: .milliseconds(1)) }
        try await checkpoint()
    }
}
