import Cedar
import Foundation
import WritCore

/// Decisions made in process, on the same path as `POST /access/v1/evaluation` of
/// `writ serve`: `DecisionService.authzen` inside the agent's task, approvals asked
/// for, and every decision recorded in the audit log before it is answered.
public struct EmbeddedDecider: GatewayDecider {
    public let service: DecisionService
    public let tasks: TaskService
    public let approvals: ApprovalService?
    /// Where decisions are recorded; nil records nothing (tests, `--audit off`).
    public let audit: (any AuditSink)?
    /// The actor audit records name for the gateway's decisions.
    public let actor: String

    public init(
        service: DecisionService, tasks: TaskService, approvals: ApprovalService?, audit: (any AuditSink)?,
        actor: String = "gateway"
    ) {
        self.service = service
        self.tasks = tasks
        self.approvals = approvals
        self.audit = audit
        self.actor = actor
    }

    public func decide(_ question: GatewayQuestion) async -> GatewayOutcome {
        // The limit `writ serve` puts on an evaluation's body.
        guard question.body.count <= service.configuration.limits.maxBodyBytes else { return .refused("too_large") }
        do {
            // Recorded (with the allow's counters, in one write) before it returns.
            let outcome = try await service.authzen(
                .evaluation, body: question.body, taskCredential: question.credential, tasks: tasks,
                approvals: approvals, audit: audit.map { DecisionAudit(actor: actor, requestID: nil, log: $0) })
            return GatewayOutcome.reading(authzen: outcome.body)
        } catch {
            // A request Writ cannot read (too large, a number Cedar cannot hold …), no
            // policy set, or an unrecorded decision: never an allow.
            return .refused(error.code.rawValue)
        }
    }

    public func callable(_ tools: [String], credential: String) async -> Set<String> {
        Set(await tasks.callable(tools, credential: credential))
    }
}

extension GatewayOutcome {
    /// The outcome an AuthZEN evaluation response states; a response that cannot be
    /// read is a deny.
    static func reading(authzen body: [UInt8]) -> GatewayOutcome {
        guard case .object(let object)? = try? JSON.parse(body), case .bool(let decision)? = object["decision"] else {
            return .refused("decision_unreadable")
        }
        var context = JSONObject()
        if case .object(let given)? = object["context"] { context = given }
        var decisionID: String?
        if case .string(let id)? = context["decision_id"] { decisionID = id }
        if decision {
            var obligations: [UInt8]?
            if case .array? = context["obligations"] { obligations = context["obligations"]?.encodedBytes(sortingMembers: true) }
            return GatewayOutcome(decision: .allow, decisionID: decisionID, obligations: obligations)
        }
        var reason = context["error"] != nil ? "invalid_request" : "policy_denied"
        if case .string(let given)? = context["reason"] { reason = given }
        if reason == "approval_required", case .string(let approval)? = context["evaluation_id"] {
            return GatewayOutcome(decision: .ask, reason: reason, decisionID: decisionID, approvalID: approval)
        }
        return GatewayOutcome(decision: .deny, reason: reason, decisionID: decisionID)
    }
}
