import Crypto
import Foundation
import WritCore

/// Builds the tokens the credential tests present: honest ones through the ring, and
/// hostile ones written byte by byte and signed with real Ed25519 or HMAC keys.
enum CredentialForge {
    /// 2025-06-15T15:06:40Z, a whole second.
    static let t0 = Date(timeIntervalSince1970: 1_750_000_000)
    static let issuer = "https://writ.example"
    static let audience = "mcp-files"
    static let kid = "key-2025"

    /// Our key: a fixed seed, so every run signs the same bytes.
    static let key = SigningKeyRecord(id: kid, privateKey: (0..<32).map { UInt8($0 &* 7 &+ 3) }, createdAt: t0)
    /// Someone else's key, claiming our id.
    static let attackerKey = SigningKeyRecord(id: kid, privateKey: (0..<32).map { UInt8(200 &- $0) }, createdAt: t0)

    /// A ring over `keys`: grace 1 h, leeway 60 s, lifetime at most 15 min.
    static func ring(_ keys: [SigningKeyRecord] = [key], issuer: String = issuer) -> CredentialKeyRing {
        CredentialKeyRing(
            keys: keys, issuer: issuer, gracePeriod: .seconds(3600), leeway: .seconds(60), maxLifetime: .seconds(900))
    }

    /// Claims issued at `t0 + iat` seconds, expiring at `t0 + exp`.
    static func claims(
        agent: String = "agent-1", audience: [String] = [audience], taskID: String = "task-1",
        onBehalfOf: [String] = ["alice", "planner"], iat: Int = 0, exp: Int = 600
    ) -> TaskCredentialClaims {
        TaskCredentialClaims(
            issuer: issuer, agent: agent, audience: audience, taskID: taskID, onBehalfOf: onBehalfOf,
            issuedAt: t0 + TimeInterval(iat), expiresAt: t0 + TimeInterval(exp))
    }

    /// The code `ring.verify` refuses `token` with, at `t0 + at` seconds; nil when it accepts.
    static func refusal(
        _ token: String, ring: CredentialKeyRing = ring(), audience: String = audience, at seconds: TimeInterval = 10
    ) -> CredentialError.Code? {
        do {
            _ = try ring.verify(token, audience: audience, now: t0 + seconds)
            return nil
        } catch {
            return error.code
        }
    }

    // MARK: - Hand-written tokens

    static let header = #"{"alg":"EdDSA","typ":"writ-task+jwt","kid":"key-2025"}"#

    /// A claims set as JSON text. Each argument is raw JSON for that claim; nil leaves it out.
    static func claimsJSON(
        iss: String? = #""https://writ.example""#, sub: String? = #""agent-1""#, aud: String? = #"["mcp-files"]"#,
        jti: String? = #""task-1""#, iat: String? = "1750000000", exp: String? = "1750000600", extra: String = ""
    ) -> String {
        let members = [("iss", iss), ("sub", sub), ("aud", aud), ("jti", jti), ("iat", iat), ("exp", exp)]
            .compactMap { name, value in value.map { "\"\(name)\":\($0)" } }
        return "{" + (members + (extra.isEmpty ? [] : [extra])).joined(separator: ",") + "}"
    }

    /// `header.claims.signature`, the signature by `key`'s Ed25519 key over the first two segments.
    static func token(
        header: String = header, claims: String = claimsJSON(), signedWith key: SigningKeyRecord = key
    ) throws -> String {
        try token(segments: base64URL(header.utf8), base64URL(claims.utf8), signedWith: key)
    }

    /// Two segments as given, and the signature by `key` over them.
    static func token(
        segments header: String, _ claims: String, signedWith key: SigningKeyRecord = key
    ) throws -> String {
        let input = header + "." + claims
        return input + "." + base64URL(try ed25519(key, sign: Array(input.utf8)))
    }

    static func ed25519(_ key: SigningKeyRecord, sign message: [UInt8]) throws -> [UInt8] {
        Array(try Curve25519.Signing.PrivateKey(rawRepresentation: key.privateKey).signature(for: message))
    }

    static func publicKey(_ key: SigningKeyRecord) throws -> [UInt8] {
        Array(try Curve25519.Signing.PrivateKey(rawRepresentation: key.privateKey).publicKey.rawRepresentation)
    }

    // MARK: - base64url, done independently of the code under test

    static func base64URL(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func fromBase64URL(_ text: some StringProtocol) -> [UInt8]? {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        standard += String(repeating: "=", count: (4 - standard.count % 4) % 4)
        return Data(base64Encoded: standard).map(Array.init)
    }

    /// The segments of a compact token.
    static func segments(_ token: String) -> [String] {
        token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }

    /// The decoded JSON text of segment `index`.
    static func decodedText(_ token: String, segment index: Int) -> String {
        String(decoding: fromBase64URL(segments(token)[index]) ?? [], as: UTF8.self)
    }
}
