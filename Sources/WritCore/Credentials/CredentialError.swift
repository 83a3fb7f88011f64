import Foundation

/// Why a task credential was refused, or could not be issued: a stable code and a
/// message naming the offending part of the token.
///
/// Every refusal is final: a caller treats any `CredentialError` from `verify` as
/// "no valid credential" (HTTP 401, AuthZEN deny). Codes exist so that logs, tests
/// and clients can tell the reasons apart; they never change what is allowed.
public struct CredentialError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable, machine-readable reason.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        // Shape and encoding
        /// Not a compact JWS of three segments, or a header or claims set that is not
        /// a JSON object of the expected member types, or not UTF-8.
        public static let malformed = Code(rawValue: "malformed")
        /// A segment that is not canonical unpadded base64url: `=` padding, a
        /// character outside `[A-Za-z0-9_-]`, an impossible length or non-zero unused bits.
        public static let invalidEncoding = Code(rawValue: "invalid_encoding")
        /// A token longer than `CredentialKeyRing.maxTokenBytes`.
        public static let tooLarge = Code(rawValue: "too_large")
        /// The same member twice in the header, the claims set or an `act` object.
        public static let duplicateMember = Code(rawValue: "duplicate_member")
        /// A header member, claim or `act` member this format does not define.
        public static let unknownMember = Code(rawValue: "unknown_member")

        // Header
        /// `alg` missing or not exactly `EdDSA` (`none`, `eddsa`, `Ed25519`, `HS256` …).
        public static let wrongAlg = Code(rawValue: "wrong_alg")
        /// `typ` missing or not exactly `writ-task+jwt`.
        public static let wrongTyp = Code(rawValue: "wrong_typ")
        /// A `crit` header: no JWS extension is understood, so none may be critical.
        public static let unsupportedCrit = Code(rawValue: "unsupported_crit")
        /// A header that carries or points at a key (`jwk`, `jku`, `x5u`, `x5c`,
        /// `x5t`, `x5t#S256`). Such keys are never fetched nor used.
        public static let keyHeader = Code(rawValue: "key_header")
        /// `kid` missing, not a string, empty, longer than 64 characters or with a
        /// character outside `[A-Za-z0-9_-]`.
        public static let invalidKID = Code(rawValue: "invalid_kid")
        /// A well-formed `kid` that names no key of the ring, or a key retired longer
        /// ago than the grace period.
        public static let unknownKey = Code(rawValue: "unknown_key")
        /// The signature is not 64 bytes or does not verify with the key `kid` names.
        public static let badSignature = Code(rawValue: "bad_signature")

        // Claims (checked only after the signature verifies)
        /// A required claim (`iss`, `sub`, `aud`, `jti`, `iat`, `exp`) is absent.
        public static let missingClaim = Code(rawValue: "missing_claim")
        /// A claim of the wrong type or value: a non-integer or out-of-range time
        /// (`1e300`, `1.5`, `"123"`), an empty string, an empty `aud`, `exp` not after
        /// `iat`, an `act` chain nested deeper than the limit.
        public static let invalidClaim = Code(rawValue: "invalid_claim")
        /// `iss` is not this ring's issuer.
        public static let wrongIssuer = Code(rawValue: "wrong_issuer")
        /// `aud` does not contain the audience the verifier expects.
        public static let wrongAudience = Code(rawValue: "wrong_audience")
        /// `exp` has passed, beyond the leeway.
        public static let expired = Code(rawValue: "expired")
        /// `nbf` or `iat` lies in the future, beyond the leeway.
        public static let notYetValid = Code(rawValue: "not_yet_valid")
        /// `exp - iat` exceeds the ring's maximum lifetime.
        public static let lifetimeTooLong = Code(rawValue: "lifetime_too_long")

        // Issuing
        /// The ring holds no usable key that is not retired, so it cannot sign.
        public static let noSigningKey = Code(rawValue: "no_signing_key")
    }

    public let code: Code
    /// A lowercase message that names the offending part of the token; quoted input
    /// is cut to a few dozen characters.
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// Errors are equal when their codes are, as `WritError`s are.
    public static func == (lhs: CredentialError, rhs: CredentialError) -> Bool { lhs.code == rhs.code }

    public var description: String { "\(code): \(message)" }
}

extension CredentialError {
    /// A date for a message. Describing a non-finite `Date` traps, and stored dates
    /// are input too, so those are shown as their number of seconds.
    static func describe(_ date: Date) -> String {
        date.timeIntervalSince1970.isFinite ? "\(date)" : "\(date.timeIntervalSince1970) s since 1970"
    }

    /// `text` in backticks, cut to 40 scalars, with control and non-ASCII scalars
    /// escaped, for quoting untrusted input in a message.
    static func quoted(_ text: String) -> String {
        var out = "`"
        for (i, scalar) in text.unicodeScalars.enumerated() {
            guard i < 40 else {
                out += "…"
                break
            }
            if (0x20...0x7E).contains(scalar.value) && scalar != "`" {
                out.unicodeScalars.append(scalar)
            } else {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return out + "`"
    }
}
