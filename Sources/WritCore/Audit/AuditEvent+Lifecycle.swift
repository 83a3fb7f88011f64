import Cedar
import Foundation

extension AuditEvent {
    /// A lifecycle event (not a decision): `details` the members given, in order;
    /// strings and string lists as JSON strings and arrays.
    package static func lifecycle(
        _ kind: AuditEventKind, time: Date = Date(), actor: String?, taskID: String? = nil, agent: String? = nil,
        user: String? = nil, resource: String? = nil, details: [(key: String, value: JSON)]
    ) -> AuditEvent {
        AuditEvent(
            kind: kind, time: time, actor: actor, taskID: taskID, agent: agent, user: user, resource: resource,
            details: .object(JSONObject(uniqueMembers: details)))
    }

    /// A lifecycle event whose details are strings, keys in scalar order.
    package static func lifecycle(_ kind: AuditEventKind, actor: String?, details: [String: String]) -> AuditEvent {
        let members = details.sorted { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) }
        return lifecycle(kind, actor: actor, details: members.map { (key: $0.key, value: JSON.string($0.value)) })
    }
}

/// Records lifecycle events for the services that make changes: after the change is
/// stored, before the call returns. docs/AUDIT-EVENTS.md gives the ordering.
enum AuditRecorder {
    /// Records `events` through `sink` (nothing without one). A failure is
    /// `.auditUnavailable`, naming `what` was done: the change stays stored, and its
    /// caller gets the error instead of the result.
    static func record(_ sink: (any AuditSink)?, _ events: [AuditEvent], what: String) async throws(WritError) {
        guard let sink, !events.isEmpty else { return }
        do {
            try await sink.record(events)
        } catch {
            throw WritError(
                .auditUnavailable, "\(what) was stored, but its audit record could not be written: \(error.message)")
        }
    }

    /// A date as JSON: Unix seconds.
    static func seconds(_ date: Date) -> JSON {
        .number(JSONNumber(Int64(date.timeIntervalSince1970.rounded(.down))))
    }

    /// Strings as a JSON array.
    static func strings<S: Sequence<String>>(_ values: S) -> JSON {
        .array(values.map { .string($0) })
    }
}
