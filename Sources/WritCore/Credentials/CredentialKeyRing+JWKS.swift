import Cedar
import Crypto
import Foundation

extension CredentialKeyRing {
    /// The public keys that verify at the current time, as a JWK Set (RFC 7517,
    /// RFC 8037): `{"keys":[{"kty":"OKP","crv":"Ed25519","x":…,"kid":…,"alg":"EdDSA","use":"sig"}]}`.
    /// See `jwks(now:)`.
    public var jwks: [UInt8] { jwks(now: Date()) }

    /// The public keys that verify at `now` — every key not retired, and retired
    /// keys within their grace period — oldest first. Private keys never appear.
    public func jwks(now: Date) -> [UInt8] {
        var published: [JSON] = []
        for key in keys where (try? verificationKey(key.id, now: now)) != nil {
            published.append(.object([
                "kty": "OKP", "crv": "Ed25519", "x": .string(Base64URL.encode(Array(key.publicKey.rawRepresentation))),
                "kid": .string(key.id), "alg": .string(JOSEHeader.algorithm), "use": "sig",
            ]))
        }
        return JSON.object(["keys": .array(published)]).encodedBytes()
    }
}
