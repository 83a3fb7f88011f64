import Synchronization
import WritCore

/// The API keys the server checks requests against: a snapshot of the key store,
/// read again once it is older than `maxAge`, so keys made or revoked with
/// `writ keys` (another process) take effect within `maxAge`. If the store cannot be
/// read, authentication fails with `store_unavailable` (503): a request is never
/// let through because its key could not be checked.
final class APIKeyDirectory: Sendable {
    struct Snapshot: Sendable {
        /// Unrevoked keys by id.
        var active: [String: APIKeyRecord]
        /// Whether any key was ever created, revoked ones included.
        var anyKeyEverCreated: Bool
        var loadedAt: ContinuousClock.Instant
    }

    private let store: any APIKeyStore
    private let maxAge: Duration
    private let current = Mutex<Snapshot?>(nil)

    init(store: any APIKeyStore, maxAge: Duration) {
        self.store = store
        self.maxAge = maxAge
    }

    /// The unrevoked keys, at most `maxAge` old.
    func snapshot() async throws(WritError) -> Snapshot {
        let now = ContinuousClock.now
        if let cached = current.withLock({ $0 }), now - cached.loadedAt < maxAge {
            return cached
        }
        var active: [String: APIKeyRecord] = [:]
        let all = try await store.allAPIKeys()
        for key in all where key.revokedAt == nil {
            active[key.id] = key
        }
        let fresh = Snapshot(active: active, anyKeyEverCreated: !all.isEmpty, loadedAt: now)
        current.withLock { $0 = fresh }
        return fresh
    }
}
