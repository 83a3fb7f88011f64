import Foundation
import WritCore

/// examples/checkpoints with 1,000 more documents in its knowledge base, one open task
/// for `assistant`, and a filter request naming all of them: one in ten is labelled
/// `secret` (denied by `retrieve-no-secrets`), one in five is in the `hr` dataset
/// (allowed, and the task learns `pii`), the rest plain `kb` documents.
struct FilterDecision: Sendable {
    static let count = 1_000

    let service: DecisionService
    let tasks: TaskService
    let credential: String
    /// `POST /v1/filter` with the 1,000 candidates.
    let filterBody: [UInt8]
    /// The same candidates as an AuthZEN `evaluations` batch.
    let evaluationsBody: [UInt8]

    init() throws {
        let ids = (0..<Self.count).map { "doc-\($0)" }
        let service = try blocking {
            try await decisionService("checkpoints", extraEntities: ids.enumerated().map { index, id in
                let dataset = index % 5 == 0 ? "hr" : "kb"
                return [
                    "uid": ["type": "Writ::Document", "id": id],
                    "attrs": [
                        "uri": "files://\(dataset)/\(id)", "dataset": ["__entity": ["type": "Writ::Dataset", "id": dataset]],
                        "labels": index % 10 == 3 ? ["secret"] : [],
                    ] as [String: Any],
                    "parents": [["type": "Writ::Dataset", "id": dataset]],
                ] as [String: Any]
            })
        }
        let tasks = taskService(service)
        let opened = try openTask(tasks, agent: "assistant", example: "checkpoints", mandate: "assistant.cedar")
        self.service = service
        self.tasks = tasks
        credential = opened.credential!
        let subject = #""subject": {"type": "agent", "id": "assistant"}, "action": {"name": "retrieve"}"#
        let resources = ids.map { #"{"type": "document", "id": "\#($0)"}"# }
        filterBody = Array("{\(subject), \"resources\": [\(resources.joined(separator: ", "))]}".utf8)
        let items = resources.map { #"{"resource": \#($0)}"# }
        evaluationsBody = Array("{\(subject), \"evaluations\": [\(items.joined(separator: ", "))]}".utf8)
        let first = try blocking { [self] in try await self.filter() }
        let answer = try JSONSerialization.jsonObject(with: Data(first.body)) as? [String: Any]
        let allowed = (answer?["allowed"] as? [Any])?.count ?? 0
        precondition(allowed == 900, "900 of the 1,000 candidates must be allowed, not \(allowed)")
        let batch = try blocking { [self] in try await self.evaluations() }
        precondition(batch.decisions == first.decisions, "the batch must decide as the filter does")
    }

    func filter() async throws -> AuthZENOutcome {
        try await service.filter(body: filterBody, taskCredential: credential, tasks: tasks)
    }

    func evaluations() async throws -> AuthZENOutcome {
        try await service.authzen(.evaluations, body: evaluationsBody, taskCredential: credential, tasks: tasks)
    }
}
