import Cedar

extension DecisionService {
    /// Retrieval filtering: decides one subject and action, with one context, on each
    /// candidate resource of `body`, against one policy set version, and answers the
    /// allowed subset. `body` is `{"subject", "action", "context"?, "resources": [...]}`
    /// in AuthZEN's JSON forms; the response is `{"allowed": [...], "denied": [...],
    /// "context": {...}}` (docs/CHECKPOINTS.md, "Retrieval filtering").
    ///
    /// For an agent, every candidate is decided inside its task, exactly as the same
    /// request through `authzen(.evaluations, …)` with one item per candidate: each
    /// allowed candidate is one decision charged to the task's counters and teaches
    /// the task its labels, and all of them are stored in one store write before the
    /// response is made. An allow that cannot be stored is answered as a deny.
    ///
    /// With `approvals`, a candidate only approvable forbids deny is answered
    /// `approval_required` with the approval a person must decide (`evaluation_id`,
    /// `access_request`), as an evaluation is, and one a person approved is allowed.
    ///
    /// - Throws: `.notReady` when no policy set is loaded; a request error (400) for a
    ///   malformed body, a bad identifier or a candidate named twice; `.tooLarge` (413)
    ///   for more than `configuration.limits.maxFilterCandidates` candidates.
    ///
    /// With `audit`, every candidate decided is one audited decision: a `decision_id`
    /// in its entry and an event in the outcome's `events`, recorded in `audit.log`
    /// when it is given, as for `authzen`.
    public func filter(
        body: [UInt8], taskCredential: String?, tasks: TaskService?, approvals: ApprovalService? = nil,
        audit: DecisionAudit? = nil
    ) async throws(WritError) -> AuthZENOutcome {
        let maxCandidates = configuration.limits.maxFilterCandidates
        var candidates: [AuthZENEntity] = []
        let decided = try await decided(body, taskCredential: taskCredential, tasks: tasks, approvals: approvals) {
            evaluator, request throws(WritError) in
            let filtered = try evaluator.filter(request, maxCandidates: maxCandidates, naming: audit != nil)
            candidates = filtered.candidates
            return filtered.answer
        }
        let evaluator = decided.evaluator
        return try await answered(consume decided, operation: "filter", tasks: tasks, approvals: approvals, audit: audit) { answer in
            evaluator.render(AuthZENEvaluator.Filtered(candidates: candidates, answer: answer))
        }
    }
}
