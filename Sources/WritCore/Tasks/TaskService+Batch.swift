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
    /// One clock reading serves the whole request. `requests` must share the principal,
    /// the action and the context, and differ only in their resources;
    /// `requestEntities[i]` are the entities request `i` describes, and `approved(i)`
    /// says whether a person approved request `i`.
    func evaluate(
        taskID: String, batch requests: [Request], requestEntities: [[Entity]], engine: PolicyEngine, reserve: Bool,
        approved: (Int) -> Bool
    ) -> [TaskEvaluation] {
        guard let first = requests.first else { return [] }
        guard first.principal.type == BaseSchema.agentType else {
            return Array(repeating: TaskEvaluation(Self.notAnAgent(first.principal, taskID: taskID), taskID: taskID), count: requests.count)
        }
        let now = now()
        let action = first.action.id
        var labels = LabelReader(action: first.action, engine: engine, input: TaskInput(configuration: configuration))
        var shapes = RequestShapes(schema: engine.schema)
        var view: TaskChainView?
        var evaluations: [TaskEvaluation] = []
        evaluations.reserveCapacity(requests.count)
        while evaluations.count < requests.count {
            let part = evaluations.count..<min(evaluations.count + Self.batchPart, requests.count)
            registry.withLock { registry in
                // The chain as it stands now: other decisions may have charged it between parts.
                var chain: [TaskEntry]
                switch registry.chain(of: taskID, agent: first.principal.id, now: now) {
                case .success(let found): chain = found
                case .failure(let denial):
                    evaluations += part.map { _ in TaskEvaluation(denial, taskID: taskID) }
                    return
                }
                let usage: TaskCounters
                switch Self.usage(of: first, in: chain, engine: engine) {
                case .success(let counted): usage = counted
                case .failure(let denial):
                    evaluations += part.map { _ in TaskEvaluation(denial, taskID: taskID) }
                    return
                }
                var seen = view ?? TaskChainView(first, chain: chain, engine: engine, now: now)
                if view != nil { seen.update(to: chain, engine: engine) }
                defer { view = seen }
                for index in part {
                    let request = requests[index]
                    let described = requestEntities[index]
                    let entities = engine.entities(layering: described)
                    if let denial = engine.inventoryDenial(request, entities: entities) {
                        evaluations.append(TaskEvaluation(TaskDenial(denial.reason, denial.message, taskID: taskID), taskID: taskID))
                        continue
                    }
                    let learned: Set<String>
                    switch labels.read(request, entities: entities, described: !described.isEmpty) {
                    case .success(let read): learned = read
                    case .failure(let denial):
                        evaluations.append(TaskEvaluation(TaskDenial(denial.reason, denial.message, taskID: taskID), taskID: taskID))
                        continue
                    }
                    let labelled = seen.labelled
                    let verdict = judge(
                        request, in: chain, entities: described.isEmpty ? seen.entities : entities.layering(seen.histories),
                        engine: engine, approved: approved(index), context: { seen.contexts[$0] },
                        validate: { shapes.problem($0, labelled: labelled) })
                    if verdict.denial?.reason == .approvalRequired,
                        let exhausted = Self.exhausted(chain, adding: usage, action: action)
                    {
                        // A person's approval would not lift a budget: no ask.
                        evaluations.append(TaskEvaluation(exhausted, taskID: taskID, policies: verdict.policies))
                        continue
                    }
                    guard verdict.denial == nil, reserve else {
                        evaluations.append(TaskEvaluation(decision: verdict, reservation: nil))
                        continue
                    }
                    let evaluation = self.reserve(
                        verdict, action: action, usage: usage, learned: learned, in: chain, registry: &registry)
                    if evaluation.reservation != nil {
                        // The chain as the next candidate's own look-up would find it.
                        for place in chain.indices {
                            if let current = registry[chain[place].record.id] { chain[place] = current }
                        }
                        seen.update(to: chain, engine: engine)
                    }
                    evaluations.append(evaluation)
                }
            }
        }
        return evaluations
    }

    /// How many candidates `evaluate(taskID:batch:…)` decides under one hold of the
    /// registry's lock (about 1 ms), so that other decisions never wait long for it.
    static let batchPart = 256
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
        for index in chain.indices {
            let task = TaskService.shown(chain, index)
            TaskContext.update(&contexts[index], from: shown[index], to: task, action: action)
            shown[index] = task
        }
        histories = chain.map { TaskContext.history(of: $0.record) }
        entities = engine.entities.layering(histories)
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

    init(action: EntityUID, engine: PolicyEngine, input: TaskInput) {
        self.engine = engine
        self.input = input
        retrieves = engine.entities.isDescendant(action, of: BaseSchema.retrieveAction)
        calls = engine.entities.isDescendant(action, of: BaseSchema.callAction)
    }

    mutating func read(_ request: Request, entities: Entities, described: Bool) -> Result<Set<String>, TaskDenial> {
        if !described, let labels = quick(request.resource) { return .success(labels) }
        return TaskService.learnedLabels(of: request, entities: entities, engine: engine, input: input)
    }

    /// The labels of `resource` (and what it is in) in the inventory, or nil when one
    /// is not a valid label in a set.
    private mutating func quick(_ resource: EntityUID) -> Set<String>? {
        let inventory = engine.entities
        var labels: Set<String> = []
        func add(_ uid: EntityUID, _ attribute: String) -> Bool {
            guard let value = inventory[uid]?.attributes[attribute] else { return true }
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
        if retrieves {
            guard add(resource, "labels") else { return nil }
            for above in inventory.ancestors(of: resource) {
                guard add(above, "labels") else { return nil }
            }
        }
        if calls, !add(resource, BaseSchema.outputLabelsAttribute) { return nil }
        return labels
    }
}
