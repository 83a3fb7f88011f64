/// One finding of the validator about one policy: an error (the policy does not
/// validate) or a warning (it validates, but is probably not what was meant).
public struct ValidationDiagnostic: Sendable, Equatable, CustomStringConvertible {
    /// What kind of finding this is; stable across releases. The names follow Rust
    /// Cedar's validation error kinds.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The code's stable name, e.g. `unsafe_attribute_access`.
        public let rawValue: String
        /// Creates a code from its name.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The code's name.
        public var description: String { rawValue }

        /// An entity type that the schema does not declare.
        public static let unrecognizedEntityType = Code(rawValue: "unrecognized_entity_type")
        /// An action that the schema does not declare.
        public static let unrecognizedAction = Code(rawValue: "unrecognized_action")
        /// No action of the scope applies to a principal and resource the scope allows.
        public static let invalidActionApplication = Code(rawValue: "invalid_action_application")
        /// An operand has the wrong type, e.g. `1 + "a"`.
        public static let unexpectedType = Code(rawValue: "unexpected_type")
        /// Types that must agree do not, e.g. `1 == "a"` on non-literals or `[1, "a"]`.
        public static let incompatibleTypes = Code(rawValue: "incompatible_types")
        /// An attribute the type does not have.
        public static let unsafeAttributeAccess = Code(rawValue: "unsafe_attribute_access")
        /// An optional attribute read without a `has` guard.
        public static let unsafeOptionalAttributeAccess = Code(rawValue: "unsafe_optional_attribute_access")
        /// A tag read without a `hasTag` guard.
        public static let unsafeTagAccess = Code(rawValue: "unsafe_tag_access")
        /// `getTag` on an entity type that declares no tags.
        public static let noTagsAllowed = Code(rawValue: "no_tags_allowed")
        /// A call of a function Cedar does not have.
        public static let undefinedFunction = Code(rawValue: "undefined_function")
        /// An extension function called with the wrong number of arguments.
        public static let wrongNumberArguments = Code(rawValue: "wrong_number_arguments")
        /// A literal argument an extension constructor rejects, e.g. `ip("bad")`.
        public static let functionArgumentValidation = Code(rawValue: "function_argument_validation")
        /// An empty set literal `[]`, whose element type cannot be known.
        public static let emptySetForbidden = Code(rawValue: "empty_set_forbidden")
        /// An extension constructor applied to something other than a literal.
        public static let nonLiteralExtensionConstructor = Code(rawValue: "non_literal_extension_constructor")
        /// An entity of an enumerated type whose id is not one of the declared values.
        public static let invalidEnumEntity = Code(rawValue: "invalid_enum_entity")
        /// An expression nested too deeply to typecheck.
        public static let expressionTooDeep = Code(rawValue: "expression_too_deep")
        /// (Warning) A string or name holds Unicode bidirectional control characters.
        public static let bidiCharacters = Code(rawValue: "bidi_characters")
        /// (Warning) The policy evaluates to false for every request the schema allows.
        public static let impossiblePolicy = Code(rawValue: "impossible_policy")
    }

    /// Whether a finding makes validation fail.
    public enum Severity: String, Sendable, Equatable {
        /// The policy does not validate.
        case error
        /// The policy validates, but probably does not do what was meant.
        case warning
    }

    /// What kind of finding this is.
    public let code: Code
    /// Whether it makes validation fail.
    public let severity: Severity
    /// The policy, template or template link the finding is about.
    public let policyID: PolicyID
    /// Where in the policy text, when the policy came from text.
    public let span: SourceSpan?
    /// A lowercase sentence naming the offending input in backticks.
    public let message: String
    /// A suggestion for fixing the policy, when there is one.
    public let help: String?

    /// Creates a diagnostic.
    public init(
        _ code: Code, severity: Severity = .error, policyID: PolicyID, span: SourceSpan?, message: String,
        help: String? = nil
    ) {
        self.code = code
        self.severity = severity
        self.policyID = policyID
        self.span = span
        self.message = message
        self.help = help
    }

    /// ``policy `policy0`, 3:14: message (help)``.
    public var description: String {
        var text = "policy `\(policyID)`"
        if let span { text += ", \(span.start)" }
        text += ": \(message)"
        if let help { text += " (\(help))" }
        return text
    }
}

/// Everything the validator found in a policy set.
public struct ValidationResult: Sendable, Equatable {
    /// Every error and warning, grouped by policy in policy set order.
    public let diagnostics: [ValidationDiagnostic]

    /// A result holding `diagnostics`.
    public init(diagnostics: [ValidationDiagnostic]) { self.diagnostics = diagnostics }

    /// The diagnostics that make validation fail.
    public var errors: [ValidationDiagnostic] { diagnostics.filter { $0.severity == .error } }
    /// The diagnostics that do not.
    public var warnings: [ValidationDiagnostic] { diagnostics.filter { $0.severity == .warning } }
    /// Whether the policies validate: there are no errors (warnings are allowed).
    public var passed: Bool { !diagnostics.contains { $0.severity == .error } }
}
