import Cedar

/// A JSON object of an AuthZEN request with its path, and typed access to its
/// members. A missing required member is `.missingField`, a member of the wrong JSON
/// type `.wrongType`, each naming the member's path; members nobody asks for are
/// ignored, as the specification requires.
struct AuthZENObject: Sendable {
    private(set) var members: JSONObject
    let path: AuthZENPath

    /// `json` as an object at `path`, or a `.wrongType` error.
    init(_ json: JSON, at path: AuthZENPath) throws(WritError) {
        guard case .object(let object) = json else {
            throw Self.wrongType(path, expected: "an object", found: json)
        }
        self.members = object
        self.path = path
    }

    /// This object without the members named `keys`.
    func removing(_ keys: [String]) -> AuthZENObject {
        guard members.contains(where: { member in keys.contains { $0.scalarsEqual(member.key) } }) else { return self }
        var copy = self
        copy.members = JSONObject(uniqueMembers: members.filter { member in !keys.contains { $0.scalarsEqual(member.key) } })
        return copy
    }

    /// The value of member `key`, if present.
    subscript(key: String) -> JSON? { members[key] }

    func has(_ key: String) -> Bool { members[key] != nil }

    /// The required member `key`, of any type.
    func value(_ key: String) throws(WritError) -> JSON {
        guard let value = members[key] else { throw Self.missing(path.appending(key)) }
        return value
    }

    /// The required string member `key`.
    func string(_ key: String) throws(WritError) -> String {
        guard let value = members[key] else { throw Self.missing(path.appending(key)) }
        // The path is built only for an error: this runs several times per decision.
        guard case .string(let string) = value else {
            throw Self.wrongType(path.appending(key), expected: "a string", found: value)
        }
        return string
    }

    /// The optional string member `key`.
    func optionalString(_ key: String) throws(WritError) -> String? {
        guard let value = members[key] else { return nil }
        guard case .string(let string) = value else {
            throw Self.wrongType(path.appending(key), expected: "a string", found: value)
        }
        return string
    }

    /// The required object member `key`.
    func object(_ key: String) throws(WritError) -> AuthZENObject {
        guard let value = members[key] else { throw Self.missing(path.appending(key)) }
        return try AuthZENObject(value, at: path.appending(key))
    }

    /// The optional object member `key`.
    func optionalObject(_ key: String) throws(WritError) -> AuthZENObject? {
        guard let value = members[key] else { return nil }
        return try AuthZENObject(value, at: path.appending(key))
    }

    /// The optional array member `key`.
    func optionalArray(_ key: String) throws(WritError) -> [JSON]? {
        guard let value = members[key] else { return nil }
        guard case .array(let elements) = value else {
            throw Self.wrongType(path.appending(key), expected: "an array", found: value)
        }
        return elements
    }

    /// The optional member `key`, a non-negative integer within Cedar's 64-bit range.
    func optionalCount(_ key: String) throws(WritError) -> Int? {
        guard let value = members[key] else { return nil }
        let place = path.appending(key)
        guard case .number(let number) = value else {
            throw Self.wrongType(place, expected: "a non-negative integer", found: value)
        }
        guard let integer = number.int64, integer >= 0, let count = Int(exactly: integer) else {
            throw WritError(.invalidNumber, "`\(place)` is `\(number.text)`, not a non-negative integer")
        }
        return count
    }

    // MARK: - Errors

    static func string(_ value: JSON, at path: AuthZENPath) throws(WritError) -> String {
        guard case .string(let string) = value else { throw wrongType(path, expected: "a string", found: value) }
        return string
    }

    static func missing(_ path: AuthZENPath) -> WritError {
        WritError(.missingField, "missing required member `\(path)`")
    }

    static func wrongType(_ path: AuthZENPath, expected: String, found: JSON) -> WritError {
        if path == .root {
            return WritError(.wrongType, "the request body must be \(expected), found \(found.kindDescription)")
        }
        return WritError(.wrongType, "`\(path)` must be \(expected), found \(found.kindDescription)")
    }
}
