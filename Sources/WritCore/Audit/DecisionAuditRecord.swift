import Cedar
import Foundation

/// Who asked for decisions, and where they are recorded: given to
/// `DecisionService.authzen(_:body:taskCredential:tasks:approvals:audit:)` and
/// `filter(body:taskCredential:tasks:approvals:audit:)`, it makes every decision
/// answered carry a `decision_id` in its response and an `AuditEvent` in
/// `AuthZENOutcome.events`.
public struct DecisionAudit: Sendable {
    /// The enforcing point's API key id; nil when it presented none.
    public var actor: String?
    /// The transport's request id (`X-Request-ID`).
    public var requestID: String?
    /// Where the service records the events before it returns the answer — with the
    /// allows' task counters in the same write (`AuditSink.record(_:addingTaskCounters:to:)`).
    /// Nil leaves recording `AuthZENOutcome.events` to the caller.
    public var log: (any AuditSink)?

    public init(actor: String?, requestID: String?, log: (any AuditSink)? = nil) {
        self.actor = actor
        self.requestID = requestID
        self.log = log
    }

    /// A new decision id made at `time`: `dec_` and 128 bits in base64url — the
    /// milliseconds since 1970 in 48 bits, big-endian, then 80 random bits.
    ///
    /// The time comes first so that ids made close together share their first
    /// characters (the first 8 encode the time exactly), and the audit log's index on
    /// decision ids takes a batch of records' entries in a few adjacent pages. With
    /// wholly random ids each entry landed in a leaf page of its own, and every record
    /// cost a page written to the log and again to the database (docs/AUDIT.md,
    /// "Storage"). 80 random bits per millisecond keep ids distinct.
    static func newDecisionID(at time: Date) -> String {
        // 48 bits of milliseconds last until the year 10889; a clock outside that is clamped.
        let since1970 = (time.timeIntervalSince1970 * 1000).rounded(.down)
        let milliseconds: UInt64 = !(since1970 > 0) ? 0 : since1970 >= 0xFFFF_FFFF_FFFF ? 0xFFFF_FFFF_FFFF : UInt64(since1970)
        // Two draws, not ten: a filter makes one id per candidate.
        var generator = SystemRandomNumberGenerator()
        let random = (generator.next() as UInt64, generator.next() as UInt64)
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: milliseconds >> (40 - 8 * UInt64(index))) }
        for index in 0..<8 { bytes[6 + index] = UInt8(truncatingIfNeeded: random.0 >> (8 * UInt64(index))) }
        for index in 0..<2 { bytes[14 + index] = UInt8(truncatingIfNeeded: random.1 >> (8 * UInt64(index))) }
        return "dec_" + Base64URL.encode(bytes)
    }
}

/// The checkpoint a decision guards, when its action is one of Writ's base actions or
/// an action in `Writ::Action::"call"` (docs/CHECKPOINTS.md).
enum FlowCheckpoint {
    static let actions = ["prompt", "retrieve", "call", "release"]

    static func of(_ action: EntityUID, entities: Entities) -> String? {
        for name in actions {
            let base = EntityUID(type: BaseSchema.callAction.type, id: name)
            if action == base || entities.isDescendant(action, of: base) { return name }
        }
        return nil
    }
}

extension AuthZENEvaluator {
    /// The results of `answer` its response shows: a batch's up to the item its
    /// semantic stopped after, every other answer's all.
    func answered(_ answer: Answer) -> ArraySlice<Result> {
        guard let semantic = answer.semantic else { return answer.results[...] }
        let end = answer.results.firstIndex(where: semantic.stops(after:)).map { $0 + 1 } ?? answer.results.count
        return answer.results[..<end]
    }

    /// One `.decision` event per result answered (docs/AUDIT-EVENTS.md): the indexed
    /// fields, and in `details` the request as sent (credentials removed, sensitive
    /// values hashed as `configuration` says), what decided and why.
    func auditEvents(
        _ answer: Answer, operation: String, audit: DecisionAudit, configuration: AuditConfiguration, tasks: TaskService?,
        time: Date
    ) -> [AuditEvent] {
        answered(answer).enumerated().map { index, result in
            auditEvent(
                result, index: answer.results.count > 1 ? index : nil, operation: operation, audit: audit,
                configuration: configuration, tasks: tasks, time: time)
        }
    }

    private func auditEvent(
        _ result: Result, index: Int?, operation: String, audit: DecisionAudit, configuration: AuditConfiguration,
        tasks: TaskService?, time: Date
    ) -> AuditEvent {
        let resource = result.request?.resource.description
        let action = result.request?.action.description
        let taskID = result.taskID ?? result.denial?.taskID
        var agent: String?
        if let principal = result.request?.principal, principal.type == BaseSchema.agentType { agent = principal.id }
        let user = taskID.flatMap { tasks?.heldRecord(id: $0)?.onBehalfOf }

        var details: [(key: String, value: JSON)] = [(key: "operation", value: .string(operation))]
        if let index { details.append((key: "index", value: .number(JSONNumber(Int64(index))))) }
        if let requestID = audit.requestID { details.append((key: "request_id", value: .string(requestID))) }
        if let sent = result.sent {
            let (request, hashed) = Self.recorded(sent, resource: resource, action: action, configuration: configuration)
            details.append((key: "request", value: request))
            if !hashed.isEmpty { details.append((key: "hashed", value: .array(hashed.map { .string($0) }))) }
        }
        details += AuthZENResponse.versionMembers(engine)
        if let action = result.request?.action, let checkpoint = FlowCheckpoint.of(action, entities: engine.entities) {
            details.append((key: "checkpoint", value: .string(checkpoint)))
        }
        details += Self.explanation(result)
        return AuditEvent(
            kind: .decision, time: time, actor: audit.actor, decisionID: result.decisionID, taskID: taskID, agent: agent,
            user: user, resource: resource, action: action, outcome: Self.outcome(result),
            details: .object(JSONObject(uniqueMembers: details)))
    }

    /// allow, ask (waiting for a person's approval) or deny.
    static func outcome(_ result: Result) -> AuditOutcome {
        if result.allowed { return .allow }
        return result.denial?.reason == .approvalRequired ? .ask : .deny
    }

    /// Why: the policies that decided, errors, guardrails, the task's denial, the
    /// obligations of an allow, the approval, and the organisation's policies' own
    /// decision (`policies`, what `DecisionService.explain` compares).
    private static func explanation(_ result: Result) -> [(key: String, value: JSON)] {
        var members: [(key: String, value: JSON)] = []
        let decision = result.decision
        members.append((key: "reasons", value: .array((decision?.reasons ?? []).map { .string($0) })))
        if let decision {
            members.append((key: "policies", value: .object(JSONObject(uniqueMembers: [
                (key: "allowed", value: .bool(decision.allowed)),
                (key: "reasons", value: .array(decision.reasons.map { .string($0) })),
            ]))))
            if !decision.errors.isEmpty { members.append((key: "errors", value: AuthZENResponse.errors(decision))) }
            if !decision.failedGuardrails.isEmpty {
                members.append((key: "failed_guardrails", value: .array(decision.failedGuardrails.map { .string($0) })))
            }
            if result.allowed, !decision.redactions.isEmpty {
                members.append((key: "obligations", value: AuthZENResponse.obligations(decision.redactions)))
            }
        }
        if let denial = result.denial {
            members.append((key: "denial", value: .object(JSONObject(uniqueMembers: [
                (key: "reason", value: .string(denial.reason.rawValue)),
                (key: "message", value: .string(denial.message)),
            ]))))
        }
        if let invalid = result.invalidReason { members.append((key: "error", value: .string(invalid))) }
        if let approval = result.approval ?? result.grant {
            members.append((key: "approval", value: .string(approval.id)))
        }
        return members
    }

    /// The request as sent — `{"subject", "action", "resource", "context"?}` — with
    /// credentials removed and sensitive context values hashed, and the paths hashed.
    static func recorded(
        _ sent: AuthZENEvaluationInput, resource: String?, action: String?, configuration: AuditConfiguration
    ) -> (JSON, [String]) {
        func entity(_ entity: AuthZENEntity) -> JSON {
            var members: [(key: String, value: JSON)] = [(key: "type", value: .string(entity.type))]
            if let id = entity.id { members.append((key: "id", value: .string(id))) }
            if !entity.properties.isEmpty {
                let properties = JSON.object(JSONObject(uniqueMembers: entity.properties.map { (key: $0.key, value: $0.value) }))
                members.append((key: "properties", value: AuditConfiguration.withoutCredentials(properties)))
            }
            return .object(JSONObject(uniqueMembers: members))
        }
        var members: [(key: String, value: JSON)] = [
            (key: "subject", value: entity(sent.subject)),
            (key: "action", value: .object(JSONObject(uniqueMembers: [(key: "name", value: .string(sent.action.name))]))),
            (key: "resource", value: entity(sent.resource)),
        ]
        var hashed: [String] = []
        if let context = sent.context {
            let recorded = configuration.recorded(context: .object(context.members), resource: resource, action: action)
            members.append((key: "context", value: recorded.context))
            hashed = recorded.hashed
        }
        return (.object(JSONObject(uniqueMembers: members)), hashed)
    }
}
