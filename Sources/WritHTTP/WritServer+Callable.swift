import Cedar
import HTTPTypes
import Hummingbird
import WritCore

extension WritServer {
    /// The most tools one `POST /v1/tools/callable` asks about.
    static let maxCallableTools = 10_000

    /// `POST /v1/tools/callable` (scope `decide`): which of `tools` (ids
    /// `<server>___<tool>`) the agent of the task credential in `Writ-Task-Credential`
    /// might call inside its task, for an MCP gateway's `tools/list`
    /// (`TaskService.callable`, docs/GATEWAY.md). Nothing is charged or recorded.
    /// Without a credential, or one that does not name a live task, none.
    func callableRoutes() -> [Route] {
        [
            Route(.post, "/v1/tools/callable", scope: .decide) { request, context in
                try await callable(request, context: context)
            }
        ]
    }

    private func callable(_ request: Request, context: WritRequestContext) async throws -> Response {
        _ = try MediaTypeCheck.require(["application/json"], in: request)
        let bytes = try await RequestBodyReader.read(request, context: context, limit: limits.maxBodyBytes)
        let credential = try Self.presentedCredential(request)
        let tools = try Self.toolIDs(try ManagementBody.parse(bytes, "tools", limits: limits))
        var callable: [String] = []
        if let credential, let tasks { callable = await tasks.callable(tools, credential: credential) }
        let answer: [JSON] = callable.map { JSON.string($0) }
        return JSONResponse.make(.members([("callable", .array(answer))]))
    }

    /// The `tools` member of a callable request: tool ids, at most `maxCallableTools`.
    private static func toolIDs(_ body: JSON) throws(WritError) -> [String] {
        let ids = try ManagementBody.decode("tools") { () throws(JSONError) -> [String] in
            let object = try body.asObject()
            try object.rejectUnknownKeys(allowed: ["tools"])
            return try object.decode("tools") { value throws(JSONError) in
                try value.decodeElements(expected: "an array of strings") { id throws(JSONError) in try id.asString() }
            }
        }
        guard ids.count <= maxCallableTools else {
            throw WritError(.tooLarge, "`tools` holds \(ids.count) ids; at most \(maxCallableTools) are decided at once")
        }
        return ids
    }

    /// The task credential in the request's `Writ-Task-Credential` header; nil when
    /// there is none, an error when there are several.
    static func presentedCredential(_ request: Request) throws(WritError) -> String? {
        let presented = request.headers[values: taskCredentialHeader]
        guard presented.count <= 1 else {
            throw WritError(.invalidRequest, "send one Writ-Task-Credential header, not \(presented.count)")
        }
        return presented.first
    }
}
