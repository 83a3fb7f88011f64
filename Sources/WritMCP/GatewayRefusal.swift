import MCP

/// The JSON-RPC errors the gateway answers a tool call with (docs/GATEWAY.md, "Errors").
/// Messages carry reason codes and ids, never policy text.
enum GatewayRefusal {
    /// The COAZ-MCP code of an authorization denial.
    static let deniedCode = -32001
    /// An upstream that failed during the call (crashed, timed out, did not start).
    static let upstreamCode = -32010

    /// A deny or an ask: -32001 with the reason code, the decision id and, for an ask,
    /// the approval to wait for. The gateway's own fail-closed denials (no decision:
    /// `decision_timeout`, `no_task` without a credential …) carry no decision id.
    static func denied(_ outcome: GatewayOutcome, tool: String) -> MCPError {
        denied(outcome, subject: "the call to `\(tool)`")
    }

    /// A deny or an ask of `subject` (`the call to `x``, `the read of `uri``, `the prompt `p``).
    static func denied(_ outcome: GatewayOutcome, subject: String) -> MCPError {
        if let reason = outcome.reason, unavailable.contains(reason) {
            // COAZ-MCP: a PDP that cannot answer is -32603.
            return .internalError("Authorization service unavailable: \(reason); \(subject) is denied")
        }
        var message = "Writ denied \(subject): \(outcome.reason ?? "policy_denied")"
        if let approval = outcome.approvalID { message += "; a person must approve it: approval \(approval)" }
        if let decision = outcome.decisionID { message += " (decision \(decision))" }
        return .serverError(code: deniedCode, message: message)
    }

    /// Reasons that mean no decision could be had: answered -32603, as COAZ-MCP says.
    static let unavailable: Set<String> = [
        "decision_timeout", "decision_unavailable", "decision_unreadable", "audit_unavailable", "not_ready", "store_unavailable",
    ]

    /// An allowed call whose name routes to no upstream: -32602.
    static func unknownTool(_ tool: String) -> MCPError {
        .invalidParams("unknown tool `\(tool)`: tools are named <upstream>___<tool>")
    }

    /// The upstream failed: -32010 naming it; the gateway keeps serving.
    static func upstream(_ failure: UpstreamFailure) -> MCPError {
        .serverError(code: upstreamCode, message: failure.message)
    }
}
