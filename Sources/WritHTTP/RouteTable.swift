import HTTPTypes
import Hummingbird
import WritCore

/// One route: method, path pattern (`:name` matches one segment), the scope a key
/// needs (nil: public), and the handler.
struct Route: Sendable {
    typealias Handler = @Sendable (Request, WritRequestContext) async throws -> Response

    let method: HTTPRequest.Method
    let path: String
    let scope: APIKeyScope?
    let handler: Handler

    init(_ method: HTTPRequest.Method, _ path: String, scope: APIKeyScope?, _ handler: @escaping Handler) {
        self.method = method
        self.path = path
        self.scope = scope
        self.handler = handler
    }

    /// Whether `path` (a request path) matches this route's pattern.
    func matches(path requestPath: String) -> Bool {
        let pattern = path.split(separator: "/", omittingEmptySubsequences: false)
        let actual = requestPath.split(separator: "/", omittingEmptySubsequences: false)
        guard pattern.count == actual.count else { return false }
        return zip(pattern, actual).allSatisfy { p, a in p.hasPrefix(":") ? !a.isEmpty : p == a }
    }
}

/// Every route the server serves: what the router is built from, and what answers
/// "which methods does this path take" for 405 responses.
struct RouteTable: Sendable {
    let routes: [Route]

    /// The methods served at `path`, in the table's order; empty for an unknown path.
    func methods(for path: String) -> [HTTPRequest.Method] {
        var methods: [HTTPRequest.Method] = []
        for route in routes where route.matches(path: path) && !methods.contains(route.method) {
            methods.append(route.method)
        }
        return methods
    }
}
