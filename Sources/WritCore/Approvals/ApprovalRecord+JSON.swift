import Cedar
import Foundation

extension ApprovalRecord {
    /// The approval as JSON, keys in a fixed order: what `GET /v1/approvals/{id}`
    /// returns and what a person approving sees (docs/APPROVALS.md).
    package var json: JSON {
        var members: [(key: String, value: JSON)] = [
            (key: "id", value: .string(id)),
            (key: "status", value: .string(state.rawValue)),
            (key: "digest", value: .string(digest)),
            (key: "principal", value: .string(principal)),
            (key: "action", value: .string(action)),
            (key: "resource", value: .string(resource)),
            (key: "arguments", value: (try? JSON.parse(Array(arguments.utf8))) ?? .string(arguments)),
            (key: "task", value: taskID.map { .string($0) } ?? .null),
            (key: "policies", value: .array(policies.map { policy in
                .object(JSONObject(uniqueMembers: [
                    (key: "policy", value: .string(policy.policyID)),
                    (key: "text", value: .string(policy.text)),
                ]))
            })),
            (key: "requested_at", value: .string(Self.timestamp(requestedAt))),
            (key: "expires_at", value: .string(Self.timestamp(expiresAt))),
        ]
        if let decidedAt { members.append((key: "decided_at", value: .string(Self.timestamp(decidedAt)))) }
        if let decidedBy { members.append((key: "decided_by", value: .string(decidedBy))) }
        if let scope { members.append((key: "scope", value: .string(scope.rawValue))) }
        return .object(JSONObject(uniqueMembers: members))
    }

    /// The Access Request and Approval profile's `access_request` of a requestable
    /// denial, with Writ's approval in it: where to decide it, until when, and what a
    /// person sees.
    package var accessRequest: JSON {
        .object(JSONObject(uniqueMembers: [
            (key: "endpoint", value: .string("/v1/approvals/\(id)")),
            (key: "expires_at", value: .string(Self.timestamp(expiresAt))),
            (key: "display", value: .object(JSONObject(uniqueMembers: [
                (key: "title", value: .string("Approval required")),
                (key: "description", value: .string(policies.map(\.text).joined(separator: "\n"))),
            ]))),
            (key: "approval", value: json),
        ]))
    }

    /// RFC 3339 UTC with whole seconds.
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }
}
