import HTTPTypes
import Hummingbird
import WritCore

extension WritServer {
    /// `POST /v1/filter` (scope `decide`): retrieval filtering, one subject and action
    /// on N candidate resources, answered with the allowed subset. A request about an
    /// agent carries its task credential in the `Writ-Task-Credential` header (or
    /// `context.task_token`). docs/CHECKPOINTS.md describes the request and response.
    func filterRoutes() -> [Route] {
        [
            Route(.post, "/v1/filter", scope: .decide) { request, context in
                _ = try MediaTypeCheck.require(["application/json"], in: request)
                let body = try await RequestBodyReader.read(request, context: context, limit: service.configuration.limits.maxBodyBytes)
                let credential = try Self.presentedCredential(request)
                let outcome = try await service.filter(
                    body: body, taskCredential: credential, tasks: tasks, approvals: approvals,
                    audit: decisionAudit(context))
                return JSONResponse.make(bytes: outcome.body)
            }
        ]
    }
}
