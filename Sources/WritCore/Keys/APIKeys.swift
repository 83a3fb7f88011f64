import Crypto
import Foundation

/// An API key as a caller presents it: `writ_<id>_<secret>`, where the id is 16 and
/// the secret 64 lowercase hexadecimal digits. The id is public (listings show it);
/// the secret is shown once, when the key is made, and stored only as its SHA-256
/// digest.
public struct APIKeyToken: Sendable, Equatable, CustomStringConvertible {
    /// The public key id: the `APIKeyRecord.id` it belongs to.
    public let id: String
    /// The secret part.
    public let secret: String

    static let prefix = "writ"
    static let idDigits = 16
    static let secretDigits = 64

    /// Reads a presented key; nil unless it has exactly the form `writ_<id>_<secret>`.
    public init?(parsing text: String) {
        let parts = text.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == Self.prefix,
              Self.isLowercaseHex(parts[1], count: Self.idDigits),
              Self.isLowercaseHex(parts[2], count: Self.secretDigits)
        else { return nil }
        self.id = String(parts[1])
        self.secret = String(parts[2])
    }

    init(id: String, secret: String) {
        self.id = id
        self.secret = secret
    }

    /// The key as a caller sends it: `writ_<id>_<secret>`.
    public var description: String { "\(Self.prefix)_\(id)_\(secret)" }

    private static func isLowercaseHex(_ text: Substring, count: Int) -> Bool {
        text.utf8.count == count && text.utf8.allSatisfy { byte in
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
        }
    }
}

/// Making and checking API keys: the one place secrets are generated, hashed and
/// compared, for the command line and the HTTP server alike.
public enum APIKeys {
    /// A new key: a random id and a random 32-byte secret from the system's
    /// cryptographically secure generator. Store `record`; show `token` once.
    public static func generate(
        name: String, scopes: Set<APIKeyScope>, now: Date = Date()
    ) -> (record: APIKeyRecord, token: APIKeyToken) {
        var generator = SystemRandomNumberGenerator()
        let id = hex(randomBytes(APIKeyToken.idDigits / 2, using: &generator))
        let secret = hex(randomBytes(APIKeyToken.secretDigits / 2, using: &generator))
        let record = APIKeyRecord(id: id, name: name, scopes: scopes, secretDigest: digest(ofSecret: secret), createdAt: now)
        return (record, APIKeyToken(id: id, secret: secret))
    }

    /// SHA-256 of a secret, as lowercase hex: what `APIKeyRecord.secretDigest` holds.
    public static func digest(ofSecret secret: String) -> String {
        hex(SHA256.hash(data: Array(secret.utf8)))
    }

    /// Whether `token` is the key `record` describes: the ids match, the key is not
    /// revoked, and the secret's digest equals the stored one. The digests are
    /// compared in time that does not depend on where they differ.
    public static func verify(_ token: APIKeyToken, against record: APIKeyRecord) -> Bool {
        guard record.revokedAt == nil, token.id.utf8.elementsEqual(record.id.utf8) else { return false }
        return constantTimeEqual(Array(digest(ofSecret: token.secret).utf8), Array(record.secretDigest.utf8))
    }

    /// Equal byte strings, compared without an early exit.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    private static func randomBytes(_ count: Int, using generator: inout SystemRandomNumberGenerator) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    private static func hex(_ bytes: some Sequence<UInt8>) -> String {
        ContentDigest.hex(bytes)
    }
}
