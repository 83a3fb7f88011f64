import Cedar
import Foundation

/// What an audit record says happened.
public enum AuditEventKind: String, Sendable, Hashable, CaseIterable {
    /// An authorization decision (allow, deny or ask).
    case decision
    /// An AuthZEN search answered: which subjects, resources or actions a request
    /// would be allowed for.
    case search
    case taskOpened = "task.opened"
    case taskDelegated = "task.delegated"
    case taskClosed = "task.closed"
    case taskExpired = "task.expired"
    case approvalAsked = "approval.asked"
    case approvalGranted = "approval.granted"
    case approvalRefused = "approval.refused"
    case approvalExpired = "approval.expired"
    case policiesChanged = "policies.changed"
    case schemaChanged = "schema.changed"
    case entitiesChanged = "entities.changed"
    case inventoryChanged = "inventory.changed"
    case inventoryToolChanged = "inventory.tool_changed"
    case inventoryToolApproved = "inventory.tool_approved"
    case keyCreated = "key.created"
    case keyRevoked = "key.revoked"
    case keyRotated = "key.rotated"
    case serverStarted = "server.started"
    case serverStopped = "server.stopped"
}

/// The outcome a decision record carries.
public enum AuditOutcome: String, Sendable, Hashable, CaseIterable {
    case allow
    case deny
    /// Denied until a person approves (`approval_required`).
    case ask
}

/// One event to record: the fields audit queries select on, and the details that
/// explain it (for a decision: the request as sent after redaction, reasons, errors,
/// obligations, policy set version, checkpoint, the PEP's key id).
///
/// No credential, key secret or approval secret may appear in any field.
public struct AuditEvent: Sendable, Equatable {
    public var kind: AuditEventKind
    public var time: Date
    /// Who caused it: an API key id, `writ` for the server itself, or a user.
    public var actor: String?
    /// For a decision: its id, unique across the log.
    public var decisionID: String?
    /// The task the event concerns.
    public var taskID: String?
    /// The agent (the id of a `Writ::Agent`) the event concerns.
    public var agent: String?
    /// The user the agent's task acts for.
    public var user: String?
    /// The resource (tool, dataset, document …) as a Cedar uid, `Type::"id"`.
    public var resource: String?
    /// The action as a Cedar uid, `Action::"call"`.
    public var action: String?
    /// For a decision: its outcome.
    public var outcome: AuditOutcome?
    /// Everything else, as a JSON object.
    package var details: JSON

    package init(
        kind: AuditEventKind, time: Date, actor: String? = nil, decisionID: String? = nil, taskID: String? = nil,
        agent: String? = nil, user: String? = nil, resource: String? = nil, action: String? = nil,
        outcome: AuditOutcome? = nil, details: JSON = .object(JSONObject(uniqueMembers: []))
    ) {
        self.kind = kind
        self.time = time
        self.actor = actor
        self.decisionID = decisionID
        self.taskID = taskID
        self.agent = agent
        self.user = user
        self.resource = resource
        self.action = action
        self.outcome = outcome
        self.details = details
    }
}

/// Where events are recorded. `record` returns only once every event is durable —
/// and throws when they cannot be made durable; a caller that gets an error must not
/// answer allow (fail closed: no record, no allow).
public protocol AuditSink: Sendable {
    func record(_ events: [AuditEvent]) async throws(WritError)
    /// Records `events` and adds `increments` to the task counters in `tasks`, both or
    /// neither: the records of an answer and the counters its allows charge. Returns
    /// false, recording nothing, when `tasks` refuses the counters (a task is unknown
    /// or closed there); throws when either cannot be written.
    ///
    /// `AuditLog` writes both in one transaction when it appends to `tasks` itself. The
    /// default adds the counters (synced), then records: when the record fails the
    /// counters stay charged, which can only deny more later, never allow more.
    func record(_ events: [AuditEvent], addingTaskCounters increments: [TaskCounterIncrement], to tasks: any TaskStore)
        async throws(WritError) -> Bool
}

extension AuditSink {
    public func record(
        _ events: [AuditEvent], addingTaskCounters increments: [TaskCounterIncrement], to tasks: any TaskStore
    ) async throws(WritError) -> Bool {
        try await countersThenRecord(events, increments, tasks)
    }

    /// The counters added (synced) to `tasks`, then `events` recorded: the way for a
    /// sink that cannot write both in one transaction.
    func countersThenRecord(_ events: [AuditEvent], _ increments: [TaskCounterIncrement], _ tasks: any TaskStore)
        async throws(WritError) -> Bool
    {
        if !increments.isEmpty, try await !tasks.addTaskCounters(increments) { return false }
        try await record(events)
        return true
    }
}

extension AuditSink {
    /// Records the events of an answer before it is given (an HTTP response, a
    /// gateway's forwarding of a call). A failure is `.auditUnavailable`: the answer
    /// must not be given.
    public func recordBeforeAnswering(_ events: [AuditEvent]) async throws(WritError) {
        guard !events.isEmpty else { return }
        do {
            try await record(events)
        } catch {
            throw WritError(.auditUnavailable, "the decision could not be recorded, so it is not answered: \(error.message)")
        }
    }
}
