import Foundation

/// The audit log's storage: records appended in batches, never changed, and the
/// signed checkpoints over them. Stores keep rows as given; `AuditLog` makes them
/// and `AuditVerifier` checks them.
public protocol AuditStore: StoreWrites {
    /// The last record's sequence and hash; `AuditHead.empty` when there is none.
    func auditHead() async throws(WritError) -> AuditHead
    /// Appends `rows` in one transaction, all or none. The first row's sequence must
    /// be the stored head's plus one and the rest must follow without gaps;
    /// otherwise throws `.conflict` and stores nothing.
    func appendAuditRows(_ rows: [AuditRow]) async throws(WritError)
    /// Rows with sequences from `first` on, ascending, at most `limit`.
    func auditRows(from first: Int, limit: Int) async throws(WritError) -> [AuditRow]
    /// Rows matching `query`, in its order, at most `query.limit`.
    func queryAuditRows(_ query: AuditQuery) async throws(WritError) -> [AuditRow]
    /// Stores a checkpoint.
    func insertAuditCheckpoint(_ checkpoint: AuditCheckpoint) async throws(WritError)
    /// Every stored checkpoint, in the order stored.
    func auditCheckpoints() async throws(WritError) -> [AuditCheckpoint]
}

/// A store that holds both the audit log and the task counters, and writes a
/// decision's records and the counters its allows charge in one transaction: one
/// commit (one sync) per answer, and never an allow counted but unrecorded or recorded
/// but uncounted.
public protocol AuditCounterStore: AuditStore, TaskStore {
    /// Adds `increments` as `addTaskCounters(_:)` does and appends `rows` as
    /// `appendAuditRows(_:)` does, in one transaction: both or neither. Returns false,
    /// writing nothing, when a task named is unknown or closed; throws what either
    /// would throw (`.conflict` for rows that do not follow the head, or a sum that
    /// would overflow), writing nothing.
    func appendAuditRows(_ rows: [AuditRow], addingTaskCounters increments: [TaskCounterIncrement]) async throws(WritError)
        -> Bool
}

/// Which audit records to read: every given field must match exactly (Unicode
/// scalars), times are `since ≤ time < until`.
public struct AuditQuery: Sendable, Equatable {
    /// The largest `limit` a query may ask for.
    public static let maxLimit = 1000

    public var taskID: String?
    public var agent: String?
    public var user: String?
    public var resource: String?
    public var action: String?
    public var actor: String?
    public var decisionID: String?
    public var outcome: AuditOutcome?
    public var kind: AuditEventKind?
    public var since: Date?
    public var until: Date?
    /// A cursor: only records past this sequence in the query's order (greater when
    /// oldest first, smaller when newest first).
    public var after: Int?
    /// At most this many records (1 to `maxLimit`; stores clamp).
    public var limit: Int
    /// Newest first (the default) or oldest first.
    public var newestFirst: Bool

    public init(
        taskID: String? = nil, agent: String? = nil, user: String? = nil, resource: String? = nil,
        action: String? = nil, actor: String? = nil, decisionID: String? = nil, outcome: AuditOutcome? = nil,
        kind: AuditEventKind? = nil, since: Date? = nil, until: Date? = nil, after: Int? = nil, limit: Int = 100,
        newestFirst: Bool = true
    ) {
        self.taskID = taskID
        self.agent = agent
        self.user = user
        self.resource = resource
        self.action = action
        self.actor = actor
        self.decisionID = decisionID
        self.outcome = outcome
        self.kind = kind
        self.since = since
        self.until = until
        self.after = after
        self.limit = limit
        self.newestFirst = newestFirst
    }

    /// The limit a store applies: `limit` clamped to 0…`maxLimit`.
    public var effectiveLimit: Int { max(0, min(limit, Self.maxLimit)) }

    /// Whether `row`'s columns match every filter except the cursor.
    package func matches(_ row: AuditRow) -> Bool {
        func same(_ wanted: String?, _ value: String?) -> Bool {
            guard let wanted else { return true }
            guard let value else { return false }
            return wanted.utf8.elementsEqual(value.utf8)
        }
        guard same(taskID, row.taskID), same(agent, row.agent), same(user, row.user), same(resource, row.resource),
            same(action, row.action), same(actor, row.actor), same(decisionID, row.decisionID),
            same(outcome?.rawValue, row.outcome), same(kind?.rawValue, row.kind)
        else { return false }
        if let since, row.timeMicros < AuditCanonical.microseconds(since) { return false }
        if let until, row.timeMicros >= AuditCanonical.microseconds(until) { return false }
        return true
    }
}
