import Cedar
import WritCore

/// Where `writ task` works: a running server (`TaskServerClient`) or the data
/// directory in this process (`LocalTaskBackend`). Both answer with the JSON the
/// HTTP routes use (docs/HTTP.md), so every verb prints the same either way.
protocol TaskBackend: Sendable {
    /// Opens a task: the task and its `credential`.
    func open(_ opening: TaskOpening) async throws(TaskFailure) -> JSON
    /// Delegates a child from the task `credential` names (which must be `parent`,
    /// when given): the child and its `credential`.
    func delegate(from parent: String?, credential: String, _ delegation: TaskDelegation) async throws(TaskFailure) -> JSON
    /// Closes a task and its descendants: `{"task", "closed", "closed_at", "receipt"}`.
    func close(_ id: String) async throws(TaskFailure) -> JSON
    /// One task.
    func task(_ id: String) async throws(TaskFailure) -> JSON
    /// `{"tasks": [...]}`, oldest first, at most 1,000.
    func tasks(agent: String?, user: String?, state: TaskState?) async throws(TaskFailure) -> JSON
    /// `{"approvals": [...]}`, oldest first, at most 1,000 (docs/APPROVALS.md).
    func approvals(state: ApprovalState?) async throws(TaskFailure) -> JSON
    /// Approves a pending approval: the approval as decided.
    func approve(_ id: String, scope: ApprovalScope, ttl: Int?) async throws(TaskFailure) -> JSON
    /// Refuses a pending approval: the approval as decided.
    func refuse(_ id: String) async throws(TaskFailure) -> JSON
    /// Releases the connection or the store (locally, after closing the audit log
    /// with a checkpoint). Throws when that checkpoint cannot be written.
    func shutdown() async throws(TaskFailure)
}

/// Why a `writ task` operation failed: a message naming the cause, and one line per
/// detail (a mandate's `file:line:column: …`).
struct TaskFailure: Error, CustomStringConvertible {
    var message: String
    var details: [String]

    /// A detail the message already says (a single parse error) is left out.
    init(_ message: String, details: [String] = []) {
        self.message = message
        self.details = details.filter { !message.contains($0) }
    }

    /// A Writ error from the task service, in this process.
    init(_ error: WritError) {
        self.init("\(error.message) (\(error.code))", details: error.details.map(\.description))
    }

    var description: String { ([message] + details.map { "  \($0)" }).joined(separator: "\n") }
}
