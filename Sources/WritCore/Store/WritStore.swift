import Foundation

/// Versioned policy sets. Versions are appended, never changed; the active version
/// is the latest one.
public protocol PolicyStore: Sendable {
    /// The latest version, or nil when none has been stored.
    func latestPolicySet() async throws(WritError) -> PolicySetRecord?
    /// One version, or nil when it does not exist.
    func policySet(version: Int) async throws(WritError) -> PolicySetRecord?
    /// Summaries of stored versions, newest first, at most `limit` (none when
    /// `limit` is zero or negative), only versions older than `before` when it is given.
    func policySetHistory(limit: Int, before: Int?) async throws(WritError) -> [PolicySetSummary]
    /// Appends `draft` as the next version — atomically, and only if the latest
    /// version is still `expectedLatest` (nil: no version yet); otherwise throws
    /// `.conflict` and stores nothing.
    func appendPolicySet(_ draft: PolicySetDraft, expectedLatest: Int?) async throws(WritError) -> PolicySetRecord
}

/// The entity store: the attributes and hierarchy policies read.
public protocol EntityStore: Sendable {
    /// Every stored entity, ordered by type then id (Unicode scalar order).
    func allEntities() async throws(WritError) -> [StoredEntity]
    /// Inserts or replaces entities by uid, all or none. When one uid appears more
    /// than once, the last one is stored.
    func upsertEntities(_ entities: [StoredEntity]) async throws(WritError)
    /// Deletes entities by uid, all in one transaction; returns how many existed
    /// (a uid listed twice counts once).
    func deleteEntities(_ keys: [StoredEntityKey]) async throws(WritError) -> Int
    /// Replaces the whole entity set in one transaction. When one uid appears more
    /// than once, the last one is stored.
    func replaceAllEntities(_ entities: [StoredEntity]) async throws(WritError)
    /// A number that changes whenever the entity set changes (for caches); reading
    /// never changes it. It never returns to an earlier value, even when the
    /// entities do.
    func entityRevision() async throws(WritError) -> Int
}

/// API keys for PEPs and administrators.
public protocol APIKeyStore: Sendable {
    /// Stores a new key; `.conflict` when its id exists (ids are compared as exact
    /// Unicode scalars).
    func insertAPIKey(_ key: APIKeyRecord) async throws(WritError)
    /// The key with this id, revoked or not; nil when unknown.
    func apiKey(id: String) async throws(WritError) -> APIKeyRecord?
    /// Every key, revoked ones included, oldest first: by `createdAt`, then in the
    /// order they were inserted.
    func allAPIKeys() async throws(WritError) -> [APIKeyRecord]
    /// Marks a key revoked at `date`; returns false when no unrevoked key has this id.
    func revokeAPIKey(id: String, at date: Date) async throws(WritError) -> Bool
}

/// Everything the decision service needs from a store. SQLite and PostgreSQL
/// implement it; `MemoryStore` does too, for embedding and tests.
public protocol WritStore: PolicyStore, EntityStore, APIKeyStore, SigningKeyStore, ApprovalStore, AuditCounterStore, InventoryStore {
    /// What this store can do beyond the protocol's guarantees.
    var capabilities: StoreCapabilities { get }
}

/// Optional store abilities, so the conformance suite runs only the cases a store
/// claims.
public struct StoreCapabilities: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// State survives closing and reopening the store.
    public static let durable = StoreCapabilities(rawValue: 1 << 0)
    /// Several processes may share the store (PostgreSQL).
    public static let shared = StoreCapabilities(rawValue: 1 << 1)
}
