/// An error in Cedar policy text: what is wrong and where.
///
/// `description` reads `line:column: message`, for example
/// ``2:14: unexpected token `)`; expected an expression``.
public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of error this is; stable across releases.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The code's stable name, e.g. `unexpected_token`.
        public let rawValue: String
        /// Creates a code from its name.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The code's name.
        public var description: String { rawValue }

        /// Text that is not a Cedar token, such as `#` or an unterminated string.
        public static let invalidToken = Code(rawValue: "invalid_token")
        /// A token where the grammar does not allow it, or a premature end of input.
        public static let unexpectedToken = Code(rawValue: "unexpected_token")
        /// A string literal with an escape Cedar does not accept, such as `\q`.
        public static let invalidEscape = Code(rawValue: "invalid_escape")
        /// An integer literal outside the 64-bit signed range.
        public static let integerOverflow = Code(rawValue: "integer_overflow")
        /// A reserved word (`if`, `true`, `in`, `__cedar`, ...) used as a name or attribute.
        public static let reservedIdentifier = Code(rawValue: "reserved_identifier")
        /// A bare name that is not one of `principal`, `action`, `resource`, `context`.
        public static let unknownVariable = Code(rawValue: "unknown_variable")
        /// A call to a function or method Cedar does not have, or in the wrong style.
        public static let unknownFunction = Code(rawValue: "unknown_function")
        /// A built-in method called with the wrong number of arguments.
        public static let wrongArity = Code(rawValue: "wrong_arity")
        /// A call or member access on something that cannot have one, such as `(e)(1)`.
        public static let invalidCall = Code(rawValue: "invalid_call")
        /// An operator Cedar does not have (`/`, `%`, `=`), relational operators chained
        /// without parentheses, or more than four `!` or `-` in a row.
        public static let invalidOperator = Code(rawValue: "invalid_operator")
        /// Something other than an identifier or string where an attribute name belongs.
        public static let invalidAttribute = Code(rawValue: "invalid_attribute")
        /// The right side of `like` is not a string literal.
        public static let invalidPattern = Code(rawValue: "invalid_pattern")
        /// The right side of `is` is not an entity type name.
        public static let invalidEntityType = Code(rawValue: "invalid_entity_type")
        /// A slot other than `?principal` or `?resource`, or a slot where it is not allowed.
        public static let invalidSlot = Code(rawValue: "invalid_slot")
        /// A malformed policy scope: wrong or missing variables, operators or entities.
        public static let invalidScope = Code(rawValue: "invalid_scope")
        /// An effect other than `permit` or `forbid`.
        public static let invalidEffect = Code(rawValue: "invalid_effect")
        /// A clause other than `when` or `unless`, or a clause with an empty body.
        public static let invalidCondition = Code(rawValue: "invalid_condition")
        /// The same annotation key twice on one policy.
        public static let duplicateAnnotation = Code(rawValue: "duplicate_annotation")
        /// The same key twice in one record literal.
        public static let duplicateKey = Code(rawValue: "duplicate_key")
        /// Nesting deeper than `PolicyParser.maxNestingDepth` (or than the thread's stack
        /// allows), or an expression taller than `PolicyParser.maxExpressionHeight`.
        public static let nestingTooDeep = Code(rawValue: "nesting_too_deep")
        /// Input longer than `PolicyParser.maxInputBytes`.
        public static let inputTooLarge = Code(rawValue: "input_too_large")
    }

    /// What kind of error this is.
    public let code: Code
    /// A lowercase message that names the offending text in backticks, at most 512
    /// Unicode scalars long however long that text is: a longer message keeps its
    /// beginning and its end around an ellipsis.
    public let message: String
    /// The longest message kept. Most messages shorten what they quote, but names and
    /// uids (whose escapes lengthen them) may still be long.
    static let maxMessageScalars = 512
    /// Where the error is: 1-based line and column (columns count Unicode scalars).
    public let location: SourceLocation

    /// Creates a parse error.
    public init(_ code: Code, _ message: String, at location: SourceLocation) {
        self.code = code
        self.message = message.boundedForMessage(Self.maxMessageScalars)
        self.location = location
    }

    /// `line:column: message`
    public var description: String { "\(location): \(message)" }
}
