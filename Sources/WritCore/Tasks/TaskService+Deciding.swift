import Cedar
import Foundation
import Synchronization

extension TaskService {
    /// Decides `request` inside task `taskID`: allowed only when
    /// - the task is held, is the principal's (a `Writ::Agent`), and it and every task
    ///   it was delegated from are open and unexpired;
    /// - with `context.task` and `context.system` built by Writ (the caller's are
    ///   dropped), the request is valid under the schema;
    /// - the organisation's policies allow it, and so do the mandate of the task and
    ///   of every task above it (each seeing `context.task` of its own task);
    /// - no budget of the task or of a task above it is used up — and then the
    ///   decision is charged to the counters of all of them, atomically with the check,
    ///   and the task gains the labels the inventory gives what it reads
    ///   (`learnedLabels(of:entities:engine:input:)`);
    /// - and those counters are stored before the allow is returned. A store failure
    ///   is a deny.
    ///
    /// When only approvable forbids deny, this is `approval_required` without an
    /// approval: approvals are asked for and granted on the AuthZEN path
    /// (`DecisionService.authzen(_:body:taskCredential:tasks:approvals:)`).
    ///
    /// Every denial names its reason (`TaskDenial.Reason`). Spend ceilings read the
    /// `Long` at `context.input.<argument>` of `request`.
    public func decide(taskID: String, request: Request, requestEntities: [Entity] = []) async -> TaskDecision {
        let evaluation: TaskEvaluation
        do {
            let engine = try decisions.engine()
            evaluation = evaluate(
                taskID: taskID, request: request, requestEntities: requestEntities, engine: engine, reserve: true)
        } catch {
            evaluation = TaskEvaluation(TaskDenial(.notReady, error.message, taskID: taskID), taskID: taskID)
        }
        return await commit([evaluation])[0]
    }

    // MARK: - The steps

    /// Evaluates a decision with `engine`. With `reserve`, an allow's counters are
    /// reserved (added in memory, to be stored by `commit`); without, nothing changes
    /// and budgets are only checked.
    ///
    /// When only approvable forbids of the organisation deny, and everything else would
    /// allow (mandates, budgets), the decision is denied `approval_required` — unless
    /// `approved` says a person approved this exact request, when it is allowed.
    func evaluate(
        taskID: String, request: Request, requestEntities: [Entity], engine: PolicyEngine, reserve: Bool,
        approved: Bool = false
    ) -> TaskEvaluation {
        let now = now()
        guard request.principal.type == BaseSchema.agentType else {
            return TaskEvaluation(Self.notAnAgent(request.principal, taskID: taskID), taskID: taskID)
        }
        let agent = request.principal.id
        let snapshot: [TaskEntry]
        switch registry.withLock({ $0.chain(of: taskID, agent: agent, now: now) }) {
        case .success(let chain): snapshot = chain
        case .failure(let denial): return TaskEvaluation(denial, taskID: taskID)
        }
        let entities = engine.entities(layering: requestEntities)
        if let denial = engine.inventoryDenial(request, entities: entities) {
            return TaskEvaluation(TaskDenial(denial.reason, denial.message, taskID: taskID), taskID: taskID)
        }
        let usage: TaskCounters
        switch Self.usage(of: request, in: snapshot, engine: engine) {
        case .success(let counted): usage = counted
        case .failure(let denial): return TaskEvaluation(denial, taskID: taskID)
        }
        let learned: Set<String>
        switch Self.learnedLabels(of: request, entities: entities, engine: engine, input: TaskInput(configuration: configuration)) {
        case .success(let labels): learned = labels
        case .failure(let denial): return TaskEvaluation(TaskDenial(denial.reason, denial.message, taskID: taskID), taskID: taskID)
        }
        let verdict = judge(request, in: snapshot, entities: entities, engine: engine, now: now, approved: approved)
        if verdict.denial?.reason == .approvalRequired,
            let exhausted = Self.exhausted(snapshot, adding: usage, action: request.action.id)
        {
            // A person's approval would not lift a budget: no ask.
            return TaskEvaluation(exhausted, taskID: taskID, policies: verdict.policies)
        }
        guard verdict.denial == nil, reserve else {
            return TaskEvaluation(decision: verdict, reservation: nil)
        }
        return registry.withLock { registry -> TaskEvaluation in
            var chain = snapshot
            var decision = verdict
            if !registry.isCurrent(snapshot) {
                // Another decision changed the counters this one's policies saw: decide
                // again with the current ones, here, so none is missed.
                switch registry.chain(of: taskID, agent: agent, now: now) {
                case .success(let current): chain = current
                case .failure(let denial): return TaskEvaluation(denial, taskID: taskID, policies: verdict.policies)
                }
                decision = judge(request, in: chain, entities: entities, engine: engine, now: now, approved: approved)
                guard decision.denial == nil else { return TaskEvaluation(decision: decision, reservation: nil) }
            }
            return self.reserve(decision, action: request.action.id, usage: usage, learned: learned, in: chain, registry: &registry)
        }
    }

    /// Charges the allow `decision` of `action`, made against `chain` as `registry`
    /// holds it now, to the counters of every task in `chain`, and gives the task the
    /// labels it `learned` — unless a budget is used up, the task would carry too many
    /// labels or a counter would overflow, each a denial. Called with the lock held.
    func reserve(
        _ decision: consuming TaskDecision, action: String, usage: TaskCounters, learned: Set<String>, in chain: [TaskEntry],
        ids chainIDs: [String]? = nil, registry: inout TaskRegistry
    ) -> TaskEvaluation {
        let taskID = chain[0].record.id
        if let exhausted = Self.exhausted(chain, adding: usage, action: action) {
            return TaskEvaluation(exhausted, taskID: taskID, policies: decision.policies)
        }
        let held = chain[0].record.labels
        let carried = learned.isSubset(of: held) ? held.count : held.union(learned).count
        // Only new labels count against the limit: a task past it (labels flow up
        // unrefused) still decides as long as it gains none.
        guard carried == held.count || carried <= configuration.maxTaskLabels else {
            return TaskEvaluation(
                TaskDenial(
                    .labelsRefused,
                    "task `\(taskID)` would carry \(carried) labels; a task carries at most \(configuration.maxTaskLabels)",
                    taskID: taskID),
                taskID: taskID, policies: decision.policies)
        }
        let ids = chainIDs ?? chain.map(\.record.id)
        // Labels are kept even if the allow is not stored in the end: an extra label
        // only ever denies more.
        guard registry.add(usage, to: ids, labels: learned) else {
            return TaskEvaluation(
                TaskDenial(.decisionsExhausted, "the counters of task `\(taskID)` would overflow", taskID: taskID),
                taskID: taskID, policies: decision.policies)
        }
        return TaskEvaluation(decision: decision, reservation: TaskReservation(usage: usage, taskIDs: ids, labels: learned))
    }

    /// The denial of a decision whose principal is not an agent.
    static func notAnAgent(_ principal: EntityUID, taskID: String) -> TaskDenial {
        TaskDenial(.noTask, "`\(principal)` is not a `Writ::Agent`; only agents act in tasks", taskID: taskID)
    }

    /// Makes every decision of `evaluations` final under the lock (`settle`), then
    /// stores the counters of the allows in one store transaction before returning:
    /// an allow stays an allow only when its tasks were open and unexpired when it was
    /// made final and its counters were then stored. Each decision takes the next
    /// sequence number.
    ///
    /// Final first, stored after — the order of the audited path — so that a close
    /// cannot fall between the two: an allow made final before the close completes is
    /// numbered before it and, its counters refused by the store that the close
    /// reached first, becomes a denial; a decision made final after it is a denial
    /// whose counters are never stored. The store's counters are those of the allows
    /// answered, no more.
    func commit(_ evaluations: [TaskEvaluation]) async -> [TaskDecision] {
        let finals = await commitFinals(evaluations)
        return evaluations.indices.map { index in
            var decision = evaluations[index].decision
            decision.denial = finals[index].denial
            decision.sequence = finals[index].sequence
            return decision
        }
    }

    /// `commit`, answering only what each decision became final as (the rest of it is
    /// its evaluation's): a filter's thousand decisions are not copied.
    func commitFinals(_ evaluations: [TaskEvaluation]) async -> [TaskFinal] {
        let settled = settle(evaluations)
        guard !settled.increments.isEmpty else { return settled.finals }
        let failure: TaskDenial
        do {
            // Off the cooperative pool when the write holds its thread through an fsync.
            let store = self.store
            let increments = settled.increments
            if try await AuditWriterExecutor.offThePool(when: store.writesWait, { () async throws(WritError) in
                try await store.addTaskCounters(increments)
            }) {
                return settled.finals
            }
            failure = await refusedByStore(increments)
        } catch {
            failure = Self.unstored(error)
        }
        return unsettle(evaluations, settled.finals, failure: failure)
    }

    /// `commit` for a caller that stores the counters itself, in a write of its own
    /// (the audit log's, with the decisions' records): every decision made final
    /// under the lock as if its counters were stored, and the increments to store —
    /// those of the decisions that stayed allows. When they cannot be stored,
    /// `unsettle` makes the allows denials.
    func settle(_ evaluations: [TaskEvaluation]) -> (finals: [TaskFinal], increments: [TaskCounterIncrement]) {
        let finals = finalize(evaluations)
        return (finals, Self.increments(of: evaluations, allowed: finals))
    }

    /// After `settle`, when its increments were not stored: every reservation taken
    /// back and each allow denied with `failure` (a decision already denied keeps its
    /// reason).
    func unsettle(_ evaluations: [TaskEvaluation], _ finals: [TaskFinal], failure: TaskDenial) -> [TaskFinal] {
        registry.withLock { registry in
            evaluations.withUnsafeBufferPointer { evaluations in
                evaluations.indices.map { index in
                    var final = finals[index]
                    guard let reservation = evaluations[index].reservation else { return final }
                    registry.subtract(reservation.usage, from: reservation.taskIDs)
                    guard final.denial == nil else { return final }
                    final.denial = TaskDenial(failure.reason, failure.message, taskID: evaluations[index].decision.taskID)
                    return final
                }
            }
        }
    }

    /// The denial of allows whose counters the store refused, because it holds one of
    /// their tasks as closed; this service takes the closes on.
    func refusedByStore(_ increments: [TaskCounterIncrement]) async -> TaskDenial {
        await adoptClosures(increments.map(\.taskID))
        return TaskDenial(.taskClosed, "the store holds the task, or one it was delegated from, as closed")
    }

    /// The denial of allows whose counters could not be stored.
    static func unstored(_ error: WritError) -> TaskDenial {
        TaskDenial(.storeUnavailable, "the decision could not be recorded in the task's counters: \(error.message)")
    }

    /// Makes every decision of `evaluations` final under the lock: an allow stays one
    /// only while its tasks are open and unexpired (its reservation, kept in a task no
    /// longer deciding, changes nothing). Each decision takes the next sequence number.
    private func finalize(_ evaluations: [TaskEvaluation]) -> [TaskFinal] {
        let now = now()
        return registry.withLock { registry in
            // Whether each task is still open does not change under the lock: one look-up
            // per task, however many of its allows there are (a filter's).
            var checked: (taskID: String, denial: TaskDenial?)?
            var finals: [TaskFinal] = []
            finals.reserveCapacity(evaluations.count)
            // Read in place: iterating the array copies each evaluation whole.
            evaluations.withUnsafeBufferPointer { evaluations in
                for index in evaluations.indices {
                    var denial = evaluations[index].decision.denial
                    if evaluations[index].reservation != nil {
                        let taskID = evaluations[index].decision.taskID
                        if checked.map({ !$0.taskID.scalarsEqual(taskID) }) ?? true {
                            var closed: TaskDenial?
                            if case .failure(let found) = registry.chain(of: taskID, agent: nil, now: now) {
                                closed = found
                            }
                            checked = (taskID, closed)
                        }
                        if let closed = checked?.denial { denial = closed }
                    }
                    finals.append(TaskFinal(denial: denial, sequence: registry.stamp()))
                }
            }
            return finals
        }
    }

    /// The store increments for the reservations of `evaluations` whose final
    /// decision (`finals`, in the same order) is an allow: one per task, the usage
    /// of all its allows summed (as the store would sum them), with the labels each
    /// allow gives its first task.
    private static func increments(
        of evaluations: [TaskEvaluation], allowed finals: [TaskFinal]
    ) -> [TaskCounterIncrement] {
        var increments: [TaskCounterIncrement] = []
        var places: [ScalarKey: Int] = [:]
        // The task of the allow before, and its place: a filter's allows are all of one.
        var last: (id: String, place: Int)?
        func place(of id: String) -> Int? {
            if let last, last.id.scalarsEqual(id) { return last.place }
            return places[ScalarKey(id)]
        }
        // Read in place: `evaluations[index]` of the array copies the evaluation whole.
        evaluations.withUnsafeBufferPointer { evaluations in
            for index in evaluations.indices where finals[index].denial == nil {
                guard let reservation = evaluations[index].reservation else { continue }
                for (position, id) in reservation.taskIDs.enumerated() {
                    let labels = position == 0 ? reservation.labels : []
                    if let place = place(of: id), increments[place].counters.add(reservation.usage) {
                        last = (id, place)
                        if !labels.isEmpty { increments[place].labels.formUnion(labels) }
                    } else {
                        // A sum that would overflow goes on its own, for the store to refuse.
                        places[ScalarKey(id)] = increments.count
                        last = (id, increments.count)
                        increments.append(TaskCounterIncrement(taskID: id, counters: reservation.usage, labels: labels))
                    }
                }
            }
        }
        return increments
    }

    /// Takes back the reservations of evaluations that will not be committed.
    func release(_ evaluations: [TaskEvaluation]) {
        registry.withLock { registry in
            for reservation in evaluations.compactMap(\.reservation) {
                registry.subtract(reservation.usage, from: reservation.taskIDs)
            }
        }
    }

    /// The organisation's policies, then each mandate from the task up: the first
    /// that does not allow denies. Organisation policies that deny only by approvable
    /// forbids allow when `approved`, and otherwise deny `approval_required` — after
    /// the mandates, which a person cannot lift.
    private func judge(
        _ request: Request, in chain: [TaskEntry], entities: Entities, engine: PolicyEngine, now: Date, approved: Bool
    ) -> TaskDecision {
        // Each task's history entity, over whatever the store or the caller sent.
        let entities = entities.layering(chain.map { TaskContext.history(of: $0.record) })
        return judge(
            request, in: chain, entities: entities, engine: engine, approved: approved,
            context: { index in
                TaskContext.context(
                    request.context, task: Self.shown(chain, index), action: request.action, now: now, schema: engine.schema)
            },
            validate: { asked in
                do throws(RequestValidationError) {
                    try engine.requestValidator?.validate(asked)
                    return nil
                } catch {
                    return error.message
                }
            })
    }

    /// `judge(_:in:entities:engine:now:approved:)` with its parts given: `entities`
    /// already hold the tasks' history entities, `context(i)` is the request's context
    /// as the policies of `chain[i]` see it, and `validate` says why a request is not
    /// valid under the schema (nil when it is). With `narrowed`, the organisation's
    /// policies and the mandates are those sets narrowed to the request's principal and
    /// action (`CompiledPolicySet.narrowed`), which decide it as the whole sets would.
    func judge(
        _ request: Request, in chain: [TaskEntry], entities: Entities, engine: PolicyEngine, approved: Bool,
        context: (Int) -> Record, validate: (Request) -> String?, narrowed: ChainPolicies? = nil
    ) -> TaskDecision {
        var asked = request
        asked.context = context(0)
        return judge(
            asking: &asked, in: chain, entities: entities, engine: engine, approved: approved, context: context,
            validate: validate, narrowed: narrowed)
    }

    /// `judge(_:in:entities:engine:approved:context:validate:narrowed:)` of `asked`,
    /// whose context is already `context(0)`: the caller deciding many requests keeps
    /// one and changes only its resource (a copy of a request retains some seven
    /// references). `asked` is as it was when this returns.
    func judge(
        asking asked: inout Request, in chain: [TaskEntry], entities: Entities, engine: PolicyEngine, approved: Bool,
        context: (Int) -> Record, validate: (Request) -> String?, narrowed: ChainPolicies? = nil
    ) -> TaskDecision {
        let leafID = chain[0].record.id
        if let problem = validate(asked) {
            return TaskDecision(taskID: leafID, denial: TaskDenial(.invalidRequest, problem, taskID: leafID), policies: nil)
        }
        // Each set is read where it is (a `CompiledPolicySet` copied costs a dozen retains).
        var policies: WritDecision
        if let narrowed {
            policies = engine.decide(asked, entities: entities, policies: narrowed.organisation)
        } else {
            policies = engine.decide(asked, entities: entities, policies: engine.compiled)
        }
        guard policies.allowed || policies.approval != nil else {
            return TaskDecision(
                taskID: leafID, denial: TaskDenial(.policyDenied, "the organisation's policies do not allow the request", taskID: leafID),
                policies: policies)
        }
        let leafContext = asked.context
        // Each task above the first sees its own context; the first's is put back after.
        defer { if chain.count > 1 { asked.context = leafContext } }
        for index in chain.indices {
            if index > 0 { asked.context = context(index) }
            let allowed: Bool
            if let narrowed {
                allowed = narrowed.allows(asked, entities: entities, engine: engine, mandate: index)
            } else {
                allowed = chain[index].mandate.map { engine.allows(asked, entities: entities, policies: $0) } ?? false
            }
            guard allowed else {
                let id = chain[index].record.id
                return TaskDecision(
                    taskID: leafID,
                    denial: TaskDenial(.mandateDenied, "the mandate of task `\(id)` does not allow the request", taskID: id),
                    policies: policies)
            }
        }
        if !policies.allowed {
            guard approved else {
                return TaskDecision(
                    taskID: leafID,
                    denial: TaskDenial(.approvalRequired, "a person must approve this exact request", taskID: leafID),
                    policies: policies)
            }
            policies = policies.approved()
        }
        return TaskDecision(taskID: leafID, denial: nil, policies: policies)
    }

    /// Task `chain[index]` as its policies see it: with the labels of every task above it.
    static func shown(_ chain: [TaskEntry], _ index: Int) -> TaskRecord {
        var record = chain[index].record
        record.labels = inheritedLabels(chain[index...])
        return record
    }

    /// What an allow of `request` adds to the counters of each task in `chain`.
    static func usage(of request: Request, in chain: [TaskEntry], engine: PolicyEngine) -> Result<TaskCounters, TaskDenial> {
        let action = request.action.id
        let call = engine.entities.isDescendant(request.action, of: BaseSchema.callAction)
        var usage = TaskCounters(decisions: 1, calls: call ? 1 : 0, actions: [action: 1])
        guard let ceiling = chain.lazy.compactMap({ $0.record.budgets.spend[action] }).first else { return .success(usage) }
        guard case .record(let input)? = request.context["input"], case .long(let amount)? = input[ceiling.argument],
            amount >= 0
        else {
            let id = chain[0].record.id
            return .failure(TaskDenial(
                .invalidSpendArgument,
                "`\(action)` has a spend ceiling on `context.input.\(ceiling.argument)`, which must be a Long of 0 or more",
                taskID: id))
        }
        if amount > 0 { usage.spend[action] = amount }
        return .success(usage)
    }

    /// The first budget in `chain`, from the task up, that `usage` would exceed.
    static func exhausted(_ chain: [TaskEntry], adding usage: TaskCounters, action: String) -> TaskDenial? {
        // Read in place: a task's record copied costs a dozen retains, and this runs
        // after every allow of a filter.
        for place in chain.indices where !chain[place].record.budgets.isEmpty {
            if let denial = exhausted(chain[place].record, adding: usage, action: action) { return denial }
        }
        return nil
    }

    /// The budget of `task` that `usage` would exceed, if any.
    private static func exhausted(_ task: TaskRecord, adding usage: TaskCounters, action: String) -> TaskDenial? {
        let used = task.counters
        if let max = task.budgets.maxDecisions, used.decisions >= max {
            return TaskDenial(
                .decisionsExhausted, "task `\(task.id)` has used \(used.decisions) of its \(max) decisions", taskID: task.id)
        }
        if let max = task.budgets.maxCalls[action], used.actions[action, default: 0] >= max {
            return TaskDenial(
                .callsExhausted(action),
                "task `\(task.id)` has used \(used.actions[action, default: 0]) of its \(max) calls of `\(action)`",
                taskID: task.id)
        }
        if let ceiling = task.budgets.spend[action] {
            let spent = used.spend[action, default: 0]
            let amount = usage.spend[action, default: 0]
            let (total, overflow) = spent.addingReportingOverflow(amount)
            if overflow || total > ceiling.ceiling {
                return TaskDenial(
                    .spendExhausted(action),
                    "task `\(task.id)` has spent \(spent) of its \(ceiling.ceiling) `\(ceiling.argument)` on `\(action)`; "
                        + "\(amount) more would exceed it",
                    taskID: task.id)
            }
        }
        return nil
    }
}

/// The organisation's policies and the mandate of each task in a chain (nil for a
/// closed task), narrowed to the principal and action of the requests they decide.
/// A class: it is handed to every candidate's decision, and the sets it holds are
/// large (a copy of the struct retained some thirty references).
final class ChainPolicies {
    let organisation: CompiledPolicySet
    let mandates: [CompiledPolicySet?]
    /// For each mandate: whether, narrowed, it allows every request with the principal
    /// and action without evaluating (`Authorizer.allowsWithoutEvaluating`).
    private let allowsAll: [Bool]
    /// Whether a policy of these may read `context.task` or tags
    /// (`CompiledPolicySet.readsTask`): when none may, their decisions do not depend on
    /// the task's counters, labels or history.
    let readTask: Bool

    /// `engine`'s policies and the mandates of `chain`, narrowed to `principal` and
    /// `action` as they stand in `entities`.
    init(_ engine: PolicyEngine, chain: [TaskEntry], principal: EntityUID, action: EntityUID, entities: Entities) {
        let organisation = engine.compiled.narrowed(principal: principal, action: action, in: entities)
        let mandates = chain.map { $0.mandate?.narrowed(principal: principal, action: action, in: entities) }
        // The resource plays no part in whether a narrowed set allows without evaluating.
        let sample = Request(principal: principal, action: action, resource: principal)
        allowsAll = mandates.map { $0?.authorizer.allowsWithoutEvaluating(sample) ?? false }
        readTask = organisation.readsTask || mandates.contains { $0?.readsTask ?? false }
        self.organisation = organisation
        self.mandates = mandates
    }

    /// Whether mandate `index` allows `request` (whose principal and action are those
    /// these are narrowed to): `PolicyEngine.allows`, skipped when it allows them all.
    func allows(_ request: Request, entities: Entities, engine: PolicyEngine, mandate index: Int) -> Bool {
        if allowsAll[index] { return true }
        guard let mandate = mandates[index] else { return false }
        return engine.allows(request, entities: entities, policies: mandate)
    }
}

/// A decision evaluated and, when it is an allow being recorded, its reservation.
struct TaskEvaluation: Sendable {
    var decision: TaskDecision
    var reservation: TaskReservation?

    init(decision: TaskDecision, reservation: TaskReservation?) {
        self.decision = decision
        self.reservation = reservation
    }

    /// A denial, nothing reserved.
    init(_ denial: TaskDenial, taskID: String, policies: WritDecision? = nil) {
        self.init(decision: TaskDecision(taskID: taskID, denial: denial, policies: policies), reservation: nil)
    }
}

/// Counters added in memory to a chain of tasks, and labels to its first task, for an
/// allow not yet stored.
struct TaskReservation: Sendable {
    var usage: TaskCounters
    var taskIDs: [String]
    var labels: Set<String> = []
}

/// What a decision became when it was made final (`TaskService.settle`): its denial,
/// nil for an allow, and its sequence number (`TaskDecision.sequence`). The rest of the
/// decision is its evaluation's.
struct TaskFinal: Sendable {
    var denial: TaskDenial?
    var sequence: UInt64
}
