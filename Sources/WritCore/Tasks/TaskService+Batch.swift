import Cedar
import Foundation
import Synchronization

extension TaskService {
    /// Decides one request for many resources inside task `taskID` — the candidates of
    /// a retrieval filter — exactly as `evaluate(taskID:request:requestEntities:engine:
    /// reserve:approved:)` decides each of them in turn: the same allows, denials,
    /// reasons, redactions, approvals needed and reservations, each candidate seeing
    /// the counters and labels the allows before it left. What the candidates share is
    /// done once:
    /// - the registry's lock is taken once per `batchPart` candidates and held while
    ///   they are decided, each part starting from the chain as it stands (a budget used
    ///   up by the first candidates denies the rest; a task closed between parts denies
    ///   the parts after, and `commit` checks again for tasks closed before the allows
    ///   are stored);
    /// - `context.task` of each task in the chain is built once, and after each allow
    ///   only its counters (and its labels, when they grew) are replaced; the history
    ///   entities are layered once per allow instead of once per candidate;
    /// - the request is validated whole once per resource type (and whether the task
    ///   shows labels yet), every other candidate of that type only for its id: between
    ///   candidates only the values of `context.task` change, never their types;
    /// - the labels a candidate that describes no entities would teach are read straight
    ///   from the inventory.
    ///
    /// One clock reading serves the whole request. The candidates share the first's
    /// principal, action and context, and differ only in their resources and the
    /// entities each describes; `approved(i)` says whether a person approved candidate
    /// `i`. With `stops`, deciding ends after the first evaluation it holds for (an
    /// AuthZEN batch's `evaluations_semantic`): that one is the last returned, and
    /// nothing after it is decided or reserved.
    func evaluate<Candidates: TaskCandidates>(
        taskID: String, candidates: Candidates, engine: PolicyEngine, reserve: Bool,
        approved: (Int) -> Bool, stops: (TaskEvaluation) -> Bool = { _ in false }
    ) -> [TaskEvaluation] {
        guard let first = candidates.first else { return [] }
        guard first.principal.type == BaseSchema.agentType else {
            let denied = TaskEvaluation(Self.notAnAgent(first.principal, taskID: taskID), taskID: taskID)
            return stops(denied) ? [denied] : Array(repeating: denied, count: candidates.count)
        }
        let now = now()
        let action = first.action.id
        var labels = LabelReader(action: first.action, engine: engine, input: TaskInput(configuration: configuration))
        var shapes = RequestShapes(engine)
        // The inventory's answer about the principal is the same for every candidate.
        let principalDenial = engine.inventoryDenial(principal: first.principal)
        // Whether each dataset the candidates are in is registered, asked once.
        var datasets = DatasetRegistrations(engine)
        var view: TaskChainView?
        // The policies narrowed to the principal and action, for the chain of these task
        // ids: narrowed for the first part that needs them, kept while the chain is the same.
        var narrowing: (ids: [String], policies: ChainPolicies)?
        // The request each candidate is judged as: the candidates share all but the
        // resource, and the context is the one the task's policies see.
        var asked = first
        var evaluations: [TaskEvaluation] = []
        evaluations.reserveCapacity(candidates.count)
        var stopped = false
        while evaluations.count < candidates.count, !stopped {
            let part = evaluations.count..<min(evaluations.count + Self.batchPart, candidates.count)
            registry.withLock { registry in
                /// Keeps `evaluation` (moved in, not copied); false once the batch stops after it.
                func keep(_ evaluation: consuming TaskEvaluation) -> Bool {
                    stopped = stops(evaluation)
                    evaluations.append(evaluation)
                    return !stopped
                }
                // The chain as it stands now: other decisions may have charged it between parts.
                var chain: [TaskEntry]
                switch registry.chain(of: taskID, agent: first.principal.id, now: now) {
                case .success(let found): chain = found
                case .failure(let denial):
                    for _ in part where !keep(TaskEvaluation(denial, taskID: taskID)) { break }
                    return
                }
                let usage: TaskCounters
                switch Self.usage(of: first, in: chain, engine: engine) {
                case .success(let counted): usage = counted
                case .failure(let denial):
                    for _ in part where !keep(TaskEvaluation(denial, taskID: taskID)) { break }
                    return
                }
                var seen = view ?? TaskChainView(first, chain: chain, engine: engine, now: now)
                if view != nil { seen.update(to: chain, engine: engine) }
                defer { view = seen }
                let ids = chain.map(\.record.id)
                // The principal's and the action's ancestors are the same for every
                // candidate: the entities a candidate describes have no parents or keep
                // the stored entity's, as do the history entities. Narrowing looks at
                // every policy once: worth it when the part is not much smaller. The
                // tasks' mandates do not change, so the parts after reuse what the first
                // narrowed while the chain holds the same tasks.
                let narrowed: ChainPolicies?
                if let narrowing, narrowing.ids == ids {
                    narrowed = narrowing.policies
                } else if engine.compiled.authorizer.policyCount <= 4 * part.count {
                    let policies = ChainPolicies(
                        engine, chain: chain, principal: first.principal, action: first.action, entities: seen.entities)
                    narrowing = (ids, policies)
                    narrowed = policies
                } else {
                    narrowed = nil
                }
                // When no policy left may read `context.task` or the history's tags, what
                // the policies see of the task is brought up to date only when its labels
                // grow (whether it shows any decides how the request is validated).
                let independent = narrowed?.readTask == false
                // Charging each allow as it is made (the task found in the registry, its
                // counters added, the chain's copy brought up) matters only when something
                // reads the counters before the next candidate: a policy, or a budget. When
                // nothing does, and the part's allows cannot overflow a counter, the allows
                // that teach no new label are counted and charged together (`chargeCounted`).
                let counting = reserve && independent && chain.allSatisfy { $0.record.budgets.isEmpty }
                    && Self.fits(usage, times: part.count, in: chain)
                // The places in `evaluations` of the allows counted and not yet charged.
                var counted: [Int] = []
                /// Charges the allows counted so far to the chain, as one addition.
                func chargeCounted() {
                    guard !counted.isEmpty else { return }
                    defer { counted.removeAll(keepingCapacity: true) }
                    if let sum = usage.times(counted.count), registry.add(sum, to: ids) {
                        for place in chain.indices { registry.refresh(&chain[place]) }
                        return
                    }
                    // `fits` made this unreachable; should it be reached, none of them stands.
                    for place in counted {
                        evaluations[place] = TaskEvaluation(
                            TaskDenial(.decisionsExhausted, "the counters of task `\(taskID)` would overflow", taskID: taskID),
                            taskID: taskID, policies: evaluations[place].decision.policies)
                    }
                }
                /// Decides candidate `index` against `chain` as it stands, reserving an allow.
                func evaluateCandidate(_ index: Int) -> TaskEvaluation {
                    let resource = candidates.resource(index)
                    let described = candidates.entities(index)
                    // The engine's entities with those the candidate describes in place of
                    // stored ones; nil when it describes none (most), so the engine's are read
                    // where they are rather than copied (a copy retains each of their tables).
                    let layered = described.isEmpty ? nil : engine.entities.layering(described)
                    // The resource in the inventory, found once for its registration and its labels.
                    let stored = engine.entities.attributesAndParents(of: resource)
                    if let denial = principalDenial ?? engine.inventoryDenial(
                        resource: resource, described: layered, storedParents: stored?.parents,
                        registered: { datasets.registered($0) })
                    {
                        return TaskEvaluation(TaskDenial(denial.reason, denial.message, taskID: taskID), taskID: taskID)
                    }
                    // The candidate's request, but for its context, which the labels do not read.
                    asked.resource = resource
                    let learned: Set<String>
                    if layered == nil, let quick = labels.quick(stored) {
                        learned = quick
                    } else {
                        switch labels.read(asked, entities: layered ?? engine.entities) {
                        case .success(let read): learned = read
                        case .failure(let denial):
                            return TaskEvaluation(TaskDenial(denial.reason, denial.message, taskID: taskID), taskID: taskID)
                        }
                    }
                    let labelled = seen.labelled
                    asked.context = seen.contexts[0]
                    let verdict = judge(
                        asking: &asked, in: chain,
                        entities: layered.map { $0.layering(seen.histories) } ?? seen.entities, engine: engine,
                        approved: approved(index), context: { seen.contexts[$0] },
                        validate: { shapes.problem($0, labelled: labelled) }, narrowed: narrowed)
                    if verdict.denial?.reason == .approvalRequired,
                        let exhausted = Self.exhausted(chain, adding: usage, action: action)
                    {
                        // A person's approval would not lift a budget: no ask.
                        return TaskEvaluation(exhausted, taskID: taskID, policies: verdict.policies)
                    }
                    guard verdict.denial == nil, reserve else { return TaskEvaluation(decision: verdict, reservation: nil) }
                    if counting, learned.isSubset(of: chain[0].record.labels) {
                        // What `reserve` would do, but for charging the counters now: no
                        // budget to check, no label to add, and the sum fits.
                        counted.append(evaluations.count)
                        return TaskEvaluation(
                            decision: verdict, reservation: TaskReservation(usage: usage, taskIDs: ids, labels: learned))
                    }
                    // The labels grow: the registry is brought up to the allows before first.
                    chargeCounted()
                    let evaluation = self.reserve(
                        verdict, action: action, usage: usage, learned: learned, in: chain, ids: ids, registry: &registry)
                    if evaluation.reservation != nil {
                        let labels = chain[0].record.labels
                        // The chain as the next candidate's own look-up would find it: under
                        // the lock only this reservation changed it, its counters and labels.
                        for place in chain.indices { registry.refresh(&chain[place]) }
                        if !independent || chain[0].record.labels != labels { seen.update(to: chain, engine: engine) }
                    }
                    return evaluation
                }
                for index in part where !keep(evaluateCandidate(index)) { break }
                chargeCounted()
            }
        }
        return evaluations
    }

    /// Whether `count` allows of `usage` can be added to the counters of every task in
    /// `chain` without a sum overflowing (each part of a usage is zero or more, so any
    /// fewer can too).
    static func fits(_ usage: TaskCounters, times count: Int, in chain: [TaskEntry]) -> Bool {
        guard let sum = usage.times(count) else { return false }
        for place in chain.indices where !chain[place].record.counters.canAdd(sum) { return false }
        return true
    }

    /// How many candidates `evaluate(taskID:candidates:…)` decides under one hold of the
    /// registry's lock (about 1 ms), so that other decisions never wait long for it.
    static let batchPart = 256
}

/// The candidates of one request decided for many resources — a retrieval filter's,
/// an AuthZEN batch's — read where they are, not copied into an array of requests
/// (a request copied retains some seven references).
protocol TaskCandidates {
    var count: Int { get }
    /// The first candidate's request: every candidate shares its principal, action
    /// and context. Nil when there are none.
    var first: Request? { get }
    /// Candidate `index`'s resource.
    func resource(_ index: Int) -> EntityUID
    /// The entities candidate `index` describes.
    func entities(_ index: Int) -> [Entity]
}

/// What the policies of each task in a chain see of it, for one request decided for
/// many resources: built once, then brought up to date after each allow changes the
/// chain's counters or labels.
struct TaskChainView {
    /// The request's context as the policies of `chain[i]` see it (`context.task` of
    /// that task, `context.system`).
    private(set) var contexts: [Record]
    /// The history entity of each task in the chain.
    private(set) var histories: [Entity]
    /// The engine's entities with `histories` over them.
    private(set) var entities: Entities
    /// Whether the first task shows any label to its policies.
    var labelled: Bool { !shown[0].labels.isEmpty }
    /// Each task as its policies see it (with the labels of the tasks above it).
    private var shown: [TaskRecord]
    private let action: String

    init(_ request: Request, chain: [TaskEntry], engine: PolicyEngine, now: Date) {
        action = request.action.id
        let shown = chain.indices.map { TaskService.shown(chain, $0) }
        self.shown = shown
        contexts = shown.map {
            TaskContext.context(request.context, task: $0, action: request.action, now: now, schema: engine.schema)
        }
        histories = chain.map { TaskContext.history(of: $0.record) }
        entities = engine.entities.layering(histories)
    }

    /// Brings the view up to `chain`, the same tasks with other counters and labels.
    mutating func update(to chain: [TaskEntry], engine: PolicyEngine) {
        var layered = true
        for index in chain.indices {
            let task = TaskService.shown(chain, index)
            TaskContext.update(&contexts[index], from: shown[index], to: task, action: action)
            shown[index] = task
            TaskContext.update(history: &histories[index], to: chain[index].record)
            // The history entities are layered over the engine's alone, so each is
            // replaced in place; should one not be (the store holds an entity of its uid
            // with other parents), they are all layered again.
            layered = layered && entities.replaceLayered(histories[index])
        }
        if !layered { entities = engine.entities.layering(histories) }
    }
}

/// `TaskService.learnedLabels(of:entities:engine:input:)` for many requests of one
/// action. For a request that describes no entities of its own, the labels are read
/// from the inventory alone and each label checked once; whenever anything is not a
/// set of valid labels, or the request describes entities, the answer is
/// `learnedLabels`' own, with its message.
struct LabelReader {
    let engine: PolicyEngine
    let input: TaskInput
    private let retrieves: Bool
    private let calls: Bool
    private var checked: Set<String> = []
    /// For each entity a resource was directly in so far: the labels the inventory
    /// gives it and everything it is in, nil when one is not a set of valid labels.
    /// The first few are compared rather than hashed into (a request's candidates are
    /// mostly in a handful), the rest are in `moreParents`.
    private var fromParents: [(parent: EntityUID, labels: Set<String>?)] = []
    private var moreParents: [EntityUID: Set<String>?] = [:]
    private static let comparedParents = 8

    init(action: EntityUID, engine: PolicyEngine, input: TaskInput) {
        self.engine = engine
        self.input = input
        retrieves = engine.entities.isDescendant(action, of: BaseSchema.retrieveAction)
        calls = engine.entities.isDescendant(action, of: BaseSchema.callAction)
    }

    /// The labels `request`, over `entities`, teaches: `TaskService.learnedLabels`.
    /// For a request that describes no entities, `quick` answers first.
    func read(_ request: Request, entities: Entities) -> Result<Set<String>, TaskDenial> {
        TaskService.learnedLabels(of: request, entities: entities, engine: engine, input: input)
    }

    /// The labels a request that describes no entities teaches, from the inventory
    /// alone: of its resource, which the inventory holds as `stored`
    /// (`Entities.attributesAndParents(of:)` of the engine's entities, nil when it holds
    /// nothing), and of what it is in. Nil when one is not a valid label in a set: then
    /// `read` says why.
    mutating func quick(_ stored: (attributes: Record, parents: Set<EntityUID>)?) -> Set<String>? {
        guard let stored else { return [] }
        var labels: Set<String> = []
        if retrieves {
            guard add(stored.attributes["labels"], "labels", to: &labels) else { return nil }
            // What a resource is in is its parents and what they are in: each parent's
            // labels are read once per request, for every candidate in it.
            for parent in stored.parents {
                guard let above = inherited(from: parent) else { return nil }
                if labels.isEmpty { labels = above } else { labels.formUnion(above) }
            }
        }
        if calls, !add(stored.attributes[BaseSchema.outputLabelsAttribute], BaseSchema.outputLabelsAttribute, to: &labels) {
            return nil
        }
        return labels
    }

    /// The labels of `parent` and of everything it is in, or nil when one is not a
    /// valid label in a set; remembered for the request.
    private mutating func inherited(from parent: EntityUID) -> Set<String>? {
        if let known = fromParents.first(where: { $0.parent == parent }) { return known.labels }
        if !moreParents.isEmpty, let known = moreParents[parent] { return known }
        var labels: Set<String> = []
        var valid = add(parent, "labels", to: &labels)
        for above in engine.entities.ancestors(of: parent) where valid {
            valid = add(above, "labels", to: &labels)
        }
        let found = valid ? labels : nil
        if fromParents.count < Self.comparedParents {
            fromParents.append((parent, found))
        } else {
            moreParents[parent] = .some(found)
        }
        return found
    }

    /// Adds the labels in `attribute` of `uid` in the inventory to `labels`; false when
    /// it is not a set of valid labels.
    private mutating func add(_ uid: EntityUID, _ attribute: String, to labels: inout Set<String>) -> Bool {
        guard case .some(.some(let value)) = engine.entities.attribute(attribute, of: uid) else { return true }
        return add(value, attribute, to: &labels)
    }

    /// Adds the labels `value` (of `attribute`; nil when absent) holds to `labels`;
    /// false when it is not a set of valid labels.
    private mutating func add(_ value: Value?, _ attribute: String, to labels: inout Set<String>) -> Bool {
        guard let value else { return true }
        guard case .set(let set) = value else { return false }
        for element in set {
            guard case .string(let label) = element else { return false }
            if !checked.contains(label) {
                guard (try? input.label(label, attribute)) != nil else { return false }
                checked.insert(label)
            }
            labels.insert(label)
        }
        return true
    }
}

/// Whether each dataset the candidates of one request are in is registered in the
/// inventory (`PolicyEngine.registered(_:)`), asked once per dataset.
struct DatasetRegistrations {
    let engine: PolicyEngine
    /// The datasets asked about so far; a request's candidates are in a handful.
    private var known: [(dataset: EntityUID, registered: Bool)] = []

    init(_ engine: PolicyEngine) { self.engine = engine }

    mutating func registered(_ dataset: EntityUID) -> Bool {
        if let found = known.first(where: { $0.dataset == dataset }) { return found.registered }
        let registered = engine.registered(dataset)
        // Past a few, asking costs no more than looking through them.
        if known.count < 8 { known.append((dataset, registered)) }
        return registered
    }
}
