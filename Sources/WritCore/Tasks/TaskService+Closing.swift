import Cedar
import Foundation
import Synchronization

extension TaskService {
    /// Closes the task and every task delegated from it, at once: in the store first
    /// (one transaction), then in memory, then the call returns. From then on every
    /// decision in the tree is denied (`task_closed`), and no allow in it is numbered
    /// after the closure's `sequence`. The closure lists what was closed and carries a
    /// receipt signed with the service's signer.
    ///
    /// Labels flow up with the close: each task closed adds its labels to its parent,
    /// and the task closed — holding those of everything closed with it — adds them to
    /// every task above it, so a parent's later decisions see what its children read.
    /// - Parameter closedBy: who closes it (an API key or user name, or `task:<id>`),
    ///   for the record and the receipt.
    /// - Throws: `.notFound` for an unknown task; `.conflict` when it is already
    ///   closed; `.invalidIdentifier` / `.tooLarge` for a bad id or `closedBy`; a store
    ///   error, in which case nothing was closed; `.auditUnavailable` when the tasks
    ///   were closed but the `task.closed` record could not be written.
    public func close(_ id: String, closedBy: String) async throws(WritError) -> TaskClosure {
        let input = TaskInput(configuration: configuration)
        try input.identifier(id, "task")
        try input.identifier(closedBy, "closedBy")
        return try await gate.run { () async throws(WritError) -> TaskClosure in
            let closedAt = wholeSecondNow()
            let closedIDs = try await store.closeTaskSubtree(id: id, at: closedAt)
            let sequence = registry.withLock { registry in
                // Closed by the store already (another replica): stop deciding with it here too.
                registry.close(closedIDs.isEmpty ? [id] : closedIDs, at: closedAt)
                registry.passLabelsUp(from: closedIDs)
                return registry.stamp()
            }
            guard !closedIDs.isEmpty else { throw WritError(.conflict, "task `\(id)` is already closed") }
            let held = heldRecord(id: id)
            try await AuditRecorder.record(
                audit,
                [AuditEvent.lifecycle(
                    .taskClosed, time: closedAt, actor: closedBy, taskID: id, agent: held?.agent, user: held?.onBehalfOf,
                    details: [
                        (key: "closed", value: AuditRecorder.strings(closedIDs)),
                        (key: "sequence", value: .number(JSONNumber(Int64(clamping: sequence)))),
                    ])],
                what: "the close of task `\(id)`")
            var closure = TaskClosure(
                taskID: id, closedIDs: closedIDs, closedAt: closedAt, closedBy: closedBy, sequence: sequence)
            if let sign {
                let payload = closure.receiptPayload
                do {
                    let (kid, signature) = try sign(payload)
                    closure.receipt = TaskReceipt(payload: payload, keyID: kid, signature: signature)
                } catch {
                    closure.receiptFailure = "the receipt could not be signed: \(error)"
                }
            } else {
                closure.receiptFailure = "this server signs no receipts"
            }
            return closure
        }
    }
}
