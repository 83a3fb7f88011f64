/// An error reading or writing JSON: malformed text, a document that breaks a limit,
/// or a well-formed document that is not valid Cedar JSON.
///
/// Syntax errors carry the `location` (line and column) in the text; errors in a
/// well-formed document carry the `path` to the offending value, such as `$[2].attrs.age`.
public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of error this is; stable across releases.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The stable name, e.g. `duplicate_key`.
        public let rawValue: String
        /// A code from its stable name.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The stable name.
        public var description: String { rawValue }

        // Reading JSON text.
        /// The text is not JSON (RFC 8259).
        public static let syntax = Code(rawValue: "syntax")
        /// An object has the same key twice.
        public static let duplicateKey = Code(rawValue: "duplicate_key")
        /// Arrays and objects nest deeper than the limit.
        public static let tooDeep = Code(rawValue: "too_deep")
        /// The input is longer than the limit.
        public static let tooLarge = Code(rawValue: "too_large")
        /// The input is not valid UTF-8, or a string escapes a lone surrogate.
        public static let invalidUTF8 = Code(rawValue: "invalid_utf8")

        // Reading Cedar JSON from a well-formed document.
        /// A value has the wrong JSON type, e.g. a number where a string belongs.
        public static let wrongType = Code(rawValue: "wrong_type")
        /// A required key is missing.
        public static let missingKey = Code(rawValue: "missing_key")
        /// An object has a key the format does not allow.
        public static let unknownKey = Code(rawValue: "unknown_key")
        /// A value has the right JSON type but is not valid here: a `null`, a
        /// non-integer number, an invalid entity type name, an unknown variable.
        public static let invalidValue = Code(rawValue: "invalid_value")
        /// A policy expression names an operator or extension function that does not exist.
        public static let unknownOperator = Code(rawValue: "unknown_operator")
        /// An `__extn` escape failed: unknown function, wrong arguments, or bad input.
        public static let extensionError = Code(rawValue: "extension_error")
        /// Two entities share a uid but differ.
        public static let duplicateEntity = Code(rawValue: "duplicate_entity")
        /// The entity hierarchy has a cycle.
        public static let hierarchyCycle = Code(rawValue: "hierarchy_cycle")
        /// An action entity has a parent that is not an action.
        public static let nonActionParent = Code(rawValue: "non_action_parent")
        /// A policy is not well formed: slots where they are not allowed, a
        /// non-action entity in the action scope, a template among static policies.
        public static let invalidPolicy = Code(rawValue: "invalid_policy")
        /// Two policies, templates or links share an id.
        public static let duplicatePolicyID = Code(rawValue: "duplicate_policy_id")
        /// A template link names no template or gives the wrong slot values.
        public static let invalidLink = Code(rawValue: "invalid_link")

        // Writing Cedar JSON.
        /// A record uses a key (`__entity`, `__extn`, `__expr`) that the format reserves.
        public static let reservedKey = Code(rawValue: "reserved_key")
    }

    /// What kind of error this is.
    public let code: Code
    /// A lowercase message that names the offending input in backticks, at most 512
    /// Unicode scalars long however long that input is: a longer message keeps its
    /// beginning and its end around an ellipsis.
    public let message: String
    /// The longest message kept. Messages quote input, which may be megabytes long.
    static let maxMessageScalars = 512
    /// Where in the text the error is, for errors found while reading JSON syntax.
    public let location: SourceLocation?
    /// Where in the document the error is, as components; nil for pure syntax errors.
    package private(set) var pathComponents: [JSONPathComponent]?

    /// An error; `path` is `[]` (the root) for errors in a well-formed document and
    /// nil for syntax errors, which have a `location` instead.
    package init(
        _ code: Code, _ message: String,
        location: SourceLocation? = nil, path: [JSONPathComponent]? = []
    ) {
        self.code = code
        self.message = message.boundedForMessage(Self.maxMessageScalars)
        self.location = location
        self.pathComponents = path
    }

    /// Where in the document the error is, e.g. `$.staticPolicies.policy0.conditions[0]`;
    /// nil for syntax errors found before the document was complete.
    public var path: String? { pathComponents.map(JSONPathComponent.render) }

    /// The message with where it happened: `at $.uid: missing required key `type``.
    public var description: String {
        var prefix: [String] = []
        if let location { prefix.append("\(location)") }
        if let path { prefix.append("at \(path)") }
        return prefix.isEmpty ? message : prefix.joined(separator: ", ") + ": " + message
    }

    /// This error, located one step further down from the caller: `component` is
    /// prepended to its path.
    package func inside(_ component: JSONPathComponent) -> JSONError {
        var copy = self
        copy.pathComponents?.insert(component, at: 0)
        return copy
    }
}

/// One step of a JSON path: an object key or an array index.
package enum JSONPathComponent: Sendable, Equatable {
    case key(String)
    case index(Int)

    /// Renders components as a path: `$`, `$.a[3].b`, `$["two words"]`.
    package static func render(_ components: [JSONPathComponent]) -> String {
        var out = "$"
        for component in components {
            switch component {
            case .index(let i):
                out += "[\(i)]"
            case .key(let key):
                if isPlainKey(key) {
                    out += "." + key
                } else {
                    out += "[" + JSON.string(key).encoded() + "]"
                }
            }
        }
        return out
    }

    private static func isPlainKey(_ key: String) -> Bool {
        guard let first = key.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            return false
        }
        return key.utf8.allSatisfy { byte in
            byte == UInt8(ascii: "_")
                || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
    }
}

extension JSONError {
    /// `expected <what>, found <kind>` at the current value.
    package static func wrongType(expected: String, found json: JSON) -> JSONError {
        JSONError(.wrongType, "expected \(expected), found \(json.kindDescription)")
    }

    /// A required member is absent from the current object.
    package static func missingKey(_ key: String) -> JSONError {
        JSONError(.missingKey, "missing required key `\(key)`")
    }

    /// The current object has a member the format does not allow.
    package static func unknownKey(_ key: String, allowed: [String]) -> JSONError {
        let list = allowed.map { "`\($0)`" }.joined(separator: ", ")
        return JSONError(.unknownKey, "unknown key `\(key)`, expected one of \(list)", path: [.key(key)])
    }

    /// Runs `body`, locating any error it throws under `component`.
    @inline(__always)
    package static func at<T>(
        _ component: JSONPathComponent, _ body: () throws(JSONError) -> T
    ) throws(JSONError) -> T {
        do {
            return try body()
        } catch {
            throw error.inside(component)
        }
    }
}
