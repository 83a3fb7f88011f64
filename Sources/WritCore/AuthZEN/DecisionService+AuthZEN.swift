import Cedar
import Foundation

extension DecisionService {
    /// Answers one OpenID AuthZEN 1.0 request: `body` is the JSON request, the result
    /// the JSON response and the decisions it carries. docs/AUTHZEN.md describes the
    /// mapping onto Cedar and every response member.
    ///
    /// The body is read strictly, within `configuration.limits`: a duplicate key is
    /// `.duplicateKey`, nesting past the limit `.tooDeep`, a body that is not a JSON
    /// object `.wrongType`, a missing required member `.missingField` and a member of
    /// the wrong type `.wrongType` — each naming the member's path
    /// (`evaluations[3].resource.type`). Unknown members are ignored and `context` is
    /// optional. A denial is a response, not an error: an action or entity type the
    /// schema does not declare gives `"decision": false` with the reason in `context`.
    ///
    /// Without a task service, every request about an agent (a `Writ::Agent`
    /// subject) is denied with reason `no_task`; see
    /// `authzen(_:body:taskCredential:tasks:)`.
    ///
    /// - Throws: `.notReady` when no policy set is loaded, or a request error (HTTP
    ///   400, 413 for `.tooLarge`).
    public func authzen(_ operation: AuthZENOperation, body: [UInt8]) throws(WritError) -> AuthZENOutcome {
        let (evaluator, request) = try authzenEvaluator(body, tasks: AuthZENTasks(service: nil, credential: nil, reserving: false))
        switch operation {
        case .evaluation:
            return evaluator.render(try evaluator.evaluation(request))
        case .evaluations:
            return evaluator.render(try evaluator.evaluations(request, maxItems: configuration.limits.maxBatchItems))
        case .subjectSearch, .resourceSearch, .actionSearch:
            return try search(operation, request, evaluator, audit: nil)
        }
    }

    /// Answers one AuthZEN request as `authzen(_:body:)` does, deciding requests about
    /// agents inside their tasks with `tasks` (docs/TASKS.md): a `Writ::Agent`
    /// subject needs a task credential — in the request's `context.task_token`, or
    /// `taskCredential` from the transport — that verifies and names the subject as its
    /// agent, else the decision is `{"decision": false, "context": {"reason": "no_task",
    /// …}}`. `task_token` never reaches Cedar, and Writ builds `context.task`.
    ///
    /// The allows of an evaluation or batch are charged to their tasks' budgets and
    /// stored (one store write per request) before the response is made; an allow that
    /// cannot be stored, or whose task closed meanwhile, is answered as a deny.
    /// Searches check tasks and budgets without charging them.
    ///
    /// A credential that verifies but names a task `tasks` does not hold (another
    /// process sharing the store opened it) makes the service read that task from the
    /// store, and the request is decided again; see `TaskService.hold(fromStore:)`.
    ///
    /// With `approvals`, a request only approvable forbids deny is answered
    /// `approval_required` with the approval a person must decide, and one a person
    /// approved is allowed (a single-use approval consumed first); docs/APPROVALS.md.
    ///
    /// With `audit`, each decision answered gets an id (`decision_id` in its
    /// response context) and an audit event in the outcome's `events`; a search makes
    /// one `search` event naming what it answered (docs/AUDIT-EVENTS.md). With
    /// `audit.log` the events are recorded there before this returns — with the allows'
    /// counters in the same write when the log appends to the tasks' store — and a
    /// failure to record throws `.auditUnavailable`; without it, the caller must record
    /// them before it sends the response.
    public func authzen(
        _ operation: AuthZENOperation, body: [UInt8], taskCredential: String?, tasks: TaskService?,
        approvals: ApprovalService? = nil, audit: DecisionAudit? = nil
    ) async throws(WritError) -> AuthZENOutcome {
        switch operation {
        case .evaluation, .evaluations:
            let maxItems = configuration.limits.maxBatchItems
            let decided = try await decided(body, taskCredential: taskCredential, tasks: tasks, approvals: approvals) {
                evaluator, request throws(WritError) in
                operation == .evaluation
                    ? try evaluator.evaluation(request)
                    : try evaluator.evaluations(request, maxItems: maxItems, naming: audit != nil)
            }
            let evaluator = decided.evaluator
            return try await answered(
                consume decided, operation: operation.rawValue, tasks: tasks, approvals: approvals, audit: audit
            ) { evaluator.render($0) }
        case .subjectSearch, .resourceSearch, .actionSearch:
            let outcome = try await passes(body, taskCredential: taskCredential, tasks: tasks, reserving: false, grants: [:]) {
                evaluator, request throws(WritError) in try search(operation, request, evaluator, audit: audit)
            }.result
            try await audit?.log?.recordBeforeAnswering(outcome.events)
            return outcome
        }
    }

    /// Decides what `run` reads from the request, inside tasks: the allows reserved and
    /// approvals used (a single-use one consumed). `answered` makes the decisions final.
    func decided(
        _ body: [UInt8], taskCredential: String?, tasks: TaskService?, approvals: ApprovalService? = nil,
        _ run: (AuthZENEvaluator, AuthZENObject) throws(WritError) -> AuthZENEvaluator.Answer
    ) async throws(WritError) -> Decided {
        var (evaluator, first, gate) = try await passes(
            body, taskCredential: taskCredential, tasks: tasks, reserving: true, grants: [:], run)
        // An approval only lifts approvable forbids: the grants are read, and the request
        // decided again with them, only when one of its decisions needs one — not on
        // every decision.
        if first.results.contains(where: { $0.denial?.reason == .approvalRequired }) {
            let grants = await currentGrants(approvals)
            if !grants.isEmpty {
                gate.release()
                (evaluator, first, gate) = try await passes(
                    body, taskCredential: taskCredential, tasks: tasks, reserving: true, grants: grants, run)
            }
        }
        var answer = consume first  // not copied: the first write to its results would copy them all
        var evaluations = gate.evaluations
        if let approvals { await use(approvals, in: &answer, evaluations: &evaluations, tasks: tasks) }
        return Decided(evaluator: evaluator, answer: answer, evaluations: evaluations)
    }

    /// Runs `run` on the request once — or twice, when a credential verified for a
    /// task this service does not hold: another process sharing the store may have
    /// opened it, so it is read (a store failure leaves it unheld, so still a deny)
    /// and the whole request decided again. A failing run takes its reservations back.
    private func passes<T>(
        _ body: [UInt8], taskCredential: String?, tasks: TaskService?, reserving: Bool,
        grants: [String: ApprovalRecord],
        _ run: (AuthZENEvaluator, AuthZENObject) throws(WritError) -> T
    ) async throws(WritError) -> (evaluator: AuthZENEvaluator, result: T, gate: AuthZENTasks) {
        func pass(_ gate: AuthZENTasks) throws(WritError) -> (AuthZENEvaluator, T) {
            let (evaluator, request) = try authzenEvaluator(body, tasks: gate)
            do {
                return (evaluator, try run(evaluator, request))
            } catch {
                gate.release()
                throw error
            }
        }
        var gate = AuthZENTasks(service: tasks, credential: taskCredential, reserving: reserving, grants: grants)
        var (evaluator, result) = try pass(gate)
        if let tasks, !gate.misses.isEmpty {
            gate.release()
            _ = try? await tasks.hold(fromStore: gate.misses)
            gate = AuthZENTasks(service: tasks, credential: taskCredential, reserving: reserving, grants: grants)
            (evaluator, result) = try pass(gate)
        }
        return (evaluator, result, gate)
    }

    private func authzenEvaluator(_ body: [UInt8], tasks: AuthZENTasks) throws(WritError) -> (AuthZENEvaluator, AuthZENObject) {
        let engine = try engine()
        let json: JSON
        do {
            json = try JSON.parse(body, limits: configuration.limits.requestJSON)
        } catch {
            throw WritError.fromJSON(error, what: "request body")
        }
        let request = try AuthZENObject(json, at: .root)
        return (AuthZENEvaluator(engine: engine, mapping: configuration.authzen, tasks: tasks), request)
    }

    /// Answers a search; with `audit`, its outcome carries the search's event.
    private func search(
        _ operation: AuthZENOperation, _ request: AuthZENObject, _ evaluator: AuthZENEvaluator, audit: DecisionAudit?
    ) throws(WritError) -> AuthZENOutcome {
        let engine = evaluator.engine
        let page = try AuthZENPage(
            request, operation: operation, maxPageSize: configuration.limits.maxSearchPageSize,
            policySetVersion: engine.version.version)
        let (pageJSON, results) = page.respond(try evaluator.searchResults(operation, request))
        let response = JSON.object(JSONObject(uniqueMembers: [
            (key: "page", value: pageJSON),
            (key: "context", value: .object(JSONObject(uniqueMembers: AuthZENResponse.versionMembers(engine)))),
            (key: "results", value: .array(results)),
        ]))
        var outcome = AuthZENOutcome(body: response.encodedBytes(), decisions: [])
        if let audit {
            outcome.events = [AuditEvent.search(
                operation: operation.rawValue, request: .object(request.members), results: results, audit: audit,
                configuration: configuration.audit, version: AuthZENResponse.versionMembers(engine), time: Date())]
        }
        return outcome
    }
}
