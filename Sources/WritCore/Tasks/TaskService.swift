import Cedar
import Foundation
import Synchronization

/// Tasks: opening, delegating and closing them, and deciding inside them. Every
/// decision about an agent needs a live task; docs/TASKS.md describes the model.
///
/// **How state is kept.** Open tasks live in memory, in a registry behind one
/// `Mutex`: each with its record, its mandate compiled once, and counters that
/// include the reservations of allows still being stored. Decisions read and
/// reserve there without waiting on each other's store writes; the lock is held only
/// for lookups and counter updates (and, when a concurrent decision changed the
/// counters a decision's policies saw, for evaluating it again). The memory is the
/// source of truth for decisions; the store is what survives a restart.
///
/// **Changes** (open, delegate, close, load) go through a `SerialGate` — one at a
/// time, each to its end — and write the store first, then memory, then return. So a
/// task is never in memory before the store has it, and a close is in the store
/// before memory stops deciding with it.
///
/// **A decision** (see `decide(taskID:request:requestEntities:)`) is final at one
/// point under the lock, where it takes a sequence number; a close takes its number
/// under the same lock when it marks the tasks closed. An allow is final only if every
/// task in its chain is still open there, so no allow in a closed task is numbered
/// after — or returned after — the close.
public final class TaskService: Sendable {
    /// Limits on tasks and what opening one takes.
    public struct Configuration: Sendable {
        /// The longest a task may live.
        public var maxTTL: Duration
        /// The deepest delegation: a task opened for a user has depth 0, each delegated
        /// task one more than its parent.
        public var maxDepth: Int
        /// The longest `purpose`, in UTF-8 bytes.
        public var maxPurposeBytes: Int
        /// The most mandate files.
        public var maxMandateFiles: Int
        /// The largest mandate, its files together, in UTF-8 bytes.
        public var maxMandateBytes: Int
        /// The longest id (agent, user, label, action, actor, file name), in UTF-8 bytes.
        public var maxIdentifierBytes: Int
        /// The most labels one request names (opening, delegating, reporting).
        public var maxLabels: Int
        /// The longest label, in bytes.
        public var maxLabelBytes: Int
        /// The most labels a task may carry: a report or a decision that would take it
        /// past this is refused. Labels a task inherits, or that flow up from a closed
        /// task, are never refused, so a task may hold more.
        public var maxTaskLabels: Int
        /// The most per-action limits (`maxCalls` and `spend` together).
        public var maxBudgetEntries: Int
        /// The longest task credential accepted, in bytes.
        public var maxCredentialBytes: Int

        public init(
            maxTTL: Duration = .seconds(12 * 3600), maxDepth: Int = 8, maxPurposeBytes: Int = 4096,
            maxMandateFiles: Int = 16, maxMandateBytes: Int = 256 * 1024, maxIdentifierBytes: Int = 256,
            maxLabels: Int = 64, maxBudgetEntries: Int = 256, maxCredentialBytes: Int = 8192, maxLabelBytes: Int = 64,
            maxTaskLabels: Int = 256
        ) {
            self.maxTTL = maxTTL
            self.maxDepth = maxDepth
            self.maxPurposeBytes = maxPurposeBytes
            self.maxMandateFiles = maxMandateFiles
            self.maxMandateBytes = maxMandateBytes
            self.maxIdentifierBytes = maxIdentifierBytes
            self.maxLabels = maxLabels
            self.maxLabelBytes = maxLabelBytes
            self.maxTaskLabels = maxTaskLabels
            self.maxBudgetEntries = maxBudgetEntries
            self.maxCredentialBytes = maxCredentialBytes
        }
    }

    /// Mints the credential for a task about to be stored (a signed JWT whose `jti` is
    /// the task id); an error stops the open, and nothing is stored.
    public typealias CredentialMinter = @Sendable (TaskRecord) throws -> String
    /// Verifies a task credential, returning the task and agent it names; any error
    /// means no task.
    public typealias CredentialVerifier = @Sendable (String) throws -> TaskCredentialIdentity
    /// Signs bytes (a close receipt) with the current signing key.
    public typealias Signer = @Sendable ([UInt8]) throws -> (kid: String, signature: [UInt8])

    /// The organisation's policies, schema and entities decisions are made with.
    public let decisions: DecisionService
    /// Where tasks are kept.
    public let store: any TaskStore
    /// The limits in force.
    public let configuration: Configuration
    let now: @Sendable () -> Date
    let mint: CredentialMinter?
    let verify: CredentialVerifier?
    let sign: Signer?
    /// Where opens, delegations, closes and expiries are recorded; nil records nothing.
    let audit: (any AuditSink)?
    let registry = Mutex(TaskRegistry())
    let gate = SerialGate()

    /// A service deciding with `decisions`' policies and keeping tasks in `store`
    /// (by default the decision service's store). It holds no task until `load()` or
    /// `open(_:)`.
    /// - Parameters:
    ///   - now: the clock that opens, expires and closes tasks.
    ///   - mint: mints each new task's credential; without it tasks get none.
    ///   - verify: verifies credentials; without it no credential is accepted.
    ///   - sign: signs close receipts; without it closures carry none.
    ///   - audit: records each open, delegation, close and expiry after it is stored and
    ///     before the call returns; a record that cannot be written is an
    ///     `.auditUnavailable` error for the caller (the change stays stored).
    public init(
        decisions: DecisionService, store: (any TaskStore)? = nil, configuration: Configuration = Configuration(),
        now: @escaping @Sendable () -> Date = { Date() }, mint: CredentialMinter? = nil,
        verify: CredentialVerifier? = nil, sign: Signer? = nil, audit: (any AuditSink)? = nil
    ) {
        self.audit = audit
        self.decisions = decisions
        self.store = store ?? decisions.store
        self.configuration = configuration
        self.now = now
        self.mint = mint
        self.verify = verify
        self.sign = sign
    }

    // MARK: - Loading and expiry

    /// Replaces the tasks held in memory with the store's open tasks, compiling each
    /// mandate (it was validated when the task opened). A task whose mandate no longer
    /// parses is left out — decisions in it are denied — and its error returned.
    @discardableResult
    public func load() async throws(WritError) -> [WritError] {
        try await gate.run { () async throws(WritError) -> [WritError] in
            let open = try await store.tasks(matching: TaskFilter(state: .open, now: now()))
            var entries: [TaskEntry] = []
            var failures: [WritError] = []
            for record in open {
                do throws(WritError) {
                    entries.append(TaskEntry(record: record, mandate: try Self.compile(record.mandate, schema: nil)))
                } catch {
                    failures.append(WritError(error.code, "task `\(record.id)`: \(error.message)", details: error.details))
                }
            }
            registry.withLock { $0.replaceAll(with: entries) }
            return failures
        }
    }

    /// Forgets every task whose expiry has passed, closed or not, and returns the ids
    /// of those that were open until now. Decisions in an expired task are denied
    /// whether or not it has been forgotten; forgetting frees its memory.
    @discardableResult
    public func expire() -> [String] {
        let now = now()
        return registry.withLock { $0.forget(endedBy: now) }
    }

    /// `expire()`, recording `task.expired` for each task that was open until now
    /// first: the tasks are forgotten only once their records are written, so a
    /// failure (`.auditUnavailable`) forgets nothing and the next sweep tries again.
    /// Decisions in them are denied either way. Only tasks this service holds are
    /// seen; a task another process opened and this one never read is not recorded here.
    @discardableResult
    public func sweep() async throws(WritError) -> [String] {
        let now = now()
        let ended = registry.withLock { $0.ended(by: now) }
        let events = ended.map { record in
            AuditEvent.lifecycle(
                .taskExpired, time: now, actor: "writ", taskID: record.id, agent: record.agent, user: record.onBehalfOf,
                details: [(key: "expires_at", value: AuditRecorder.seconds(record.expiresAt))])
        }
        try await AuditRecorder.record(audit, events, what: "the expiry of \(ended.count) tasks")
        return registry.withLock { $0.forget(endedBy: now) }
    }

    /// The task held in memory with this id, as held; nil when not held.
    func heldRecord(id: String) -> TaskRecord? {
        registry.withLock { $0[id]?.record }
    }

    /// How many tasks the service holds in memory (open, or closed and not yet expired).
    public var heldCount: Int { registry.withLock { $0.count } }

    // MARK: - Reading

    /// The task with this id as stored, in any state; nil when unknown.
    public func task(id: String) async throws(WritError) -> TaskRecord? {
        guard id.utf8.count <= configuration.maxIdentifierBytes else { return nil }
        return try await store.task(id: id)
    }

    /// The stored tasks `filter` selects, oldest first.
    public func tasks(matching filter: TaskFilter) async throws(WritError) -> [TaskRecord] {
        try await store.tasks(matching: filter)
    }

    /// The task and agent a credential names, when it verifies; otherwise why not.
    public func identify(credential: String) -> Result<TaskCredentialIdentity, TaskDenial> {
        guard let verify else {
            return .failure(TaskDenial(.noTask, "this server verifies no task credentials"))
        }
        guard credential.utf8.count <= configuration.maxCredentialBytes else {
            return .failure(TaskDenial(
                .noTask, "the task credential is \(credential.utf8.count) bytes; at most \(configuration.maxCredentialBytes) are accepted"))
        }
        do {
            return .success(try verify(credential))
        } catch {
            return .failure(TaskDenial(.noTask, "the task credential is not valid: \(error)"))
        }
    }

    // MARK: - Helpers

    /// The clock's time, rounded down to a whole second (tasks keep whole seconds).
    func wholeSecondNow() -> Date {
        Date(timeIntervalSince1970: now().timeIntervalSince1970.rounded(.down))
    }

    /// A mandate compiled against `schema` (nil: parsed only).
    static func compile(_ mandate: [SourceFile], schema: Schema?) throws(WritError) -> CompiledPolicySet {
        let compiled = try PolicySetCompiler.compile(files: mandate, resolvedSchema: schema)
        if let policy = compiled.redactions.keys.sorted().first {
            // Only the organisation's redactions reach the enforcing point; one declared
            // here would be silently dropped, so it is refused.
            throw WritError(
                .invalidPolicySet,
                "mandate policy `\(policy)` declares a redaction; only the organisation's policies can ask for redactions")
        }
        if let policy = compiled.approvable.keys.sorted().first {
            // A mandate narrows what the organisation allows; a person cannot lift it.
            throw WritError(
                .invalidPolicySet,
                "mandate policy `\(policy)` is marked approvable; only the organisation's forbids can ask for approval")
        }
        return compiled
    }
}

/// The task and agent a verified credential names.
public struct TaskCredentialIdentity: Sendable, Equatable {
    /// The task id (the credential's `jti`).
    public var taskID: String
    /// The `Writ::Agent` id (the credential's `sub`).
    public var agent: String
    public init(taskID: String, agent: String) {
        self.taskID = taskID
        self.agent = agent
    }
}
