import Foundation

/// What an API key may do. Deciding and administering are separate: a PEP's key
/// cannot change policies.
public enum APIKeyScope: String, Sendable, Hashable, Codable, CaseIterable {
    /// Call the AuthZEN decision and search APIs.
    case decide
    /// Call the management API (`/v1/policies`, `/v1/schema`, `/v1/entities`).
    case manage
    /// Open, close and list tasks (`/v1/tasks`) for any user: give it to the
    /// orchestrator or front end that authenticated the user.
    case tasks
    /// Approve or refuse approvals (`/v1/approvals`): give it to the people (or the
    /// front end acting for them) who decide what agents may do when policies ask.
    case approve
    /// Read the audit log (`GET /v1/audit`): give it to auditors and the tools that
    /// collect the log.
    case audit
}

/// A stored API key. The secret itself is never stored: only its SHA-256 digest.
public struct APIKeyRecord: Sendable, Equatable {
    /// The public key id, also the first part of the presented key (`writ_<id>_<secret>`).
    public var id: String
    /// A human name (`todo-backend`), shown in listings and recorded as the author of
    /// changes made with the key.
    public var name: String
    public var scopes: Set<APIKeyScope>
    /// SHA-256 of the secret part, lowercase hex.
    public var secretDigest: String
    public var createdAt: Date
    /// When the key was revoked; a revoked key authenticates nothing.
    public var revokedAt: Date?
    public init(
        id: String, name: String, scopes: Set<APIKeyScope>, secretDigest: String,
        createdAt: Date, revokedAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.scopes = scopes
        self.secretDigest = secretDigest
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}
