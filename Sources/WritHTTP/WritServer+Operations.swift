import Cedar
import HTTPTypes
import Hummingbird
import WritCore

extension WritServer {
    /// Health, metrics and the API description; none needs a key.
    func operationRoutes() -> [Route] {
        [
            Route(.get, "/livez", scope: nil) { _, _ in
                JSONResponse.make(.members([("status", .string("live"))]))
            },
            Route(.get, "/readyz", scope: nil) { _, _ in
                await readiness()
            },
            Route(.get, "/metrics", scope: nil) { _, _ in
                Response(
                    status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                    body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
            },
            Route(.get, "/openapi.json", scope: nil) { _, _ in
                JSONResponse.text(OpenAPIDocument.json, contentType: "application/json")
            },
        ]
    }

    /// 200 with the active version when a policy set is loaded and the store answers;
    /// 503 with the reason otherwise.
    private func readiness() async -> Response {
        switch service.readiness {
        case .notReady(let reason):
            return notReady(reason)
        case .ready(let version):
            do {
                _ = try await service.store.entityRevision()
            } catch {
                return notReady("the store is not reachable: \(error.message)")
            }
            return JSONResponse.make(.members([
                ("status", .string("ready")), ("policy_set_version", .integer(version.version)),
                ("digest", .string(version.digest)), ("mode", .string(service.configuration.mode.rawValue)),
            ]))
        }
    }

    private func notReady(_ reason: String) -> Response {
        JSONResponse.make(.members([("status", .string("not_ready")), ("reason", .string(reason))]), status: .serviceUnavailable)
    }
}
