import Cedar
import HTTPTypes
import Hummingbird
import WritCore

extension WritServer {
    /// The five AuthZEN operations (`POST`, `application/json`, scope `decide`) and
    /// the PDP metadata document. A request about an agent carries the agent's task
    /// credential in the `Writ-Task-Credential` header (or `context.task_token`).
    func authZENRoutes(address: BoundAddress) -> [Route] {
        AuthZENOperation.allCases.map { operation in
            Route(.post, operation.path, scope: .decide) { request, context in
                try await decide(operation, request: request, context: context)
            }
        } + [
            Route(.get, "/.well-known/authzen-configuration", scope: nil) { _, _ in
                metadata(baseURL: configuration.publicBaseURL ?? address.baseURL ?? "")
            }
        ]
    }

    private func decide(_ operation: AuthZENOperation, request: Request, context: WritRequestContext) async throws -> Response {
        let started = ContinuousClock.now
        do {
            _ = try MediaTypeCheck.require(["application/json"], in: request)
            let body = try await RequestBodyReader.read(request, context: context, limit: service.configuration.limits.maxBodyBytes)
            let credential = try Self.presentedCredential(request)
            let outcome = try await service.authzen(
                operation, body: body, taskCredential: credential, tasks: tasks, approvals: approvals,
                audit: decisionAudit(context))
            metrics.recordDecisions(operation, outcome.decisions, duration: ContinuousClock.now - started)
            return JSONResponse.make(bytes: outcome.body)
        } catch {
            metrics.recordError(operation, duration: ContinuousClock.now - started)
            throw error
        }
    }

    /// The AuthZEN PDP metadata (`/.well-known/authzen-configuration`): the PDP
    /// identifier and the URL of each endpoint.
    private func metadata(baseURL: String) -> Response {
        var members: [(key: String, value: JSON)] = [("policy_decision_point", .string(baseURL))]
        for operation in AuthZENOperation.allCases {
            members.append(("\(operation.metadataName)_endpoint", .string(baseURL + operation.path)))
        }
        // The AuthZEN Obligations Profile: redactions come as `custom` obligations.
        members.append(("supported_obligations", .array([.string("custom")])))
        return JSONResponse.make(.members(members))
    }
}

extension AuthZENOperation {
    /// The stem of the operation's endpoint parameter in the PDP metadata.
    var metadataName: String {
        switch self {
        case .evaluation: "access_evaluation"
        case .evaluations: "access_evaluations"
        case .subjectSearch: "search_subject"
        case .resourceSearch: "search_resource"
        case .actionSearch: "search_action"
        }
    }
}
