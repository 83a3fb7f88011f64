import Foundation

/// A task: a bounded piece of work a person gave an agent. The agent acts for
/// `onBehalfOf`, for `purpose`, only as the organisation's policies and the mandate of
/// this task and of every task it was delegated from allow, until it is closed or
/// expires. docs/TASKS.md describes the model.
///
/// Strings are kept exactly as given: ids are compared as Unicode scalars.
public struct TaskRecord: Sendable, Equatable {
    /// Random and URL-safe (`t_` and 22 base64url characters: 128 bits).
    public var id: String
    /// The `Writ::Agent` id the task is for.
    public var agent: String
    /// The `Writ::User` id the agent acts for; a delegated task keeps its parent's.
    public var onBehalfOf: String
    /// What the work is, in the words of whoever opened the task.
    public var purpose: String
    /// Cedar policies that apply only inside this task (and the tasks delegated from
    /// it). Empty permits nothing.
    public var mandate: [SourceFile]
    /// The task this one was delegated from; nil for a task opened for a user.
    public var parentID: String?
    /// 0 for a task opened for a user; one more than its parent's otherwise.
    public var depth: Int
    /// When the task was opened (whole seconds).
    public var openedAt: Date
    /// When the task ends unless closed earlier (whole seconds); never later than the
    /// parent's.
    public var expiresAt: Date
    /// When the task, or a task it was delegated from, was closed.
    public var closedAt: Date?
    /// Who opened it: an API key or user name, or `task:<id>` for a delegated task.
    public var openedBy: String
    /// What the task and the tasks delegated from it may use.
    public var budgets: TaskBudgets
    /// What the task and the tasks delegated from it have used.
    public var counters: TaskCounters
    /// What the task has touched (`pii`, `untrusted` …): labels only grow. A delegated
    /// task starts with those of the tasks above it; policies also see labels those
    /// tasks gain later (`TaskService.addLabels(_:to:)` describes the sources).
    public var labels: Set<String>

    public init(
        id: String, agent: String, onBehalfOf: String, purpose: String, mandate: [SourceFile],
        parentID: String? = nil, depth: Int = 0, openedAt: Date, expiresAt: Date, closedAt: Date? = nil,
        openedBy: String, budgets: TaskBudgets = TaskBudgets(), counters: TaskCounters = TaskCounters(),
        labels: Set<String> = []
    ) {
        self.id = id
        self.agent = agent
        self.onBehalfOf = onBehalfOf
        self.purpose = purpose
        self.mandate = mandate
        self.parentID = parentID
        self.depth = depth
        self.openedAt = openedAt
        self.expiresAt = expiresAt
        self.closedAt = closedAt
        self.openedBy = openedBy
        self.budgets = budgets
        self.counters = counters
        self.labels = labels
    }

    /// The task's state at `now`: closed once `closedAt` is set, else expired from
    /// `expiresAt` on, else open.
    public func state(at now: Date) -> TaskState {
        if closedAt != nil { return .closed }
        return now < expiresAt ? .open : .expired
    }
}

/// Whether a task can still be acted in.
public enum TaskState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Neither closed nor past its expiry: decisions in it may be allowed.
    case open
    /// Closed (itself, or with a task it was delegated from); nothing is allowed.
    case closed
    /// Past its expiry without being closed; nothing is allowed.
    case expired
}
