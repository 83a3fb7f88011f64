import Foundation

extension DecisionService {
    /// What `decided` made of a request: its answer, with the allows reserved in their
    /// tasks but not final.
    struct Decided {
        var evaluator: AuthZENEvaluator
        var answer: AuthZENEvaluator.Answer
        /// The decisions inside tasks, in `answer`'s `taskEvaluation` order.
        var evaluations: [TaskEvaluation]
    }

    /// Makes a decided answer final and renders it: the allows' counters stored in
    /// their tasks, the approvals a person must decide asked for — and with `audit`,
    /// each decision given an id and its event, recorded in `audit.log` when there is
    /// one before this returns.
    ///
    /// With both `audit.log` and `tasks`, the counters and the events are one write
    /// (`AuditSink.record(_:addingTaskCounters:to:)`): one transaction and one sync per
    /// answer where the log appends to the tasks' store. Should that write fail, or the
    /// store refuse the counters (a task closed meanwhile), nothing of it was kept:
    /// the allows become denials, and those are what is recorded and answered.
    /// - Throws: `.auditUnavailable` when the answer cannot be recorded.
    func answered(
        _ decided: consuming Decided, operation: String, tasks: TaskService?, approvals: ApprovalService?,
        audit: DecisionAudit?, render: (AuthZENEvaluator.Answer) -> AuthZENOutcome
    ) async throws(WritError) -> AuthZENOutcome {
        let evaluator = decided.evaluator
        let evaluations = decided.evaluations
        var answer = decided.answer
        // The answer's results are then held here alone, and written in place: a
        // filter's thousand are not copied by the first change.
        _ = consume decided
        func audited() -> AuthZENOutcome {
            self.audited(&answer, evaluator, operation: operation, audit: audit, tasks: tasks, render: render)
        }
        guard let tasks, !evaluations.isEmpty, let log = audit?.log else {
            if let tasks, !evaluations.isEmpty { Self.apply(await tasks.commitFinals(evaluations), to: &answer) }
            if let approvals { await ask(approvals, in: &answer) }
            let outcome = audited()
            try await audit?.log?.recordBeforeAnswering(outcome.events)
            return outcome
        }
        let settled = tasks.settle(evaluations)
        Self.apply(settled.finals, to: &answer)
        if let approvals { await ask(approvals, in: &answer) }
        let outcome = audited()
        guard !settled.increments.isEmpty else {
            try await log.recordBeforeAnswering(outcome.events)
            return outcome
        }
        let failure: TaskDenial
        do {
            if try await log.record(outcome.events, addingTaskCounters: settled.increments, to: tasks.store) {
                return outcome
            }
            failure = await tasks.refusedByStore(settled.increments)
        } catch {
            failure = TaskService.unstored(error)
        }
        Self.apply(tasks.unsettle(evaluations, settled.finals, failure: failure), to: &answer)
        let denied = audited()
        try await log.recordBeforeAnswering(denied.events)
        return denied
    }

    /// `render(answer)`, and with `audit` each decision answered given an id first
    /// (kept in `answer`, in place) and its event made after.
    func audited(
        _ answer: inout AuthZENEvaluator.Answer, _ evaluator: AuthZENEvaluator, operation: String, audit: DecisionAudit?,
        tasks: TaskService?, render: (AuthZENEvaluator.Answer) -> AuthZENOutcome
    ) -> AuthZENOutcome {
        guard let audit else { return render(answer) }
        let time = Date()
        for index in answer.results.indices { answer.results[index].decisionID = DecisionAudit.newDecisionID(at: time) }
        var outcome = render(answer)
        outcome.events = evaluator.auditEvents(
            answer, operation: operation, audit: audit, configuration: configuration.audit, tasks: tasks, time: time)
        return outcome
    }

    /// Each result inside a task updated with what its decision became final as.
    /// Making a decision final changes only its denial: the policies' decision a result
    /// holds is the one its evaluation was made with.
    private static func apply(_ finals: [TaskFinal], to answer: inout AuthZENEvaluator.Answer) {
        // Read in place: `finals[place]` of the array copies the denial.
        finals.withUnsafeBufferPointer { finals in
            for index in answer.results.indices {
                guard let place = answer.results[index].taskEvaluation, finals.indices.contains(place) else { continue }
                answer.results[index].denial = finals[place].denial
            }
        }
    }
}
