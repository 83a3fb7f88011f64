import Cedar
import Crypto
import Foundation

/// What decision records keep of a request's values (docs/AUDIT-EVENTS.md).
///
/// A value a rule names is recorded as `{"sha256": hex}`, the HMAC-SHA256 under `salt`
/// of the value's canonical JSON (object keys in Unicode scalar order, no spaces), so
/// two records of the same value can be matched without either holding it. Members
/// that carry credentials — `task_token` and any member named like an
/// `Authorization` header, an API key, a password, a cookie or a secret
/// (`AuditConfiguration.isCredentialName(_:)`) — are never recorded, rule or not.
public struct AuditConfiguration: Sendable {
    /// One sensitive value: where it is in a request's `context`, for which requests.
    public struct SensitiveValue: Sendable, Equatable {
        /// Only requests on this resource, as a Cedar uid (`Writ::Tool::"pay"`); nil: any.
        public var resource: String?
        /// Only requests of this action, as a Cedar uid (`Writ::Action::"pay"`); nil: any.
        public var action: String?
        /// The members from the request's `context` down to the value: `["input", "card"]`
        /// is `context.input.card`.
        public var path: [String]

        public init(resource: String? = nil, action: String? = nil, path: [String]) {
            self.resource = resource
            self.action = action
            self.path = path
        }

        /// Whether the rule applies to a request on `resource` by `action`.
        func applies(resource: String?, action: String?) -> Bool {
            if let wanted = self.resource, !(resource.map { wanted.scalarsEqual($0) } ?? false) { return false }
            if let wanted = self.action, !(action.map { wanted.scalarsEqual($0) } ?? false) { return false }
            return true
        }
    }

    /// The HMAC key sensitive values are hashed with. A secret: it never appears in an
    /// event. `writ serve` keeps it in `audit-salt` in the data directory, made on first start.
    public var salt: [UInt8]
    /// The values recorded as salted hashes.
    public var sensitive: [SensitiveValue]

    /// No sensitive values, a fresh random salt.
    public init(salt: [UInt8] = AuditConfiguration.newSalt(), sensitive: [SensitiveValue] = []) {
        self.salt = salt
        self.sensitive = sensitive
    }

    /// 32 random bytes.
    public static func newSalt() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// Member names that are never recorded, compared without case and ignoring `-` and `_`.
    static let credentialNames: Set<String> = [
        "tasktoken", "authorization", "proxyauthorization", "cookie", "setcookie", "apikey", "xapikey",
        "writtaskcredential", "password", "secret", "clientsecret", "accesstoken", "refreshtoken", "idtoken",
        "credential", "credentials", "privatekey",
    ]

    /// Whether a member called `name` carries a credential and is left out of records.
    public static func isCredentialName(_ name: String) -> Bool {
        let folded = String(name.lowercased().unicodeScalars.filter { $0 != "-" && $0 != "_" })
        return credentialNames.contains(folded)
    }

    /// `{"sha256": hex}`: the HMAC-SHA256 under `salt` of `value`'s canonical JSON.
    package func hashed(_ value: JSON) -> JSON {
        let code = HMAC<SHA256>.authenticationCode(
            for: Self.canonical(value).encodedBytes(), using: SymmetricKey(data: salt))
        return .object(JSONObject(uniqueMembers: [(key: "sha256", value: .string(ContentDigest.hex(code)))]))
    }

    /// `value` with the keys of every object in Unicode scalar order.
    package static func canonical(_ value: JSON) -> JSON {
        switch value {
        case .object(let object):
            let sorted = object.members.sorted { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) }
            return .object(JSONObject(uniqueMembers: sorted.map { (key: $0.key, value: canonical($0.value)) }))
        case .array(let items):
            return .array(items.map(canonical))
        default:
            return value
        }
    }

    /// `value` without credential members at any depth.
    package static func withoutCredentials(_ value: JSON) -> JSON {
        switch value {
        case .object(let object):
            return .object(JSONObject(uniqueMembers: object.members.compactMap { member in
                isCredentialName(member.key) ? nil : (key: member.key, value: withoutCredentials(member.value))
            }))
        case .array(let items):
            return .array(items.map(withoutCredentials))
        default:
            return value
        }
    }

    /// A request's `context` as recorded for a request on `resource` by `action`:
    /// credentials removed, each sensitive value hashed. Also returns the dotted paths
    /// hashed (`input.card`), so a reader knows the record cannot be replayed as sent.
    package func recorded(context: JSON, resource: String?, action: String?) -> (context: JSON, hashed: [String]) {
        var result = Self.withoutCredentials(context)
        var hashed: [String] = []
        for rule in sensitive where !rule.path.isEmpty && rule.applies(resource: resource, action: action) {
            if replace(at: rule.path[...], in: &result) {
                hashed.append(rule.path.joined(separator: "."))
            }
        }
        return (result, hashed)
    }

    /// Replaces the value at `path` in `json` with its hash; false when there is none.
    private func replace(at path: ArraySlice<String>, in json: inout JSON) -> Bool {
        guard let key = path.first, case .object(let object) = json,
            let index = object.members.firstIndex(where: { $0.key.scalarsEqual(key) })
        else { return false }
        var members = object.members
        var value = members[index].value
        if path.count == 1 {
            value = hashed(value)
        } else if !replace(at: path.dropFirst(), in: &value) {
            return false
        }
        members[index] = (key: key, value: value)
        json = .object(JSONObject(uniqueMembers: members))
        return true
    }
}
