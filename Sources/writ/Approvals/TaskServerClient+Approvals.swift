import Cedar
import NIOHTTP1
import WritCore

/// `writ approvals --server URL`: the approval routes (docs/APPROVALS.md), with a key
/// that has the `approve` scope.
extension TaskServerClient {
    func approvals(state: ApprovalState?) async throws(TaskFailure) -> JSON {
        try await send(.GET, "/v1/approvals" + (state.map { "?state=\($0.rawValue)" } ?? ""), body: nil)
    }

    func approve(_ id: String, scope: ApprovalScope, ttl: Int?) async throws(TaskFailure) -> JSON {
        var members: [(key: String, value: JSON)] = [(key: "scope", value: .string(scope.rawValue))]
        if let ttl { members.append((key: "ttl", value: .number(JSONNumber(Int64(ttl))))) }
        return try await send(
            .POST, "/v1/approvals/\(Self.escaped(id))/approve", body: .object(JSONObject(uniqueMembers: members)))
    }

    func refuse(_ id: String) async throws(TaskFailure) -> JSON {
        try await send(.POST, "/v1/approvals/\(Self.escaped(id))/refuse", body: nil)
    }
}
