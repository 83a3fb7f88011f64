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
    /// For a deny that only approvable forbids made, while the permits allow and
    /// nothing else denies: what a person may approve, and the decision once approved.
    public var approval: ApprovalNeed?

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

/// A deny that a person may lift: the approvable forbids that alone denied, and what
/// the policies decide without them.
public struct ApprovalNeed: Sendable, Equatable {
    /// The approvable forbids that denied, in the order the deny named them.
    public var policies: [ApprovablePolicy]
    /// The permits that allow once the forbids are waived.
    public var reasons: [PolicyID]
    /// The redactions those permits ask for.
    public var redactions: [Redaction]
}

extension WritDecision {
    /// The decision once a person approved it: an allow by the permits that allowed,
    /// with their redactions. Unchanged when no approval could lift it.
    public func approved() -> WritDecision {
        guard !allowed, let approval else { return self }
        var decision = self
        decision.allowed = true
        decision.reasons = approval.reasons
        decision.redactions = approval.redactions
        return decision
    }
}
