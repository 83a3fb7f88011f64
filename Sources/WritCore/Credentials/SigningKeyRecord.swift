import Crypto
import Foundation

/// A stored Ed25519 key that signs task credentials.
///
/// The private key is kept as its 32-byte seed (RFC 8032 §5.1.5), which is also what
/// swift-crypto calls its raw representation. `description` never shows it.
public struct SigningKeyRecord: Sendable, Equatable, CustomStringConvertible {
    /// The key id (`kid`): 1 to 64 characters of `[A-Za-z0-9_-]`. A key with any
    /// other id is never used.
    public var id: String
    /// The 32-byte Ed25519 private key seed.
    public var privateKey: [UInt8]
    public var createdAt: Date
    /// When the key stopped signing; it still verifies for the ring's grace period.
    public var retiredAt: Date?

    public init(id: String, privateKey: [UInt8], createdAt: Date, retiredAt: Date? = nil) {
        self.id = id
        self.privateKey = privateKey
        self.createdAt = createdAt
        self.retiredAt = retiredAt
    }

    /// A new key from the system's secure random source, with a random 22-character
    /// id (128 bits, base64url).
    public static func generate(now: Date) -> SigningKeyRecord {
        let key = Curve25519.Signing.PrivateKey()
        let id = SymmetricKey(size: .bits128).withUnsafeBytes { Base64URL.encode(Array($0)) }
        return SigningKeyRecord(id: id, privateKey: Array(key.rawRepresentation), createdAt: now)
    }

    /// The id and dates; the private key is left out.
    public var description: String {
        let retired = retiredAt.map(CredentialError.describe) ?? "nil"
        return "SigningKeyRecord(id: \(id), createdAt: \(CredentialError.describe(createdAt)), retiredAt: \(retired))"
    }
}
