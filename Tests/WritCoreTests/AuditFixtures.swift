import Cedar
import Foundation
import Testing
import WritCore

/// The support desk of `TaskFixtures`, recording to a sink.
enum AuditFixtures {
    /// A decision service over the support desk, with `AuditConfigurationTests.salt`.
    static func decisions(
        audit: (any AuditSink)? = nil, sensitive: [AuditConfiguration.SensitiveValue] = [],
        policies: String = TaskFixtures.policies, store: MemoryStore = MemoryStore()
    ) async throws -> DecisionService {
        let service = DecisionService(
            store: store,
            configuration: .init(
                authzen: TaskFixtures.mapping, audit: AuditConfiguration(salt: AuditConfigurationTests.salt, sensitive: sensitive)),
            audit: audit)
        _ = try await service.bootstrap(
            PolicySetDraft(files: [SourceFile(name: "org.cedar", text: policies)], schema: TaskFixtures.schema, author: "test"),
            entities: Array(try TaskFixtures.registering(TaskFixtures.toolEntities).utf8))
        return service
    }

    /// A task service over `decisions`, with test credentials, recording to `audit`.
    static func tasks(_ decisions: DecisionService, clock: TestClock, audit: (any AuditSink)? = nil) -> TaskService {
        TaskService(
            decisions: decisions, now: clock.now, mint: TestCredentials.mint, verify: TestCredentials.verify, audit: audit)
    }

    static let requester = DecisionAudit(actor: "key_pep", requestID: "req-1")

    /// Answers `body` with auditing on.
    static func answer(
        _ operation: AuthZENOperation, _ body: String, decisions: DecisionService, tasks: TaskService?,
        approvals: ApprovalService? = nil
    ) async throws -> (body: String, events: [AuditEvent]) {
        let outcome = try await decisions.authzen(
            operation, body: Array(body.utf8), taskCredential: nil, tasks: tasks, approvals: approvals, audit: requester)
        return (String(decoding: outcome.body, as: UTF8.self), outcome.events)
    }

    /// The `decision_id`s in a response, in order.
    static func decisionIDs(_ body: String) -> [String] {
        var ids: [String] = []
        var rest = body[...]
        while let range = rest.range(of: #""decision_id":""#) {
            let after = rest[range.upperBound...]
            guard let end = after.firstIndex(of: "\"") else { break }
            ids.append(String(after[..<end]))
            rest = after[end...]
        }
        return ids
    }
}
