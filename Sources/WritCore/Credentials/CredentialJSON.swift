import Cedar

/// Reading the JSON inside a credential with Cedar's strict reader: RFC 8259 only,
/// UTF-8 only, and no duplicate member anywhere, so the header and claims mean one
/// thing to every reader.
enum CredentialJSON {
    /// Deep enough for the claims set with the longest `act` chain and a little more.
    static let limits = JSONLimits(maxDepth: CredentialKeyRing.maxActorDepth + 4, maxBytes: CredentialKeyRing.maxTokenBytes)

    /// The JSON object `bytes` hold; `what` names them in messages (`the header`).
    static func object(_ bytes: [UInt8], _ what: String) throws(CredentialError) -> JSONObject {
        let json: JSON
        do {
            json = try JSON.parse(bytes, limits: limits)
        } catch {
            switch error.code {
            case .duplicateKey:
                throw CredentialError(.duplicateMember, "\(what) has a duplicate member: \(error.message)")
            case .invalidUTF8:
                throw CredentialError(.malformed, "\(what) is not UTF-8: \(error.message)")
            default:
                throw CredentialError(.malformed, "\(what) is not JSON: \(error.description)")
            }
        }
        guard case .object(let object) = json else {
            throw CredentialError(.malformed, "\(what) is \(json.kindDescription), not a JSON object")
        }
        return object
    }

    /// Throws `code` for the first member of `object` whose key is not in `known`
    /// (keys compared by Unicode scalars).
    static func rejectUnknownMembers(
        _ object: JSONObject, known: [String], _ what: String
    ) throws(CredentialError) {
        for key in object.keys where !known.contains(where: { $0.unicodeScalars.elementsEqual(key.unicodeScalars) }) {
            throw CredentialError(.unknownMember, "\(what) has an unknown member \(CredentialError.quoted(key))")
        }
    }
}
