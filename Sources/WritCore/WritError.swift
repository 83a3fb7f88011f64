import Cedar

/// An error Writ reports to the person or program that gave it input: a stable code,
/// a message that names the offending input, and, for policy and schema text, the
/// places (file, line, column) it concerns.
///
/// Transports map codes to their own status (HTTP 400, 404, 409, 422, 503 …); the
/// code and message travel unchanged.
public struct WritError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable, machine-readable error code.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        // Request shape (HTTP 400)
        /// The body is not JSON, or not the JSON this operation takes.
        public static let invalidRequest = Code(rawValue: "invalid_request")
        /// A required member is missing.
        public static let missingField = Code(rawValue: "missing_field")
        /// A member has the wrong JSON type.
        public static let wrongType = Code(rawValue: "wrong_type")
        /// The same key twice in one JSON object.
        public static let duplicateKey = Code(rawValue: "duplicate_key")
        /// JSON nested deeper than the limit.
        public static let tooDeep = Code(rawValue: "too_deep")
        /// A body, batch or string larger than its limit (HTTP 413 for bodies).
        public static let tooLarge = Code(rawValue: "too_large")
        /// An identifier (type, id, action name) Writ will not accept: control, bidi or
        /// zero-width characters, or not valid for the Cedar mapping.
        public static let invalidIdentifier = Code(rawValue: "invalid_identifier")
        /// A number outside Cedar's 64-bit integer range, or not an integer.
        public static let invalidNumber = Code(rawValue: "invalid_number")
        /// A pagination token that this server did not issue for this query.
        public static let invalidPageToken = Code(rawValue: "invalid_page_token")

        // Policy administration (HTTP 422 / 404 / 409)
        /// Policy text that does not parse.
        public static let policyParseError = Code(rawValue: "policy_parse_error")
        /// A policy set with duplicate ids, bad template links and the like.
        public static let invalidPolicySet = Code(rawValue: "invalid_policy_set")
        /// Policies that do not validate against the schema.
        public static let policyValidationError = Code(rawValue: "policy_validation_error")
        /// Schema text that does not parse or resolve.
        public static let schemaError = Code(rawValue: "schema_error")
        /// Entities that do not parse or do not conform to the schema.
        public static let invalidEntities = Code(rawValue: "invalid_entities")
        /// A policy set version, entity or key that does not exist.
        public static let notFound = Code(rawValue: "not_found")
        /// A write based on a version that is no longer the active one.
        public static let conflict = Code(rawValue: "conflict")

        // Service state (HTTP 503 / 500)
        /// No valid policy set is loaded, or the store is not reachable.
        public static let notReady = Code(rawValue: "not_ready")
        /// The store failed; nothing was changed.
        public static let storeUnavailable = Code(rawValue: "store_unavailable")
        /// Stored state that Writ cannot read back (corruption or a newer format).
        public static let corruptState = Code(rawValue: "corrupt_state")
        /// An audit record could not be written: the answer is withheld (a decision is
        /// not sent; a change was stored but its caller gets this error).
        public static let auditUnavailable = Code(rawValue: "audit_unavailable")

        // Enforcement (library)
        /// Output could not be redacted as an obligation asks; it must not be released.
        public static let redactionFailed = Code(rawValue: "redaction_failed")
    }

    /// Where in the user's input a problem is: a file (or JSON path) and, for text, a
    /// 1-based line and column.
    public struct Location: Sendable, Equatable, CustomStringConvertible {
        public var file: String?
        public var line: Int?
        public var column: Int?
        public init(file: String? = nil, line: Int? = nil, column: Int? = nil) {
            self.file = file
            self.line = line
            self.column = column
        }
        public var description: String {
            var parts: [String] = []
            if let file { parts.append(file) }
            if let line { parts.append(String(line)) }
            if let column { parts.append(String(column)) }
            return parts.joined(separator: ":")
        }
    }

    /// One of several problems found in one input (every validation error of a policy
    /// set, for example).
    public struct Detail: Sendable, Equatable, CustomStringConvertible {
        public var code: String
        public var message: String
        public var location: Location?
        public var policyID: String?
        public init(code: String, message: String, location: Location? = nil, policyID: String? = nil) {
            self.code = code
            self.message = message
            self.location = location
            self.policyID = policyID
        }
        public var description: String {
            if let location { return "\(location): \(message)" }
            return message
        }
    }

    public let code: Code
    /// A message that names the offending input.
    public let message: String
    /// Every individual problem, when there are several.
    public let details: [Detail]

    public init(_ code: Code, _ message: String, details: [Detail] = []) {
        self.code = code
        self.message = message
        self.details = details
    }

    /// Errors are equal when their codes are, as Cedar's errors are: tests and callers
    /// match on the kind of error; compare `message` when the wording matters.
    public static func == (lhs: WritError, rhs: WritError) -> Bool { lhs.code == rhs.code }

    public var description: String {
        details.isEmpty ? message : ([message] + details.map { "  \($0)" }).joined(separator: "\n")
    }
}
