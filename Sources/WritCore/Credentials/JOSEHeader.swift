import Cedar

/// The protected header of a task credential: `{"alg":"EdDSA","typ":"writ-task+jwt","kid":…}`
/// and nothing else.
///
/// Reading follows RFC 8725 (and its update's §3.1, §3.11): every member is known, `alg`
/// and `typ` are compared exactly, no `crit` extension is accepted, and headers that
/// carry or point at a key are refused, never fetched.
struct JOSEHeader: Sendable, Equatable {
    static let algorithm = "EdDSA"
    static let type = "writ-task+jwt"
    static let maxKIDLength = 64

    /// Members that carry or locate a key; their presence alone refuses the token.
    private static let keyMembers = ["jwk", "jku", "x5u", "x5c", "x5t", "x5t#S256"]
    private static let knownMembers = ["alg", "typ", "kid"]

    /// The key id: 1 to 64 characters of `[A-Za-z0-9_-]`.
    var kid: String

    /// Whether `kid` is a key id this format allows; checked before any lookup.
    static func isValidKID(_ kid: String) -> Bool {
        let bytes = kid.utf8
        return !bytes.isEmpty && bytes.count <= maxKIDLength && bytes.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                return true
            default:
                return false
            }
        }
    }

    /// Reads a decoded header segment. Checks run in a fixed order, so a header with
    /// several faults always gives the same error: `crit`, key members, unknown
    /// members, then `alg`, `typ` and `kid`.
    static func decode(_ bytes: [UInt8]) throws(CredentialError) -> JOSEHeader {
        let object = try CredentialJSON.object(bytes, "the header")
        if object["crit"] != nil {
            throw CredentialError(.unsupportedCrit, "the header has `crit`; no JWS extension is supported")
        }
        for key in keyMembers where object[key] != nil {
            throw CredentialError(
                .keyHeader, "the header has `\(key)`; keys come only from the configured key ring")
        }
        try CredentialJSON.rejectUnknownMembers(object, known: knownMembers, "the header")
        guard case .string(let alg)? = object["alg"], alg.utf8.elementsEqual(algorithm.utf8) else {
            throw CredentialError(.wrongAlg, "the header's `alg` is \(describe(object["alg"])); only `EdDSA` is accepted")
        }
        guard case .string(let typ)? = object["typ"], typ.utf8.elementsEqual(type.utf8) else {
            throw CredentialError(
                .wrongTyp, "the header's `typ` is \(describe(object["typ"])); only `\(type)` is accepted")
        }
        guard case .string(let kid)? = object["kid"], isValidKID(kid) else {
            throw CredentialError(
                .invalidKID,
                "the header's `kid` is \(describe(object["kid"])); it must be 1 to \(maxKIDLength) characters of [A-Za-z0-9_-]")
        }
        return JOSEHeader(kid: kid)
    }

    /// The header's JSON bytes, members in a fixed order.
    func encoded() -> [UInt8] {
        JSON.object([
            "alg": .string(Self.algorithm), "typ": .string(Self.type), "kid": .string(kid),
        ]).encodedBytes()
    }

    /// A member's value for a message: quoted when a string, its kind otherwise.
    private static func describe(_ value: JSON?) -> String {
        switch value {
        case nil: return "missing"
        case .string(let text)?: return CredentialError.quoted(text)
        case let other?: return other.kindDescription
        }
    }
}
