import Cedar
import Hummingbird
import WritCore

extension WritServer {
    /// `/v1/approvals`: listing, reading, approving and refusing approvals, with a key
    /// that has the `approve` scope — a person's, never an agent's: a task credential
    /// authenticates nothing here.
    func approvalRoutes() -> [Route] {
        [
            Route(.get, "/v1/approvals", scope: .approve) { request, _ in
                var state: ApprovalState?
                if let text = request.uri.queryParameters["state"] {
                    guard let parsed = ApprovalState(rawValue: String(text)) else {
                        throw WritError(
                            .invalidRequest,
                            "`state` must be pending, approved, refused or consumed, not `\(String(text).boundedForMessage)`")
                    }
                    state = parsed
                }
                let found = try await approvals.approvals(state: state)
                return JSONResponse.make(.members([("approvals", .array(found.map(\.json)))]))
            },
            Route(.get, "/v1/approvals/:id", scope: .approve) { _, context in
                let id = try approvalID(context)
                guard let approval = try await approvals.approval(id: id) else { throw ApprovalService.unknown(id) }
                return JSONResponse.make(approval.json)
            },
            Route(.post, "/v1/approvals/:id/approve", scope: .approve) { request, context in
                let id = try approvalID(context)
                let (scope, ttl) = try Self.grantOptions(try await optionalBody(request, context))
                let approved = try await approvals.approve(id: id, scope: scope, ttl: ttl, by: context.approver)
                return JSONResponse.make(approved.json)
            },
            Route(.post, "/v1/approvals/:id/refuse", scope: .approve) { request, context in
                let id = try approvalID(context)
                if case .object(let object)? = try await optionalBody(request, context), !object.isEmpty {
                    throw WritError(.invalidRequest, "refusing takes no members; the body has `\(object.keys[0].boundedForMessage)`")
                }
                return JSONResponse.make(try await approvals.refuse(id: id, by: context.approver).json)
            },
        ]
    }

    /// The largest approve or refuse body.
    static let maxApprovalBodyBytes = 4096

    /// `{"scope": "once" | "task", "ttl": seconds}`, both optional.
    static func grantOptions(_ body: JSON?) throws(WritError) -> (ApprovalScope, Duration?) {
        guard let body else { return (.once, nil) }
        guard case .object(let object) = body else {
            throw WritError(.wrongType, "the approval body must be a JSON object, not \(body.kindDescription)")
        }
        if let unknown = object.keys.first(where: { $0 != "scope" && $0 != "ttl" }) {
            throw WritError(.invalidRequest, "the approval body has an unknown member `\(unknown.boundedForMessage)`; it takes `scope` and `ttl`")
        }
        var scope = ApprovalScope.once
        if let value = object["scope"] {
            guard case .string(let text) = value, let parsed = ApprovalScope(rawValue: text) else {
                throw WritError(.wrongType, "`scope` must be \"once\" or \"task\"")
            }
            scope = parsed
        }
        var ttl: Duration?
        if let value = object["ttl"] {
            guard case .number(let number) = value, let seconds = number.int64 else {
                throw WritError(.wrongType, "`ttl` must be a whole number of seconds")
            }
            ttl = .seconds(seconds)
        }
        return (scope, ttl)
    }

    /// The JSON body, when the request has one.
    private func optionalBody(_ request: Request, _ context: WritRequestContext) async throws -> JSON? {
        let bytes = try await RequestBodyReader.read(request, context: context, limit: Self.maxApprovalBodyBytes)
        guard !bytes.isEmpty else { return nil }
        _ = try MediaTypeCheck.require(["application/json"], in: request)
        return try ManagementBody.parse(bytes, "approval", limits: limits)
    }

    private func approvalID(_ context: WritRequestContext) throws(WritError) -> String {
        guard let id = context.parameters.get("id"), !id.isEmpty else {
            throw WritError(.invalidRequest, "the path names no approval id")
        }
        return id
    }
}

extension WritRequestContext {
    /// Who decides an approval: the key's id, or `anonymous` when the request carried no key.
    var approver: String { caller?.id ?? "anonymous" }
}
