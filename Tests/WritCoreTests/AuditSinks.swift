import Cedar
import Foundation
import WritCore

/// An audit sink that keeps every event it is given, in order.
actor RecordingSink: AuditSink {
    private(set) var events: [AuditEvent] = []

    func record(_ events: [AuditEvent]) async throws(WritError) {
        self.events += events
    }

    /// The events of `kind`, in order.
    func events(_ kind: AuditEventKind) -> [AuditEvent] { events.filter { $0.kind == kind } }
}

/// An audit sink that can never make an event durable.
struct FailingSink: AuditSink {
    func record(_ events: [AuditEvent]) async throws(WritError) {
        throw WritError(.storeUnavailable, "the audit log is full")
    }
}

extension AuditEvent {
    /// The details as compact JSON text, for exact comparisons and searches.
    var detailsText: String { details.encoded() }

    /// One member of the details.
    func detail(_ key: String) -> JSON? {
        guard case .object(let object) = details else { return nil }
        return object[key]
    }

    /// Every field and the details as one text, for searching for secrets.
    var allText: String {
        [kind.rawValue, actor, decisionID, taskID, agent, user, resource, action, outcome?.rawValue, detailsText]
            .compactMap { $0 }.joined(separator: "\n")
    }
}
