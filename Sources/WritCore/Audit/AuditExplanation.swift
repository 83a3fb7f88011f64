import Cedar
import Foundation

/// A recorded decision decided again (`DecisionService.explain(_:)`): what the record
/// says the organisation's policies decided, what they decide now, and whether the two
/// agree.
public struct AuditExplanation: Sendable, Equatable {
    /// The record's decision id.
    public var decisionID: String?
    /// The policy set version the record names, which decided both times.
    public var policySetVersion: Int
    /// The final outcome recorded (after tasks, budgets and approvals).
    public var recordedOutcome: AuditOutcome?
    /// Whether the organisation's policies allowed, as recorded; nil when they did not
    /// decide (the request was refused before: not valid, no task, task closed …).
    public var recordedAllowed: Bool?
    /// The policies that decided, as recorded.
    public var recordedReasons: [String]
    /// Whether the policies allow now; nil when the request cannot be decided again
    /// (see `note`).
    public var nowAllowed: Bool?
    /// The policies that decide now.
    public var nowReasons: [String]
    /// Why the request is not valid now, when it is not.
    public var nowInvalid: String?
    /// Whether the policies decide as recorded: the same allow or deny, for the same
    /// policies. Nil when there is nothing to compare (see `note`).
    public var matches: Bool?
    /// What limits the comparison, if anything.
    public var note: String?

    public init(
        decisionID: String?, policySetVersion: Int, recordedOutcome: AuditOutcome?, recordedAllowed: Bool?,
        recordedReasons: [String], nowAllowed: Bool?, nowReasons: [String], nowInvalid: String?, matches: Bool?, note: String?
    ) {
        self.decisionID = decisionID
        self.policySetVersion = policySetVersion
        self.recordedOutcome = recordedOutcome
        self.recordedAllowed = recordedAllowed
        self.recordedReasons = recordedReasons
        self.nowAllowed = nowAllowed
        self.nowReasons = nowReasons
        self.nowInvalid = nowInvalid
        self.matches = matches
        self.note = note
    }
}

extension DecisionService {
    /// Decides a recorded decision again: the request the record holds (as sent, after
    /// redaction) against the policy set version it names — read from the store and
    /// compiled — with the **current** entities: entities are not versioned, so an
    /// entity changed since can change the answer. For a request decided in a task,
    /// `context.task` is built from the task as stored now (its counters and labels may
    /// have grown since), and only the organisation's policies are compared: mandates,
    /// budgets and approvals are not decided again.
    ///
    /// A record whose request has values stored as hashes (`AuditConfiguration`)
    /// cannot be decided again; its explanation says so in `note`.
    /// - Throws: `.invalidRequest` for an event that is not a decision record or lacks
    ///   its request or version; `.notFound` when the version is gone; `.corruptState`
    ///   when it no longer compiles; `.invalidEntities` when the current entities do
    ///   not conform to that version's schema; a store error.
    public func explain(_ event: AuditEvent) async throws(WritError) -> AuditExplanation {
        guard event.kind == .decision, case .object(let details) = event.details,
            case .number(let number)? = details["policy_set_version"], let version = number.int64.flatMap({ Int(exactly: $0) }),
            let sent = details["request"]
        else {
            throw WritError(.invalidRequest, "the event is not a decision record with its request and policy set version")
        }
        var explanation = AuditExplanation(
            decisionID: event.decisionID, policySetVersion: version, recordedOutcome: event.outcome, recordedAllowed: nil,
            recordedReasons: [], nowAllowed: nil, nowReasons: [], nowInvalid: nil, matches: nil, note: nil)
        if case .object(let policies)? = details["policies"] {
            if case .bool(let allowed)? = policies["allowed"] { explanation.recordedAllowed = allowed }
            if case .array(let reasons)? = policies["reasons"] {
                explanation.recordedReasons = reasons.compactMap { if case .string(let id) = $0 { id } else { nil } }
            }
        }
        if case .array(let hashed)? = details["hashed"], !hashed.isEmpty {
            explanation.note = "the request has values stored as hashes, so it cannot be decided again"
            return explanation
        }
        guard let record = try await store.policySet(version: version) else {
            throw WritError(.notFound, "policy set version \(version) does not exist")
        }
        let compiled = try Self.compileStored(record)
        let current = try engine()
        let engine = try makeEngine(record.summary, compiled, stored: current.storedEntities, quarantined: current.quarantined)
        let evaluator = AuthZENEvaluator(
            engine: engine, mapping: configuration.authzen, tasks: AuthZENTasks(service: nil, credential: nil, reserving: false))
        let input = try AuthZENEvaluationInput.read(try AuthZENObject(sent, at: .root), mapping: configuration.authzen)
        let prepared = try evaluator.prepare(input)
        var request = prepared.request
        var entities = engine.entities(layering: prepared.entities)
        if request.principal.type == BaseSchema.agentType {
            guard let taskID = event.taskID, let task = try await store.task(id: taskID) else {
                explanation.note = "the request was about an agent without a stored task; only task decisions can be decided again"
                return explanation
            }
            request.context = TaskContext.context(
                request.context, task: task, action: request.action, now: event.time, schema: engine.schema)
            entities = entities.layering([TaskContext.history(of: task)])
            explanation.note = "decided again with the task as stored now; mandates, budgets and approvals are not compared"
        }
        if let schema = engine.schema {
            do {
                try schema.validate(request)
            } catch {
                explanation.nowInvalid = error.message
                explanation.matches = explanation.recordedAllowed == nil && details["error"] != nil
                return explanation
            }
        }
        let now = engine.decide(request, entities: entities, policies: engine.compiled)
        explanation.nowAllowed = now.allowed
        explanation.nowReasons = now.reasons
        if let recorded = explanation.recordedAllowed {
            explanation.matches = recorded == now.allowed && Set(explanation.recordedReasons) == Set(now.reasons)
        } else {
            explanation.note = explanation.note ?? "the policies did not decide this request when it was recorded"
        }
        return explanation
    }
}
