import Cedar
import Synchronization

/// The task side of one AuthZEN request: decisions about agents (principals of type
/// `Writ::Agent`) are made inside the task their credential names, by the task
/// service, and need no standing permission.
///
/// The credential comes from the request's `context.task_token` (the COAZ
/// convention; an item's own context first, in a batch), else from the transport
/// (`credential`, a header the HTTP layer reads). It must verify, and name the
/// subject as its agent; otherwise the decision is a deny with reason `no_task`. Each
/// distinct credential is verified once per request.
///
/// Decisions of evaluations reserve their budgets; `evaluations` lists them for the
/// task service to commit before the response is rendered. Searches only check.
final class AuthZENTasks: Sendable {
    /// The AuthZEN context member that carries a task credential.
    static let tokenMember = "task_token"

    let service: TaskService?
    let credential: String?
    let reserving: Bool
    /// The approvals that grant now, by digest (`ApprovalService.grants()`).
    let grants: [String: ApprovalRecord]
    private let state = Mutex(State())

    private struct State {
        /// Verified credentials, by their exact bytes.
        var identities: [[UInt8]: Result<TaskCredentialIdentity, TaskDenial>] = [:]
        var evaluations: [TaskEvaluation] = []
        /// Tasks named by verified credentials that the service did not hold.
        var misses: [String] = []
    }

    /// - Parameters:
    ///   - service: decides inside tasks; without one every request about an agent is
    ///     denied (`no_task`).
    ///   - credential: the task credential the transport carried, if any.
    ///   - reserving: whether allows reserve budget (evaluations) or only check (searches).
    ///   - grants: approvals that grant now, by digest.
    init(service: TaskService?, credential: String?, reserving: Bool, grants: [String: ApprovalRecord] = [:]) {
        self.service = service
        self.credential = credential
        self.reserving = reserving
        self.grants = grants
    }

    /// The approval that grants `request` in task `taskID`, if any.
    func grant(for request: Request, taskID: String?) -> ApprovalRecord? {
        grants.isEmpty ? nil : grants[ApprovalDigest.of(request, taskID: taskID)]
    }

    /// Every decision made through this request's tasks, in order.
    var evaluations: [TaskEvaluation] { state.withLock { $0.evaluations } }

    /// The tasks named by credentials that verified, whose decisions were denied
    /// `no_task`: the service may not hold them yet (another process opened them).
    var misses: [String] { state.withLock { $0.misses } }

    /// Decides a request about an agent inside its task.
    func decide(_ prepared: AuthZENEvaluator.Prepared, engine: PolicyEngine) -> AuthZENEvaluator.Result {
        let service: TaskService
        let identity: TaskCredentialIdentity
        switch task(of: prepared) {
        case .success(let found):
            service = found.service
            identity = found.identity
        case .failure(let denial): return denied(denial)
        }
        let grant = grant(for: prepared.request, taskID: identity.taskID)
        let evaluation = service.evaluate(
            taskID: identity.taskID, request: prepared.request, requestEntities: prepared.entities, engine: engine,
            reserve: reserving, approved: grant != nil)
        let place = record([evaluation], taskID: identity.taskID)
        return result(evaluation, at: place, of: prepared, taskID: identity.taskID, grant: grant)
    }

    /// Decides requests about one agent that differ only in their resources (a
    /// filter's candidates, or an evaluations batch's items), in order, as
    /// `decide(_:engine:)` decides each — with one pass through the task service
    /// (`TaskService.evaluate(taskID:candidates:…)`). Deciding ends after the first result
    /// `semantic` stops after, which is the last returned.
    func decide(
        batch prepared: [AuthZENEvaluator.Prepared], engine: PolicyEngine,
        semantic: AuthZENEvaluator.Semantic = .executeAll
    ) -> [AuthZENEvaluator.Result] {
        guard let first = prepared.first else { return [] }
        let service: TaskService
        let identity: TaskCredentialIdentity
        switch task(of: first) {
        case .success(let found):
            service = found.service
            identity = found.identity
        case .failure(let denial):
            let result = denied(denial)
            return Array(repeating: result, count: semantic.stops(after: result) ? 1 : prepared.count)
        }
        let granted = grants.isEmpty ? [] : prepared.map { grant(for: $0.request, taskID: identity.taskID) }
        let evaluations = prepared.withUnsafeBufferPointer { prepared in
            service.evaluate(
                taskID: identity.taskID, candidates: PreparedCandidates(prepared: prepared), engine: engine,
                reserve: reserving, approved: { granted.isEmpty ? false : granted[$0] != nil },
                stops: { semantic.stops(allowed: $0.decision.denial == nil && ($0.decision.policies?.allowed ?? false)) })
        }
        let start = record(evaluations, taskID: identity.taskID)
        // `result(_:at:of:taskID:grant:)` of each, from the fields read in place: an
        // element read through an array's subscript, or handed to a function, is copied whole.
        return evaluations.withUnsafeBufferPointer { evaluations in
            prepared.withUnsafeBufferPointer { prepared in
                var results: [AuthZENEvaluator.Result] = []
                results.reserveCapacity(evaluations.count)
                for index in evaluations.indices {
                    // Made in the array and changed there: a result made aside was copied
                    // into it whole, and the original destroyed.
                    results.append(AuthZENEvaluator.Result(
                        decision: evaluations[index].decision.policies, invalidReason: nil,
                        denial: evaluations[index].decision.denial, taskEvaluation: start.map { $0 + index }))
                    results[index].taskID = identity.taskID
                    if let need = evaluations[index].decision.policies?.approval {
                        results[index].ask = ApprovalAsk(prepared[index].request, taskID: identity.taskID, need: need)
                        if evaluations[index].decision.denial == nil, !granted.isEmpty { results[index].grant = granted[index] }
                    }
                }
                return results
            }
        }
    }

    /// The service and the verified task of a request about an agent, or why it has none.
    private func task(
        of prepared: AuthZENEvaluator.Prepared
    ) -> Result<(service: TaskService, identity: TaskCredentialIdentity), TaskDenial> {
        let agent = prepared.request.principal.id
        guard let service else {
            return .failure(TaskDenial(.noTask, "this endpoint decides no requests about agents: it has no task service"))
        }
        guard let token = prepared.taskToken ?? credential else {
            return .failure(TaskDenial(
                .noTask, "agent `\(agent)` has no task: send its task credential in `context.\(Self.tokenMember)`"))
        }
        switch identify(token, with: service) {
        case .success(let identity):
            guard identity.agent.scalarsEqual(agent) else {
                return .failure(TaskDenial(
                    .noTask, "the task credential is agent `\(identity.agent)`'s, not `\(agent)`'s", taskID: identity.taskID))
            }
            return .success((service: service, identity: identity))
        case .failure(let denial):
            return .failure(denial)
        }
    }

    /// Keeps `evaluations` (when reserving) and notes a task the service did not hold;
    /// returns the place of the first in `evaluations`, when kept.
    private func record(_ evaluations: [TaskEvaluation], taskID: String) -> Int? {
        let missed = evaluations.contains { $0.decision.denial?.reason == .noTask }
        guard reserving || missed else { return nil }
        return state.withLock { s in
            if missed, !s.misses.contains(taskID) { s.misses.append(taskID) }
            guard reserving else { return nil }
            // The first batch is kept as it is, not copied element by element.
            if s.evaluations.isEmpty { s.evaluations = evaluations } else { s.evaluations.append(contentsOf: evaluations) }
            return s.evaluations.count - evaluations.count
        }
    }

    /// The result of `evaluation`, kept at `place` of `evaluations`.
    private func result(
        _ evaluation: TaskEvaluation, at place: Int?, of prepared: AuthZENEvaluator.Prepared, taskID: String,
        grant: ApprovalRecord?
    ) -> AuthZENEvaluator.Result {
        var result = AuthZENEvaluator.Result(
            decision: evaluation.decision.policies, invalidReason: nil, denial: evaluation.decision.denial,
            taskEvaluation: place)
        result.taskID = taskID
        if let need = evaluation.decision.policies?.approval {
            result.ask = ApprovalAsk(prepared.request, taskID: taskID, need: need)
            if evaluation.decision.allowed { result.grant = grant }
        }
        return result
    }

    /// Takes back every reservation made, for a request that fails before it commits.
    func release() {
        service?.release(evaluations)
    }

    private func identify(_ token: String, with service: TaskService) -> Result<TaskCredentialIdentity, TaskDenial> {
        let key = Array(token.utf8)
        if let known = state.withLock({ $0.identities[key] }) { return known }
        let identity = service.identify(credential: token)
        state.withLock { $0.identities[key] = identity }
        return identity
    }

    private func denied(_ denial: TaskDenial) -> AuthZENEvaluator.Result {
        AuthZENEvaluator.Result(decision: nil, invalidReason: nil, denial: denial, taskEvaluation: nil)
    }
}

/// A batch's prepared requests as the candidates `TaskService.evaluate(taskID:candidates:…)`
/// decides, read in place.
private struct PreparedCandidates: TaskCandidates {
    let prepared: UnsafeBufferPointer<AuthZENEvaluator.Prepared>
    var count: Int { prepared.count }
    var first: Request? { prepared.first?.request }
    func resource(_ index: Int) -> EntityUID { prepared[index].request.resource }
    func entities(_ index: Int) -> [Entity] { prepared[index].entities }
}
