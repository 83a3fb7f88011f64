import HTTPTypes
import Hummingbird
import WritCore

/// Decides whether a request may use a route that needs `scope`.
///
/// The rule: with `AuthMode.off` nothing is checked. With `.required`, every
/// decision and management request needs a valid key. With `.auto` (the default),
/// a key is required as soon as a key has been created — so a fresh server on
/// loopback works without setup, creating the first key locks it, and revoking
/// every key leaves it locked (failing closed, never reopening). A key is sent
/// as `Authorization: Bearer writ_<id>_<secret>`; a missing, malformed, unknown or
/// revoked key is 401, a valid key without the scope is 403.
struct Authenticator: Sendable {
    let mode: WritServer.AuthMode
    let directory: APIKeyDirectory

    /// The key the request authenticated with (nil when none was needed), or the
    /// refusal.
    func authenticate(_ request: Request, scope: APIKeyScope) async throws -> APIKeyRecord? {
        if mode == .off { return nil }
        let keys = try await directory.snapshot()
        if mode == .auto && !keys.anyKeyEverCreated { return nil }
        let presented = request.headers[values: .authorization]
        guard !presented.isEmpty else {
            throw HTTPRefusal.unauthenticated(
                "this server requires an API key: send `Authorization: Bearer writ_<id>_<secret>`", tokenPresented: false)
        }
        guard presented.count == 1 else {
            throw HTTPRefusal.unauthenticated("send one Authorization header, not \(presented.count)", tokenPresented: true)
        }
        let parts = presented[0].split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw HTTPRefusal.unauthenticated("the Authorization header must use the Bearer scheme", tokenPresented: true)
        }
        guard let token = APIKeyToken(parsing: parts[1].trimmingSpaces) else {
            throw HTTPRefusal.unauthenticated("the bearer token is not a Writ API key (`writ_<id>_<secret>`)", tokenPresented: true)
        }
        guard let record = keys.active[token.id], APIKeys.verify(token, against: record) else {
            throw HTTPRefusal.unauthenticated("the API key is unknown, revoked or wrong", tokenPresented: true)
        }
        guard record.scopes.contains(scope) else {
            throw WritError(
                .forbidden, "API key `\(record.name)` (\(record.id)) does not have the `\(scope.rawValue)` scope this route needs")
        }
        return record
    }
}
