import Foundation
import ServiceLifecycle
import WritCore

extension WritServer {
    /// Who asks for this request's decisions, and the log the decision service
    /// records them in before it answers, when decisions are audited.
    func decisionAudit(_ context: WritRequestContext) -> DecisionAudit? {
        guard let audit else { return nil }
        return DecisionAudit(actor: context.caller?.id, requestID: context.requestID, log: audit)
    }
}

/// Records `server.started` when the application runs and `server.stopped` when it
/// shuts down gracefully. A start that cannot be recorded stops the server: it must
/// not answer decisions it cannot record.
struct AuditLifecycleService: Service {
    let audit: any AuditSink
    /// What the events say about the server (address, version).
    let details: [String: String]

    func run() async throws {
        try await audit.record([event(.serverStarted)])
        try? await gracefulShutdown()
        try await audit.record([event(.serverStopped)])
    }

    private func event(_ kind: AuditEventKind) -> AuditEvent {
        AuditEvent.lifecycle(kind, actor: "writ", details: details)
    }
}
