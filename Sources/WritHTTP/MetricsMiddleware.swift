import HTTPTypes
import Hummingbird

/// Counts every response by method, route pattern and status. Unknown paths are
/// counted as route `unmatched`, so arbitrary paths cannot grow the label set;
/// methods outside the usual few are counted as `other`.
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = WritRequestContext

    let metrics: WritMetrics
    static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let response = try await next(request, context)
        let route = context.endpointPath.flatMap { $0 == "NotFound" ? nil : $0 } ?? "unmatched"
        let method = Self.knownMethods.contains(request.method.rawValue) ? request.method.rawValue : "other"
        metrics.recordRequest(method: method, route: route, status: Int(response.status.code))
        return response
    }
}
