import Cedar
import Foundation

extension AuditEvent {
    /// The `search` event of an AuthZEN subject, resource or action search
    /// (docs/AUDIT-EVENTS.md): who asked, the request as sent with credentials removed
    /// (and sensitive context values hashed as `configuration` says for any tool), the
    /// page of results answered, and the policy set version.
    static func search(
        operation: String, request: JSON, results: [JSON], audit: DecisionAudit, configuration: AuditConfiguration,
        version: [(key: String, value: JSON)], time: Date
    ) -> AuditEvent {
        var recorded = AuditConfiguration.withoutCredentials(request)
        var hashed: [String] = []
        if case .object(let object) = recorded, let context = object["context"] {
            let (context, paths) = configuration.recorded(context: context, resource: nil, action: nil)
            hashed = paths
            recorded = .object(JSONObject(uniqueMembers: object.members.map { member in
                member.key == "context" ? (key: member.key, value: context) : member
            }))
        }
        var details: [(key: String, value: JSON)] = [(key: "operation", value: .string(operation))]
        if let requestID = audit.requestID { details.append((key: "request_id", value: .string(requestID))) }
        details.append((key: "request", value: recorded))
        if !hashed.isEmpty { details.append((key: "hashed", value: .array(hashed.map { .string($0) }))) }
        details += version
        details.append((key: "results", value: .array(results)))
        return AuditEvent(
            kind: .search, time: time, actor: audit.actor, details: .object(JSONObject(uniqueMembers: details)))
    }
}
