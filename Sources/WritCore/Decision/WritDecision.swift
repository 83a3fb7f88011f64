import Cedar

/// The outcome of one authorization request, with everything a caller or an audit
/// record needs to explain it.
public struct WritDecision: Sendable, Equatable {
    /// Whether the request may go ahead.
    public var allowed: Bool
    /// The policies that determined the decision: the satisfied permits for an
    /// allow, the satisfied forbids for a deny (empty for a default deny).
    public var reasons: [PolicyID]
    /// Policies that raised errors while evaluated.
    public var errors: [PolicyEvaluationError]
    /// In strict mode, the `forbid` policies whose errors denied the request.
    public var failedGuardrails: [PolicyID]
    /// The policy set version that decided.
    public var policySetVersion: Int
    /// The mode it was decided in.
    public var mode: DecisionMode
    /// For an allow: the redactions the deciding policies ask for, in their order. The
    /// enforcing point must apply every one (`Redaction.apply`) before it releases
    /// output, or not release it.
    public var redactions: [Redaction]

    public init(
        allowed: Bool, reasons: [PolicyID], errors: [PolicyEvaluationError],
        failedGuardrails: [PolicyID], policySetVersion: Int, mode: DecisionMode, redactions: [Redaction] = []
    ) {
        self.redactions = redactions
        self.allowed = allowed
        self.reasons = reasons
        self.errors = errors
        self.failedGuardrails = failedGuardrails
        self.policySetVersion = policySetVersion
        self.mode = mode
    }
}
