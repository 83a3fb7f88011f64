import Cedar
import Hummingbird
import WritCore

extension WritServer {
    /// `GET /v1/audit`: audit records matching query parameters, newest first by
    /// default, a page at a time (`next` is the `after` of the following page), with
    /// a key that has the `audit` scope.
    func auditRoutes() -> [Route] {
        [
            Route(.get, "/v1/audit", scope: .audit) { request, _ in
                var parameters: [(name: String, value: String)] = []
                for (name, value) in request.uri.queryParameters {
                    parameters.append((name: String(name), value: String(value)))
                }
                let query = try AuditQuery(parameters: parameters)
                return JSONResponse.make(try await service.store.auditPage(query).json)
            }
        ]
    }
}
