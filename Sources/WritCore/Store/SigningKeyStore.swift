import Foundation

/// The Ed25519 keys that sign task credentials (see `CredentialKeyRing`). Keys are
/// added and retired, never changed or deleted by Writ; a retired key keeps
/// verifying for the ring's grace period.
public protocol SigningKeyStore: Sendable {
    /// Stores a new key; `.conflict` when its id exists (ids are compared as exact
    /// Unicode scalars).
    func insertSigningKey(_ key: SigningKeyRecord) async throws(WritError)
    /// Every key, retired ones included, oldest first: by `createdAt`, then in the
    /// order they were inserted.
    func allSigningKeys() async throws(WritError) -> [SigningKeyRecord]
    /// Marks a key retired at `date`; returns false when no unretired key has this id.
    func retireSigningKey(id: String, at date: Date) async throws(WritError) -> Bool
}
