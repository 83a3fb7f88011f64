/// The outcome of a decision inside a task.
public struct TaskDecision: Sendable, Equatable {
    /// The task the decision was asked in.
    public var taskID: String
    /// Why the request was denied; nil for an allow.
    public var denial: TaskDenial?
    /// The organisation's policies' decision, when they were evaluated.
    public var policies: WritDecision?
    /// The service's sequence number when the decision became final (0 for a check
    /// that changed nothing). Numbers grow with every decision and close: an allow
    /// numbered below a close's `sequence` completed before the close did, and no
    /// allow in a closed task is numbered above it.
    public var sequence: UInt64

    public init(taskID: String, denial: TaskDenial?, policies: WritDecision?, sequence: UInt64 = 0) {
        self.taskID = taskID
        self.denial = denial
        self.policies = policies
        self.sequence = sequence
    }

    /// Whether the request may go ahead.
    public var allowed: Bool { denial == nil }
}

/// Why a decision inside a task was denied: a stable reason code, a message, and the
/// task the reason concerns (the one whose mandate or budget denied, which may be an
/// ancestor of the task asked in).
public struct TaskDenial: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable reason code; AuthZEN responses carry it as `context.reason`.
    public struct Reason: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// No live task: no credential, one that does not verify, or a task this
        /// service does not hold for this agent.
        public static let noTask = Reason(rawValue: "no_task")
        /// The task, or one it was delegated from, is closed.
        public static let taskClosed = Reason(rawValue: "task_closed")
        /// The task, or one it was delegated from, is past its expiry.
        public static let taskExpired = Reason(rawValue: "task_expired")
        /// No policy set is loaded.
        public static let notReady = Reason(rawValue: "not_ready")
        /// The request is not valid under the schema (with `context.task` in place).
        public static let invalidRequest = Reason(rawValue: "invalid_request")
        /// The organisation's policies deny.
        public static let policyDenied = Reason(rawValue: "policy_denied")
        /// Only approvable forbids deny: a person must approve this exact request
        /// (docs/APPROVALS.md).
        public static let approvalRequired = Reason(rawValue: "approval_required")
        /// A person refused this exact request.
        public static let approvalRefused = Reason(rawValue: "approval_refused")
        /// A task's mandate denies.
        public static let mandateDenied = Reason(rawValue: "mandate_denied")
        /// A spend ceiling applies, but the argument is missing, not a `Long` or negative.
        public static let invalidSpendArgument = Reason(rawValue: "invalid_spend_argument")
        /// The inventory gives the request's resource labels that are not labels, or
        /// more than the task may carry (`TaskService.Configuration.maxTaskLabels`).
        public static let labelsRefused = Reason(rawValue: "labels_refused")
        /// The request's principal or resource is of a type the inventory registers but
        /// is not registered (or, a document, is in no registered dataset); docs/INVENTORY.md.
        public static let unregistered = Reason(rawValue: "unregistered")
        /// The resource is a tool whose definition changed: quarantined until its owner
        /// approves the new definition (docs/INVENTORY.md).
        public static let toolChanged = Reason(rawValue: "tool_changed")
        /// The counters could not be stored, so the allow could not be recorded.
        public static let storeUnavailable = Reason(rawValue: "store_unavailable")
        /// `TaskBudgets.maxDecisions` is used up.
        public static let decisionsExhausted = Reason(rawValue: "budget_exhausted:decisions")

        /// `TaskBudgets.maxCalls` of `action` is used up.
        public static func callsExhausted(_ action: String) -> Reason {
            Reason(rawValue: "budget_exhausted:calls:\(action)")
        }

        /// `TaskBudgets.spend` of `action` would be exceeded.
        public static func spendExhausted(_ action: String) -> Reason {
            Reason(rawValue: "budget_exhausted:spend:\(action)")
        }
    }

    /// Why, as a stable code.
    public var reason: Reason
    /// What happened, naming the task, policy or budget.
    public var message: String
    /// The task the reason concerns, when it is known.
    public var taskID: String?

    public init(_ reason: Reason, _ message: String, taskID: String? = nil) {
        self.reason = reason
        self.message = message
        self.taskID = taskID
    }

    public var description: String { "\(reason): \(message)" }
}
