import Synchronization

/// Tokens whose signature and claims format `CredentialKeyRing.verify` has already
/// checked, keyed by their exact UTF-8 bytes, so that an agent presenting the same
/// credential call after call pays for Ed25519 once.
///
/// Only what never changes for a given token is cached: that its bytes are a
/// well-formed credential signed by key `kid`. Everything that depends on the time,
/// the audience or the key's retirement is checked again on every use. Keys are bytes,
/// not `String`s, because `String ==` equates canonically equivalent text (a KELVIN
/// SIGN and a `K`), and a token is valid only in its one canonical encoding.
final class VerifiedCredentialCache: Sendable {
    struct Entry: Sendable {
        let kid: String
        let claims: DecodedClaims
    }

    private let capacity: Int
    private let entries = Mutex<[[UInt8]: Entry]>([:])

    /// A cache of at most `capacity` tokens; zero or less disables it.
    init(capacity: Int) {
        self.capacity = max(capacity, 0)
    }

    func entry(for token: [UInt8]) -> Entry? {
        guard capacity > 0 else { return nil }
        return entries.withLock { $0[token] }
    }

    /// Remembers a verified token. When full, the cache starts over: simpler than
    /// tracking use, and the working set (live credentials) refills it at once.
    func insert(_ entry: Entry, for token: [UInt8]) {
        guard capacity > 0 else { return }
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[token] = entry
        }
    }
}
