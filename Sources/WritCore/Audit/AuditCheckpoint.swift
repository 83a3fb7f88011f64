import Crypto
import Foundation

/// A signed statement that the log had `size` records ending in `headHash` at `time`:
/// Ed25519 over the domain `writ.audit.checkpoint.v1`, the size, the head hash, the
/// time in microseconds and the key id, each as a canonical field (docs/AUDIT.md).
public struct AuditCheckpoint: Sendable, Equatable {
    /// The domain that separates checkpoint signatures from every other use of the key.
    public static let domain = "writ.audit.checkpoint.v1"

    /// How many records the log had.
    public var size: Int
    /// The hash of record `size` (32 zero bytes for size 0).
    public var headHash: [UInt8]
    /// Microseconds since 1970-01-01T00:00:00Z.
    public var timeMicros: Int64
    /// The signing key's id: the first 16 bytes of SHA-256 of its public key, hex.
    public var keyID: String
    /// The raw 32-byte Ed25519 public key.
    public var publicKey: [UInt8]
    /// The 64-byte Ed25519 signature over `signedBytes`.
    public var signature: [UInt8]

    public init(size: Int, headHash: [UInt8], timeMicros: Int64, keyID: String, publicKey: [UInt8], signature: [UInt8]) {
        self.size = size
        self.headHash = headHash
        self.timeMicros = timeMicros
        self.keyID = keyID
        self.publicKey = publicKey
        self.signature = signature
    }

    /// The bytes the signature covers.
    public var signedBytes: [UInt8] {
        Self.signedBytes(size: size, headHash: headHash, timeMicros: timeMicros, keyID: keyID)
    }

    static func signedBytes(size: Int, headHash: [UInt8], timeMicros: Int64, keyID: String) -> [UInt8] {
        var bytes = AuditCanonical.field(Array(domain.utf8))
        AuditCanonical.appendInteger(Int64(size), to: &bytes)
        AuditCanonical.appendField(headHash, to: &bytes)
        AuditCanonical.appendInteger(timeMicros, to: &bytes)
        AuditCanonical.appendField(Array(keyID.utf8), to: &bytes)
        return bytes
    }

    /// Why the checkpoint does not verify on its own, or nil: the public key must be
    /// an Ed25519 key with this key id and the signature must verify.
    public var signatureProblem: String? {
        guard size >= 0, headHash.count == 32 else { return "it is malformed" }
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else {
            return "its public key is not an Ed25519 key"
        }
        guard AuditSigningKey.keyID(publicKey: publicKey) == keyID else {
            return "its key id `\(keyID)` is not its public key's"
        }
        guard key.isValidSignature(signature, for: signedBytes) else { return "its signature does not verify" }
        return nil
    }
}

/// The Ed25519 key that signs checkpoints. It lives in a file outside the database
/// (mode 0600), so that database access alone cannot sign.
public struct AuditSigningKey: Sendable {
    /// The file name in the data directory by default.
    public static let defaultFileName = "audit-signing-key"

    let privateKey: Curve25519.Signing.PrivateKey
    /// The raw public key.
    public let publicKey: [UInt8]
    /// The first 16 bytes of SHA-256 of the public key, hex.
    public let keyID: String

    init(privateKey: Curve25519.Signing.PrivateKey) {
        self.privateKey = privateKey
        self.publicKey = Array(privateKey.publicKey.rawRepresentation)
        self.keyID = Self.keyID(publicKey: publicKey)
    }

    /// A new random key (not stored).
    public static func generate() -> AuditSigningKey {
        AuditSigningKey(privateKey: Curve25519.Signing.PrivateKey())
    }

    /// The id of `publicKey`.
    public static func keyID(publicKey: [UInt8]) -> String {
        Array(SHA256.hash(data: publicKey).prefix(16)).auditHex
    }

    /// Signs a checkpoint of `head` at `time`.
    public func sign(_ head: AuditHead, at time: Date) throws(WritError) -> AuditCheckpoint {
        let micros = AuditCanonical.microseconds(time)
        let bytes = AuditCheckpoint.signedBytes(size: head.sequence, headHash: head.hash, timeMicros: micros, keyID: keyID)
        let signature: Data
        do {
            signature = try privateKey.signature(for: bytes)
        } catch {
            throw WritError(.storeUnavailable, "cannot sign the audit checkpoint: \(error)")
        }
        return AuditCheckpoint(
            size: head.sequence, headHash: head.hash, timeMicros: micros, keyID: keyID, publicKey: publicKey,
            signature: Array(signature))
    }

    /// Reads the key in `path` (a line of 64 hex digits: the private seed), or, when
    /// the file does not exist and `create` is true, generates one and writes it with
    /// mode 0600. Never logs or returns the seed.
    /// - Throws: `.corruptState` when the file is not a key or others may read it;
    ///   `.storeUnavailable` when it cannot be read or written.
    public static func load(path: String, create: Bool) throws(WritError) -> AuditSigningKey {
        let manager = FileManager.default
        if !manager.fileExists(atPath: path) {
            guard create else { throw WritError(.notFound, "the audit signing key `\(path)` does not exist") }
            let key = generate()
            let text = Array(key.privateKey.rawRepresentation).auditHex + "\n"
            try AuditFiles.writeAtomically(Array(text.utf8), to: path, mode: 0o600)
            return key
        }
        let attributes = try? manager.attributesOfItem(atPath: path)
        let permissions = attributes?[.posixPermissions]
        if let mode = (permissions as? Int) ?? (permissions as? NSNumber)?.intValue, mode & 0o077 != 0 {
            throw WritError(
                .corruptState,
                "the audit signing key `\(path)` may be read by others (mode \(String(mode, radix: 8))); make it 0600")
        }
        guard let data = manager.contents(atPath: path) else {
            throw WritError(.storeUnavailable, "cannot read the audit signing key `\(path)`")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let seed = [UInt8](auditHex: text), seed.count == 32,
            let privateKey = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed)
        else {
            throw WritError(.corruptState, "the audit signing key `\(path)` is not 64 hexadecimal digits")
        }
        return AuditSigningKey(privateKey: privateKey)
    }
}
