import Cedar
import WritCore

/// What approval tests read from an AuthZEN evaluation response: `decision`,
/// `context.reason` and `context.evaluation_id` (the approval).
struct ApprovalAnswer: Equatable {
    var allowed: Bool
    var reason: String?
    var approval: String?

    init(_ body: [UInt8]) throws {
        guard case .object(let object) = try JSON.parse(body), case .bool(let allowed)? = object["decision"],
            case .object(let context)? = object["context"]
        else { throw WritError(.invalidRequest, "not an AuthZEN decision") }
        self.allowed = allowed
        if case .string(let text)? = context["reason"] { reason = text }
        if case .string(let text)? = context["evaluation_id"] { approval = text }
    }
}
