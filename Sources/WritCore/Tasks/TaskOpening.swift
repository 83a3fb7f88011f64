/// What opening a task takes: see `TaskService.open(_:)`.
public struct TaskOpening: Sendable, Equatable {
    /// The `Writ::Agent` id the task is for.
    public var agent: String
    /// The `Writ::User` id the agent acts for.
    public var onBehalfOf: String
    /// What the work is (free text; newlines and tabs allowed).
    public var purpose: String
    /// The task's Cedar policies; empty permits nothing.
    public var mandate: [SourceFile]
    /// How long the task lives: at least a second and at most the configured maximum;
    /// fractions of a second are dropped.
    public var ttl: Duration
    /// Limits on what the task may use.
    public var budgets: TaskBudgets
    /// Data labels the task starts with.
    public var labels: Set<String>
    /// Who opens it (an API key or user name), for the record.
    public var openedBy: String

    public init(
        agent: String, onBehalfOf: String, purpose: String, mandate: [SourceFile], ttl: Duration,
        budgets: TaskBudgets = TaskBudgets(), labels: Set<String> = [], openedBy: String
    ) {
        self.agent = agent
        self.onBehalfOf = onBehalfOf
        self.purpose = purpose
        self.mandate = mandate
        self.ttl = ttl
        self.budgets = budgets
        self.labels = labels
        self.openedBy = openedBy
    }
}

/// What delegating a task takes: see `TaskService.delegate(from:_:)`. The child acts
/// for the parent's user and starts with the labels of the tasks above it as well as its own.
public struct TaskDelegation: Sendable, Equatable {
    /// The agent the child task is for: the parent's own agent or another (a
    /// sub-agent); either way it can do no more than the parent's mandate allows.
    public var agent: String
    /// What the delegated work is.
    public var purpose: String
    /// The child's own mandate; it only narrows what the parent's allows.
    public var mandate: [SourceFile]
    /// How long the child lives; nil for as long as the parent. It may not outlive the
    /// parent.
    public var ttl: Duration?
    /// Each limit given may not exceed what the parent (or any task above it) has left.
    public var budgets: TaskBudgets
    /// Labels added to the parent's.
    public var labels: Set<String>
    /// Who delegates, for the record; nil records `task:<parent id>`.
    public var openedBy: String?

    public init(
        agent: String, purpose: String, mandate: [SourceFile], ttl: Duration? = nil,
        budgets: TaskBudgets = TaskBudgets(), labels: Set<String> = [], openedBy: String? = nil
    ) {
        self.agent = agent
        self.purpose = purpose
        self.mandate = mandate
        self.ttl = ttl
        self.budgets = budgets
        self.labels = labels
        self.openedBy = openedBy
    }
}

/// A task just opened or delegated, with the credential its agent uses.
public struct OpenedTask: Sendable, Equatable {
    /// The task as stored.
    public var record: TaskRecord
    /// The task credential minted for it; nil when the service mints none.
    public var credential: String?
    public init(record: TaskRecord, credential: String?) {
        self.record = record
        self.credential = credential
    }
}
