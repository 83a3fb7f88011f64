/// An error reading, translating or resolving a Cedar schema: what is wrong and where.
///
/// `description` reads `where: message`, for example
/// ``3:14: failed to resolve type `Usr` `` for the human format or
/// ``at $.NS.entityTypes.User.shape: expected an object, found a string`` for JSON.
public struct SchemaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of error this is; stable across releases.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The code's stable name, e.g. `undefined_type`.
        public let rawValue: String
        /// Creates a code from its name.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The code's name.
        public var description: String { rawValue }

        // Reading `.cedarschema` text.
        /// Text that is not a token of the schema grammar, such as `#` or an unterminated string.
        public static let invalidToken = Code(rawValue: "invalid_token")
        /// A token where the grammar does not allow it, or a premature end of input.
        public static let unexpectedToken = Code(rawValue: "unexpected_token")
        /// A string literal with an escape Cedar does not accept, such as `\q`.
        public static let invalidEscape = Code(rawValue: "invalid_escape")
        /// A reserved word (`if`, `in`, `true`, ...) where an identifier belongs.
        public static let reservedIdentifier = Code(rawValue: "reserved_identifier")
        /// The same annotation key twice on one declaration or attribute.
        public static let duplicateAnnotation = Code(rawValue: "duplicate_annotation")

        // Reading JSON.
        /// The text is not JSON: a syntax error, a duplicate key, invalid UTF-8.
        public static let invalidJSON = Code(rawValue: "invalid_json")
        /// A JSON value of the wrong kind, such as a number where a string belongs.
        public static let wrongType = Code(rawValue: "wrong_type")
        /// A required key is missing.
        public static let missingKey = Code(rawValue: "missing_key")
        /// An object has a key the schema format does not allow.
        public static let unknownKey = Code(rawValue: "unknown_key")
        /// A value of the right kind that is not valid here: a malformed name, an
        /// empty `enum`, an `enum` beside `shape`.
        public static let invalidValue = Code(rawValue: "invalid_value")

        // Limits.
        /// Input longer than `SchemaFragment.maxInputBytes`.
        public static let inputTooLarge = Code(rawValue: "input_too_large")
        /// Types nested deeper than `SchemaFragment.maxNestingDepth` (or JSON deeper
        /// than its reader allows), or a type that, with its common types inlined,
        /// nests deeper than `SchemaFragment.maxResolvedTypeDepth`.
        public static let nestingTooDeep = Code(rawValue: "nesting_too_deep")
        /// A type that, with its common types inlined, has more than
        /// `SchemaFragment.maxResolvedTypeSize` parts.
        public static let typeTooLarge = Code(rawValue: "type_too_large")

        // Declarations.
        /// A name containing `__cedar`, which Cedar reserves for its own types.
        public static let reservedName = Code(rawValue: "reserved_name")
        /// A common type named like a schema type keyword (`Long`, `Record`, `Set`, ...).
        public static let reservedKeyword = Code(rawValue: "reserved_keyword")
        /// An entity type, common type or action declared twice.
        public static let duplicateDeclaration = Code(rawValue: "duplicate_declaration")
        /// The same namespace declared twice.
        public static let duplicateNamespace = Code(rawValue: "duplicate_namespace")
        /// An action's `appliesTo` with two `principal`, `resource` or `context` entries.
        public static let duplicateAppliesTo = Code(rawValue: "duplicate_applies_to")
        /// An action's `appliesTo` without `principal` or `resource`, or with one of them `[]`.
        public static let missingAppliesTo = Code(rawValue: "missing_applies_to")
        /// An entity type named `Action`, which only actions may have.
        public static let actionEntityTypeDeclared = Code(rawValue: "action_entity_type_declared")
        /// A feature Rust Cedar does not support without options: action attributes,
        /// records with `additionalAttributes`.
        public static let unsupportedFeature = Code(rawValue: "unsupported_feature")

        // Resolution.
        /// A reference to an entity or common type that no declaration provides.
        public static let undefinedType = Code(rawValue: "undefined_type")
        /// An action group (`in [...]`, `memberOf`) that is not a declared action.
        public static let undefinedAction = Code(rawValue: "undefined_action")
        /// An extension type Cedar does not have.
        public static let unknownExtensionType = Code(rawValue: "unknown_extension_type")
        /// A namespaced declaration whose base name is also declared in the empty
        /// namespace (Cedar RFC 70).
        public static let illegalShadowing = Code(rawValue: "illegal_shadowing")
        /// Common types that refer to each other in a cycle.
        public static let commonTypeCycle = Code(rawValue: "common_type_cycle")
        /// Actions that are groups of each other in a cycle.
        public static let actionCycle = Code(rawValue: "action_cycle")
        /// An entity type's shape or an action's context that is not a record.
        public static let notARecord = Code(rawValue: "not_a_record")

        // Translation.
        /// A JSON schema the human format cannot express: an entity type and a common
        /// type of the same name in a namespace, or an entity shape that is not a record.
        public static let notExpressible = Code(rawValue: "not_expressible")
    }

    /// Where a schema error is.
    public enum Location: Sendable, Equatable, CustomStringConvertible {
        /// A position in the text: `.cedarschema` text, or JSON text that is not
        /// well formed.
        case text(SourceLocation)
        /// A path into a JSON schema document, such as `$.NS.entityTypes.User.shape`.
        case json(path: String)

        /// `line:column`, or `at <path>`.
        public var description: String {
            switch self {
            case .text(let location): return location.description
            case .json(let path): return "at \(path)"
            }
        }
    }

    /// What kind of error this is.
    public let code: Code
    /// A lowercase message that names the offending input in backticks.
    public let message: String
    /// Where the error is, when it can be placed.
    public var location: Location? {
        if let textLocation { return .text(textLocation) }
        return pathComponents.map { .json(path: JSONPathComponent.render($0)) }
    }

    /// The position in the text, when known.
    private(set) var textLocation: SourceLocation?
    /// The path into the (JSON form of the) schema, when the error has no text position.
    private(set) var pathComponents: [JSONPathComponent]?

    /// An error at a position in the text.
    init(_ code: Code, _ message: String, at location: SourceLocation) {
        self.code = code
        self.message = message
        self.textLocation = location
        self.pathComponents = nil
    }

    /// An error about the input as a whole, such as its size.
    init(_ code: Code, unplaced message: String) {
        self.code = code
        self.message = message
        self.textLocation = nil
        self.pathComponents = nil
    }

    /// An error at a path in the schema document, relative to the value being decoded
    /// or resolved; callers above prepend their steps with `inside(_:)`.
    init(_ code: Code, _ message: String, path: [JSONPathComponent] = []) {
        self.code = code
        self.message = message
        self.textLocation = nil
        self.pathComponents = path
    }

    /// `where: message`, or the bare message when the error cannot be placed.
    public var description: String {
        guard let location else { return message }
        return "\(location): \(message)"
    }

    /// This error, one step further down from the caller: `component` is prepended to
    /// its path. Errors placed in the text keep their position.
    func inside(_ component: JSONPathComponent) -> SchemaError {
        guard textLocation == nil else { return self }
        var copy = self
        copy.pathComponents?.insert(component, at: 0)
        return copy
    }

    /// Runs `body`, locating any error it throws under `component`.
    @inline(__always)
    static func at<T>(_ component: JSONPathComponent, _ body: () throws(SchemaError) -> T) throws(SchemaError) -> T {
        do {
            return try body()
        } catch {
            throw error.inside(component)
        }
    }

    /// Equality compares what is reported: code, message and location.
    public static func == (lhs: SchemaError, rhs: SchemaError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message && lhs.location == rhs.location
    }
}

extension SchemaError {
    /// The schema error for a failure reading the JSON format.
    init(_ error: JSONError) {
        let code: Code
        switch error.code {
        case .tooDeep: code = .nestingTooDeep
        case .tooLarge: code = .inputTooLarge
        case .wrongType: code = .wrongType
        case .missingKey: code = .missingKey
        case .unknownKey: code = .unknownKey
        case .syntax, .duplicateKey, .invalidUTF8: code = .invalidJSON
        default: code = .invalidValue
        }
        self.code = code
        self.message = error.message
        self.textLocation = error.location
        self.pathComponents = error.location == nil ? error.pathComponents : nil
    }
}
