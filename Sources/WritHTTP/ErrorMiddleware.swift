import HTTPTypes
import Hummingbird
import Logging
import WritCore

/// Turns whatever a route throws into Writ's JSON error response, so every error —
/// including Hummingbird's own 404 for an unknown path — has the same shape. A known
/// path asked with a method it does not serve becomes 405 with `Allow`.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = WritRequestContext

    let routes: RouteTable

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as WritError {
            return response(for: error, context: context)
        } catch let error as HTTPRefusal {
            return error.response
        } catch let error as any HTTPResponseError where error.status == .notFound {
            return notFound(request)
        } catch let error as any HTTPResponseError where error.status.code < 500 {
            return WritError(.invalidRequest, "the request was refused (HTTP \(error.status.code))")
                .response.with(status: error.status)
        } catch {
            context.logger.error(
                "unexpected error answering \(request.method) \(request.uri.path) (request \(context.requestID ?? "-")): \(error)")
            return WritError(.internalError, "internal error; the server log has the details").response
        }
    }

    private func response(for error: WritError, context: Context) -> Response {
        if error.code.httpStatus.code >= 500 {
            context.logger.warning("\(error.code) (request \(context.requestID ?? "-")): \(error.message)")
        }
        return error.response
    }

    /// 404, or 405 with `Allow` when the path exists under other methods.
    private func notFound(_ request: Request) -> Response {
        let path = request.uri.path
        let allowed = routes.methods(for: path)
        guard !allowed.isEmpty else {
            return WritError(.notFound, "no route `\(path.boundedForMessage)`").response
        }
        let list = allowed.map(\.rawValue).joined(separator: ", ")
        var response = WritError(
            .methodNotAllowed, "`\(path)` does not take \(request.method.rawValue.boundedForMessage); it takes \(list)"
        ).response
        response.headers[.allow] = list
        return response
    }
}

extension Response {
    /// This response with another status.
    func with(status: HTTPResponse.Status) -> Response {
        var copy = self
        copy.status = status
        return copy
    }
}

extension WritError.Code {
    /// A failure of the server itself (HTTP 500); never the answer to bad input.
    static let internalError = WritError.Code(rawValue: "internal_error")
}

extension String {
    /// The string shortened to at most 200 characters, for quoting input in messages.
    var boundedForMessage: String {
        count <= 200 ? self : String(prefix(200)) + "…"
    }
}
