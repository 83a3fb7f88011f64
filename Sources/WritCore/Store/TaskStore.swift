import Foundation

/// Tasks, their closing and their counters. The task service keeps open tasks in
/// memory and decides from there; the store is what survives a restart, and what
/// several replicas share, so each of its writes is one transaction.
///
/// Task ids are compared as exact Unicode scalars (UTF-8 bytes), never normalised.
public protocol TaskStore: StoreWrites {
    /// Stores a new task. `.conflict` when its id is taken, or when its parent is
    /// closed; `.notFound` when `parentID` names no stored task. Nothing is stored
    /// on error.
    func insertTask(_ task: TaskRecord) async throws(WritError)
    /// The task with this id, in any state; nil when unknown.
    func task(id: String) async throws(WritError) -> TaskRecord?
    /// The tasks `filter` selects, oldest first: by `openedAt`, then by id (UTF-8 byte
    /// order).
    func tasks(matching filter: TaskFilter) async throws(WritError) -> [TaskRecord]
    /// Closes the task and every descendant not closed yet, setting `closedAt` to
    /// `date`, in one transaction. Returns the ids it closed: the task first, then its
    /// descendants by depth, then `openedAt`, then id. Returns none, changing nothing,
    /// when the task is already closed; `.notFound` when it is unknown.
    ///
    /// Labels flow up in the same transaction: each task closed adds its labels to its
    /// parent, the deepest first, so the task closed ends with the labels of all it
    /// closed, and those are added to every task above it.
    func closeTaskSubtree(id: String, at date: Date) async throws(WritError) -> [String]
    /// Adds each increment to its task's counters and labels in one transaction — only
    /// when every task named exists and is not closed; otherwise returns false and
    /// changes nothing. `.conflict` (changing nothing) when a sum would overflow.
    func addTaskCounters(_ increments: [TaskCounterIncrement]) async throws(WritError) -> Bool
    /// Adds `labels` to the labels of the open task `id` (labels only grow) and returns
    /// all its labels. `.notFound` when the task is unknown; `.conflict` when it is
    /// closed. Nothing changes on error.
    func addTaskLabels(_ labels: Set<String>, to id: String) async throws(WritError) -> Set<String>
}

/// Which tasks `TaskStore.tasks(matching:)` returns: every condition given must hold.
public struct TaskFilter: Sendable, Equatable {
    /// Only tasks for this agent.
    public var agent: String?
    /// Only tasks acting for this user.
    public var onBehalfOf: String?
    /// Only tasks in this state at `now`.
    public var state: TaskState?
    /// The time `state` is judged at.
    public var now: Date
    /// At most this many tasks (the oldest); nil for all. Zero or negative gives none.
    public var limit: Int?

    public init(agent: String? = nil, onBehalfOf: String? = nil, state: TaskState? = nil, now: Date, limit: Int? = nil) {
        self.agent = agent
        self.onBehalfOf = onBehalfOf
        self.state = state
        self.now = now
        self.limit = limit
    }

    /// Whether `task` meets every condition (not the limit).
    public func matches(_ task: TaskRecord) -> Bool {
        if let agent, !agent.utf8.elementsEqual(task.agent.utf8) { return false }
        if let onBehalfOf, !onBehalfOf.utf8.elementsEqual(task.onBehalfOf.utf8) { return false }
        if let state, task.state(at: now) != state { return false }
        return true
    }
}

/// What one allowed decision adds to one task: its counters, and the labels of what
/// it let the task read.
public struct TaskCounterIncrement: Sendable, Equatable {
    /// The task whose counters grow.
    public var taskID: String
    /// What is added to them.
    public var counters: TaskCounters
    /// Labels added to the task's.
    public var labels: Set<String>
    public init(taskID: String, counters: TaskCounters, labels: Set<String> = []) {
        self.taskID = taskID
        self.counters = counters
        self.labels = labels
    }
}
