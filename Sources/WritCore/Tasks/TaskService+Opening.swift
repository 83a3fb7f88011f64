import Cedar
import Foundation
import Synchronization

extension TaskService {
    /// Opens a task for `opening.agent`, acting for `opening.onBehalfOf`.
    ///
    /// The mandate is compiled once, against the active schema (errors carry
    /// file:line:column); the task expires `ttl` from now (whole seconds, at most
    /// `maxTTL`). The credential is minted, the task stored, then held in memory.
    /// Who may open a task for whom is the caller's to check.
    /// - Throws: a request error naming the input (`.invalidIdentifier`, `.tooLarge`,
    ///   `.invalidRequest`, `.invalidNumber`, `.policyParseError`,
    ///   `.policyValidationError` …); `.notReady` without a policy set or when minting
    ///   fails; a store error. Nothing is stored on error.
    public func open(_ opening: TaskOpening) async throws(WritError) -> OpenedTask {
        let input = TaskInput(configuration: configuration)
        try input.identifier(opening.agent, "agent")
        try input.identifier(opening.onBehalfOf, "onBehalfOf")
        try input.identifier(opening.openedBy, "openedBy")
        try input.text(opening.purpose, "purpose", max: configuration.maxPurposeBytes)
        try input.labels(opening.labels)
        try input.budgets(opening.budgets)
        let seconds = try input.ttl(opening.ttl, "ttl")
        try input.mandate(opening.mandate)
        let mandate = try Self.compile(opening.mandate, schema: try decisions.engine().schema)
        return try await gate.run { () async throws(WritError) -> OpenedTask in
            let openedAt = wholeSecondNow()
            let record = TaskRecord(
                id: Self.newID(), agent: opening.agent, onBehalfOf: opening.onBehalfOf, purpose: opening.purpose,
                mandate: opening.mandate, openedAt: openedAt, expiresAt: openedAt.addingTimeInterval(Double(seconds)),
                openedBy: opening.openedBy, budgets: opening.budgets, labels: opening.labels)
            return try await store(record, mandate: mandate)
        }
    }

    /// Delegates a child task from the open task `parentID`, for a sub-agent or the
    /// parent's own agent. The child acts for the parent's user, one level deeper
    /// (at most `maxDepth`), starts with the labels of the parent and every task above
    /// it, expires no later than the parent, and may set no budget above what the
    /// parent or any task above it has left. Every decision in the child must also pass the mandates of the parent and
    /// every task above it, so the child can never do more than its parent.
    /// - Throws: as `open(_:)`; `.notFound` when the parent is not held (unknown, or
    ///   ended and forgotten); `.conflict` when it is closed or expired.
    public func delegate(from parentID: String, _ delegation: TaskDelegation) async throws(WritError) -> OpenedTask {
        let input = TaskInput(configuration: configuration)
        try input.identifier(parentID, "parent")
        try input.identifier(delegation.agent, "agent")
        if let openedBy = delegation.openedBy { try input.identifier(openedBy, "openedBy") }
        try input.text(delegation.purpose, "purpose", max: configuration.maxPurposeBytes)
        try input.labels(delegation.labels)
        try input.budgets(delegation.budgets)
        let seconds = try delegation.ttl.map { ttl throws(WritError) in try input.ttl(ttl, "ttl") }
        try input.mandate(delegation.mandate)
        let mandate = try Self.compile(delegation.mandate, schema: try decisions.engine().schema)
        return try await gate.run { () async throws(WritError) -> OpenedTask in
            // A parent opened by another process sharing the store is read from it.
            try await holdChain(of: parentID)
            let openedAt = wholeSecondNow()
            let chain = try parentChain(parentID, at: openedAt)
            let parent = chain[0].record
            guard parent.depth < configuration.maxDepth else {
                throw WritError(
                    .invalidRequest,
                    "task `\(parentID)` is at depth \(parent.depth); tasks may be delegated at most \(configuration.maxDepth) deep")
            }
            let expiresAt = seconds.map { openedAt.addingTimeInterval(Double($0)) } ?? parent.expiresAt
            guard expiresAt <= parent.expiresAt else {
                throw WritError(
                    .invalidRequest,
                    "`ttl` would end the task after its parent `\(parentID)`, which expires at \(parent.expiresAt)")
            }
            try Self.checkWithin(delegation.budgets, chain.map(\.record))
            let record = TaskRecord(
                id: Self.newID(), agent: delegation.agent, onBehalfOf: parent.onBehalfOf, purpose: delegation.purpose,
                mandate: delegation.mandate, parentID: parent.id, depth: parent.depth + 1, openedAt: openedAt,
                expiresAt: expiresAt, openedBy: delegation.openedBy ?? "task:\(parent.id)",
                budgets: delegation.budgets, labels: Self.inheritedLabels(chain[...]).union(delegation.labels))
            return try await store(record, mandate: mandate)
        }
    }

    /// Mints the credential, stores the task, then holds it in memory.
    private func store(_ record: TaskRecord, mandate: CompiledPolicySet) async throws(WritError) -> OpenedTask {
        var credential: String?
        if let mint {
            do {
                credential = try mint(record)
            } catch {
                throw WritError(.notReady, "the credential for the task could not be minted: \(error)")
            }
        }
        try await store.insertTask(record)
        registry.withLock { $0.insert(TaskEntry(record: record, mandate: mandate)) }
        try await AuditRecorder.record(audit, [Self.openEvent(record)], what: "task `\(record.id)`")
        return OpenedTask(record: record, credential: credential)
    }

    /// `task.opened`, or `task.delegated` naming the parent. Never the credential.
    static func openEvent(_ record: TaskRecord) -> AuditEvent {
        var details: [(key: String, value: JSON)] = [
            (key: "purpose", value: .string(record.purpose)),
            (key: "opened_at", value: AuditRecorder.seconds(record.openedAt)),
            (key: "expires_at", value: AuditRecorder.seconds(record.expiresAt)),
            (key: "depth", value: .number(JSONNumber(Int64(record.depth)))),
            (key: "labels", value: AuditRecorder.strings(record.labels.sorted { $0.scalarsLess($1) })),
            (key: "mandate", value: AuditRecorder.strings(record.mandate.map(\.name))),
        ]
        if let parent = record.parentID { details.insert((key: "parent", value: .string(parent)), at: 0) }
        return AuditEvent.lifecycle(
            record.parentID == nil ? .taskOpened : .taskDelegated, time: record.openedAt, actor: record.openedBy,
            taskID: record.id, agent: record.agent, user: record.onBehalfOf, details: details)
    }

    /// The held chain of the task a child is delegated from, or the error saying why
    /// it cannot be.
    private func parentChain(_ parentID: String, at now: Date) throws(WritError) -> [TaskEntry] {
        let chain = registry.withLock { $0.chain(of: parentID, agent: nil, now: now) }
        switch chain {
        case .success(let entries):
            return entries
        case .failure(let denial) where denial.reason == .noTask:
            throw WritError(.notFound, "cannot delegate from task `\(parentID)`: \(denial.message)")
        case .failure(let denial):
            throw WritError(.conflict, "cannot delegate from task `\(parentID)`: \(denial.message)")
        }
    }

    /// Checks that each limit in `budgets` is within what every task in `chain` has
    /// left.
    static func checkWithin(_ budgets: TaskBudgets, _ chain: [TaskRecord]) throws(WritError) {
        for task in chain {
            let left = "task `\(task.id)` has"
            if let asked = budgets.maxDecisions, let max = task.budgets.maxDecisions,
                asked > max - task.counters.decisions
            {
                throw WritError(
                    .invalidRequest,
                    "`budgets.maxDecisions` is \(asked), but \(left) \(max - task.counters.decisions) decisions left")
            }
            for (action, asked) in budgets.maxCalls {
                guard let max = task.budgets.maxCalls[action] else { continue }
                let remaining = max - (task.counters.actions[action] ?? 0)
                if asked > remaining {
                    throw WritError(
                        .invalidRequest,
                        "`budgets.maxCalls[\(action)]` is \(asked), but \(left) \(remaining) calls of it left")
                }
            }
            for (action, asked) in budgets.spend {
                guard let limit = task.budgets.spend[action] else { continue }
                guard asked.argument.scalarsEqual(limit.argument) else {
                    throw WritError(
                        .invalidRequest,
                        "`budgets.spend[\(action)]` sums `\(asked.argument)`, but \(left) a ceiling on `\(limit.argument)`")
                }
                let (difference, overflow) = limit.ceiling.subtractingReportingOverflow(task.counters.spend[action] ?? 0)
                let remaining = overflow ? Int64.max : difference
                if asked.ceiling > remaining {
                    throw WritError(
                        .invalidRequest,
                        "`budgets.spend[\(action)].ceiling` is \(asked.ceiling), but \(left) \(remaining) of it left")
                }
            }
        }
    }

    /// A new task id: `t_` and 128 random bits in base64url.
    static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return "t_" + Base64URL.encode(bytes)
    }
}
