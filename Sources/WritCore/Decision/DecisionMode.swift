/// How the decision service treats a policy that fails while it is evaluated.
public enum DecisionMode: String, Sendable, Equatable, Codable, CaseIterable {
    /// The default. A `forbid` policy whose scope matched and whose condition raised an
    /// error denies the request, and is named in the decision. Cedar's own rule would
    /// skip it — silently dropping a guardrail because, say, an attribute was missing.
    case strict
    /// Cedar's skip-on-error semantics exactly: an erroring policy is ignored, and
    /// the error is reported.
    case cedarCompat = "cedar-compat"
}
