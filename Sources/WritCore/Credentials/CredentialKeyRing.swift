import Crypto
import Foundation

/// The keys that sign and verify task credentials: EdDSA (Ed25519) JWTs whose header
/// is exactly `{"alg":"EdDSA","typ":"writ-task+jwt","kid":…}`.
///
/// Signs with the newest key that is not retired. Verifies with any key that is not
/// retired, or was retired less than `gracePeriod` before the verification time, so
/// credentials issued just before a rotation keep working until they expire; after
/// that a retired key's tokens fail with `.unknownKey`, as do those of a key that is
/// no longer in the ring at all.
///
/// The ring is immutable: rotating keys means building a new ring from the store.
/// Records whose id is not a valid `kid` or whose private key is not 32 bytes are
/// ignored, as are all records of an id that appears more than once; tokens naming
/// them fail with `.unknownKey`.
public final class CredentialKeyRing: Sendable {
    /// The longest token accepted, in UTF-8 bytes (8 KiB).
    public static let maxTokenBytes = 8192
    /// The longest on-behalf-of chain (`act` nesting) accepted or signed.
    public static let maxActorDepth = 8
    /// The leeway never exceeds this, whatever the configuration says.
    public static let maxLeeway: Duration = .seconds(300)

    /// The `iss` every credential of this ring carries.
    public let issuer: String
    /// How long a retired key still verifies.
    public let gracePeriod: Duration
    /// The clock skew tolerated on `exp`, `nbf` and `iat`, in whole seconds.
    public let leeway: Duration
    /// The longest `exp - iat` signed or accepted.
    public let maxLifetime: Duration

    struct Key: Sendable {
        let id: String
        let privateKey: Curve25519.Signing.PrivateKey
        let publicKey: Curve25519.Signing.PublicKey
        let createdAt: Date
        let retiredAt: Date?
    }

    /// Usable keys in the order given (oldest first, as stores list them).
    let keys: [Key]
    /// Usable keys by id; the only place a `kid` is ever looked up.
    let keysByID: [String: Key]
    /// The newest key that is not retired.
    let signingKey: Key?
    /// Tokens already verified once, by their bytes.
    let cache: VerifiedCredentialCache
    let graceSeconds: Int64
    let leewaySeconds: Int64
    let maxLifetimeSeconds: Int64

    /// A ring over `keys` (oldest first).
    /// - Parameters:
    ///   - gracePeriod: how long after its retirement a key still verifies; make it
    ///     at least `maxLifetime`, so that rotating never cuts a credential short.
    ///   - leeway: tolerated clock skew, rounded down to whole seconds and capped at
    ///     `maxLeeway`. A credential is accepted while `now < exp + leeway`, and from
    ///     `nbf - leeway` and `iat - leeway` on.
    ///   - maxLifetime: the longest `exp - iat`, in whole seconds.
    ///   - cacheCapacity: how many verified tokens to remember, so that presenting a
    ///     credential again skips its signature check (0 turns this off).
    public init(
        keys records: [SigningKeyRecord], issuer: String, gracePeriod: Duration, leeway: Duration = .seconds(60),
        maxLifetime: Duration, cacheCapacity: Int = 4096
    ) {
        cache = VerifiedCredentialCache(capacity: cacheCapacity)
        self.issuer = issuer
        self.gracePeriod = gracePeriod
        self.maxLifetime = maxLifetime
        graceSeconds = Self.wholeSeconds(gracePeriod, cap: TaskCredentialClaims.maxTimestamp)
        leewaySeconds = Self.wholeSeconds(leeway, cap: Self.wholeSeconds(Self.maxLeeway, cap: .max))
        maxLifetimeSeconds = Self.wholeSeconds(maxLifetime, cap: TaskCredentialClaims.maxTimestamp)
        self.leeway = .seconds(leewaySeconds)

        var counts: [String: Int] = [:]
        for record in records { counts[record.id, default: 0] += 1 }
        var usable: [Key] = []
        for record in records where JOSEHeader.isValidKID(record.id) && counts[record.id] == 1 {
            guard let privateKey = try? Curve25519.Signing.PrivateKey(rawRepresentation: record.privateKey),
                record.privateKey.count == 32
            else { continue }
            usable.append(
                Key(id: record.id, privateKey: privateKey, publicKey: privateKey.publicKey, createdAt: record.createdAt,
                    retiredAt: record.retiredAt))
        }
        self.keys = usable
        keysByID = Dictionary(uniqueKeysWithValues: usable.map { ($0.id, $0) })
        // The newest by creation time; among equal times, the later record.
        signingKey = usable.filter { $0.retiredAt == nil }.enumerated()
            .max { ($0.element.createdAt, $0.offset) < ($1.element.createdAt, $1.offset) }?.element
    }

    /// The id of the key `sign` uses, or nil when the ring cannot sign.
    public var signingKeyID: String? { signingKey?.id }

    /// The key `kid` names, if it may verify at `now`. `kid` must already be valid.
    func verificationKey(_ kid: String, now: Date) throws(CredentialError) -> Key {
        guard let key = keysByID[kid] else {
            throw CredentialError(.unknownKey, "no key has the id `\(kid)`")
        }
        // Written as the condition to accept, so that a NaN date refuses.
        if let retiredAt = key.retiredAt, !(now < retiredAt.addingTimeInterval(TimeInterval(graceSeconds))) {
            throw CredentialError(
                .unknownKey, "the key `\(kid)` was retired at \(CredentialError.describe(retiredAt)), longer ago than the grace period")
        }
        return key
    }

    /// `duration` in whole seconds, rounded down, within 0…`cap`.
    private static func wholeSeconds(_ duration: Duration, cap: Int64) -> Int64 {
        min(max(duration.components.seconds, 0), cap)
    }
}
