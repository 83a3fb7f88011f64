import Foundation

/// The claims of a task credential: an EdDSA-signed JWT (header `typ`
/// `writ-task+jwt`) that lets one agent act inside one task.
///
/// On the wire (RFC 7519 names): `iss`, `sub` (the agent), `aud` (an array),
/// `jti` (the task id), `iat`, `exp` and, when `onBehalfOf` is not empty, `act`.
/// `act` nests as RFC 8693 §4.1 does: `{"sub": onBehalfOf[0], "act": {"sub":
/// onBehalfOf[1], …}}`. Times are whole seconds since 1970.
///
/// Revocation is not the credential's business: the task service checks `taskID`
/// against the task's state on every use, never the token bytes.
public struct TaskCredentialClaims: Sendable, Equatable {
    /// `iss`: who issued the credential (the Writ deployment).
    public var issuer: String
    /// `sub`: the `Writ::Agent` id the credential belongs to.
    public var agent: String
    /// `aud`: the services the credential is for; never empty.
    public var audience: [String]
    /// `jti`: the task id. Revocation is keyed on it.
    public var taskID: String
    /// The on-behalf-of chain from `act`, outermost first: the user, then each
    /// parent agent. Empty when the token has no `act`.
    public var onBehalfOf: [String]
    /// `iat`, in whole seconds.
    public var issuedAt: Date
    /// `exp`, in whole seconds; never later than the task's expiry.
    public var expiresAt: Date

    public init(
        issuer: String, agent: String, audience: [String], taskID: String, onBehalfOf: [String],
        issuedAt: Date, expiresAt: Date
    ) {
        self.issuer = issuer
        self.agent = agent
        self.audience = audience
        self.taskID = taskID
        self.onBehalfOf = onBehalfOf
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
    }

    /// Claims are equal when every string is equal scalar for scalar (never
    /// normalised: `é` and `e` + U+0301 differ) and the times are equal.
    public static func == (lhs: TaskCredentialClaims, rhs: TaskCredentialClaims) -> Bool {
        func same(_ a: String, _ b: String) -> Bool { a.unicodeScalars.elementsEqual(b.unicodeScalars) }
        func same(_ a: [String], _ b: [String]) -> Bool { a.count == b.count && zip(a, b).allSatisfy(same) }
        return same(lhs.issuer, rhs.issuer) && same(lhs.agent, rhs.agent) && same(lhs.audience, rhs.audience)
            && same(lhs.taskID, rhs.taskID) && same(lhs.onBehalfOf, rhs.onBehalfOf)
            && lhs.issuedAt == rhs.issuedAt && lhs.expiresAt == rhs.expiresAt
    }
}
