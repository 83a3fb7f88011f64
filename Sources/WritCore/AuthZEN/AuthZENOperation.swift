/// The operations of the OpenID AuthZEN Authorization API 1.0.
public enum AuthZENOperation: String, Sendable, Hashable, CaseIterable {
    /// `POST /access/v1/evaluation`
    case evaluation
    /// `POST /access/v1/evaluations`
    case evaluations
    /// `POST /access/v1/search/subject`
    case subjectSearch = "search_subject"
    /// `POST /access/v1/search/resource`
    case resourceSearch = "search_resource"
    /// `POST /access/v1/search/action`
    case actionSearch = "search_action"

    /// The default path of the operation in the HTTPS binding.
    public var path: String {
        switch self {
        case .evaluation: "/access/v1/evaluation"
        case .evaluations: "/access/v1/evaluations"
        case .subjectSearch: "/access/v1/search/subject"
        case .resourceSearch: "/access/v1/search/resource"
        case .actionSearch: "/access/v1/search/action"
        }
    }
}

/// The answer to one AuthZEN operation: the JSON response body, the decisions it
/// carries (for metrics; empty for searches) and, when decisions are audited, their
/// audit records.
public struct AuthZENOutcome: Sendable, Equatable {
    /// The response body, UTF-8 JSON.
    public var body: [UInt8]
    /// Each decision made, in order: one for an evaluation, one per evaluated item of
    /// a batch.
    public var decisions: [Bool]
    /// With a `DecisionAudit`, one `.decision` event per decision answered, in order.
    /// The caller must record them (`AuditSink.record`) before it sends `body`, and
    /// send an error instead when recording fails: never an answer without its record.
    public var events: [AuditEvent]
    public init(body: [UInt8], decisions: [Bool], events: [AuditEvent] = []) {
        self.body = body
        self.decisions = decisions
        self.events = events
    }
}
