import Foundation
import WritCore

/// One `call` checkpoint a gateway asks about: an OpenID AuthZEN evaluation
/// (docs/CHECKPOINTS.md, "call") and the task credential the agent presented.
public struct GatewayQuestion: Sendable, Equatable {
    /// The AuthZEN evaluation request body, UTF-8 JSON: subject `agent`, action
    /// `<server>___<tool>`, resource `tool`, `context.input` the arguments.
    public var body: [UInt8]
    /// The agent's task credential; nil when it presented none.
    public var credential: String?

    public init(body: [UInt8], credential: String?) {
        self.body = body
        self.credential = credential
    }
}

/// What a decider answered about a `GatewayQuestion`.
public struct GatewayOutcome: Sendable, Equatable {
    public enum Decision: String, Sendable, Equatable {
        /// The call may go ahead.
        case allow
        /// The call is refused.
        case deny
        /// A person must approve this exact call first (`approvalID` names the approval).
        case ask
    }

    public var decision: Decision
    /// Why it was denied: a Writ reason code (`policy_denied`, `mandate_denied`,
    /// `no_task`, `approval_required`, `decision_unavailable`, …); nil for an allow.
    public var reason: String?
    /// The id of the decision's audit record (`dec_…`), when it was recorded.
    public var decisionID: String?
    /// The approval a person must decide, for `ask`.
    public var approvalID: String?
    /// The obligations of an allow, AuthZEN `context.obligations` as JSON; nil when none.
    public var obligations: [UInt8]?

    public init(
        decision: Decision, reason: String? = nil, decisionID: String? = nil, approvalID: String? = nil,
        obligations: [UInt8]? = nil
    ) {
        self.decision = decision
        self.reason = reason
        self.decisionID = decisionID
        self.approvalID = approvalID
        self.obligations = obligations
    }

    /// A deny the gateway made itself, without a decision (fail closed).
    public static func refused(_ reason: String) -> GatewayOutcome {
        GatewayOutcome(decision: .deny, reason: reason)
    }
}

/// Where a gateway gets its decisions: in process (`EmbeddedDecider`) or, later, from
/// a remote `writ serve`. Deciders never throw: whatever goes wrong is a deny with a
/// reason code (fail closed).
public protocol GatewayDecider: Sendable {
    /// Decides one tool call, recording it in the audit log before answering.
    func decide(_ question: GatewayQuestion) async -> GatewayOutcome

    /// The tools of `tools` (`<server>___<tool>`) the agent may call inside the task
    /// `credential` names, for a listing: decided without arguments and without
    /// charging the task (`TaskService.callable`). Empty when in doubt.
    func callable(_ tools: [String], credential: String) async -> Set<String>

    /// The resources of `ids` (of Cedar type `resourceType`: `Writ::Document`,
    /// `Writ::Prompt`) the agent might use with `action` (`retrieve`, `prompt`) inside
    /// the task `credential` names, for a listing, as `callable` decides tools. Empty
    /// when in doubt.
    func usable(_ ids: [String], action: String, resourceType: String, credential: String) async -> Set<String>

    /// Reports the definitions upstreams give now (keys `<server>___<tool>`) to the
    /// inventory, and what it says of each (GatewayPinning.swift).
    func observe(_ definitions: [String: ToolDefinition]) async -> [String: PinState]

    /// The state of approval `id`, for a call waiting for it; nil when it cannot be
    /// read (WritGateway+Approval.swift).
    func approvalState(_ id: String) async -> ApprovalState?
}
