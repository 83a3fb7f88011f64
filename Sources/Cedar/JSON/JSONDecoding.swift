/// Typed access to a JSON document for the Cedar formats' decoders. Every failure is
/// a `JSONError` located at the value in question; callers add the path above it.
extension JSON {
    /// This value as an object, or a `wrong_type` error.
    package func asObject(_ expected: String = "an object") throws(JSONError) -> JSONObject {
        guard case .object(let object) = self else { throw .wrongType(expected: expected, found: self) }
        return object
    }

    /// This value as an array, or a `wrong_type` error.
    package func asArray(_ expected: String = "an array") throws(JSONError) -> [JSON] {
        guard case .array(let elements) = self else { throw .wrongType(expected: expected, found: self) }
        return elements
    }

    /// This value as a string, or a `wrong_type` error.
    package func asString(_ expected: String = "a string") throws(JSONError) -> String {
        guard case .string(let string) = self else { throw .wrongType(expected: expected, found: self) }
        return string
    }

    /// Decodes each element of this array, locating errors at their index.
    package func decodeElements<T>(
        expected: String = "an array", _ body: (JSON) throws(JSONError) -> T
    ) throws(JSONError) -> [T] {
        let elements = try asArray(expected)
        var result: [T] = []
        result.reserveCapacity(elements.count)
        for (i, element) in elements.enumerated() {
            result.append(try JSONError.at(.index(i)) { () throws(JSONError) in try body(element) })
        }
        return result
    }

    /// Decodes each member of this object in document order, locating errors at their key.
    package func decodeMembers<T>(
        expected: String = "an object", _ body: (String, JSON) throws(JSONError) -> T
    ) throws(JSONError) -> [T] {
        let object = try asObject(expected)
        var result: [T] = []
        result.reserveCapacity(object.count)
        for member in object {
            result.append(
                try JSONError.at(.key(member.key)) { () throws(JSONError) in try body(member.key, member.value) })
        }
        return result
    }
}

extension JSONObject {
    /// Decodes the required member `key`, locating errors under it.
    package func decode<T>(_ key: String, _ body: (JSON) throws(JSONError) -> T) throws(JSONError) -> T {
        guard let value = self[key] else { throw .missingKey(key) }
        return try JSONError.at(.key(key)) { () throws(JSONError) in try body(value) }
    }

    /// Decodes member `key` when present, locating errors under it.
    package func decodeIfPresent<T>(
        _ key: String, _ body: (JSON) throws(JSONError) -> T
    ) throws(JSONError) -> T? {
        guard let value = self[key] else { return nil }
        return try JSONError.at(.key(key)) { () throws(JSONError) in try body(value) }
    }

    /// The required string member `key`.
    package func decodeString(_ key: String) throws(JSONError) -> String {
        try decode(key) { (value) throws(JSONError) in try value.asString() }
    }

    /// Throws `unknown_key` for the first member not named in `allowed`.
    package func rejectUnknownKeys(allowed: [String]) throws(JSONError) {
        for member in members where !allowed.contains(where: { $0.scalarsEqual(member.key) }) {
            throw .unknownKey(member.key, allowed: allowed)
        }
    }
}
