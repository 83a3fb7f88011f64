import Cedar
import Foundation

extension AuditEvent {
    /// `key.created`: an API key was stored. Carries its id, name and scopes, never
    /// its secret or the secret's digest.
    package static func keyCreated(_ key: APIKeyRecord, actor: String?) -> AuditEvent {
        lifecycle(.keyCreated, time: key.createdAt, actor: actor, details: apiKeyDetails(key))
    }

    /// `key.revoked`: an API key authenticates nothing from `time` on.
    package static func keyRevoked(_ key: APIKeyRecord, at time: Date, actor: String?) -> AuditEvent {
        lifecycle(.keyRevoked, time: time, actor: actor, details: apiKeyDetails(key))
    }

    /// `key.rotated`: a new task-credential signing key was stored and `retired` were
    /// retired. Carries key ids only, never key material.
    package static func keyRotated(_ key: SigningKeyRecord, retired: [String], actor: String?) -> AuditEvent {
        lifecycle(
            .keyRotated, time: key.createdAt, actor: actor,
            details: [
                (key: "key", value: .string(key.id)), (key: "purpose", value: .string("task_credentials")),
                (key: "retired", value: AuditRecorder.strings(retired)),
            ])
    }

    private static func apiKeyDetails(_ key: APIKeyRecord) -> [(key: String, value: JSON)] {
        [
            (key: "key", value: .string(key.id)), (key: "name", value: .string(key.name)),
            (key: "scopes", value: AuditRecorder.strings(key.scopes.map(\.rawValue).sorted())),
        ]
    }
}
