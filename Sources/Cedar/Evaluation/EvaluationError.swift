/// An error raised while evaluating a policy. The authorizer records the id of the
/// policy that raised it and skips that policy, as Cedar does.
public struct EvaluationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of error this is; stable across releases.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// An entity the expression needed is not in the entity store.
        public static let entityDoesNotExist = Code(rawValue: "entity_does_not_exist")
        /// An entity or record has no such attribute.
        public static let attributeNotFound = Code(rawValue: "attribute_not_found")
        /// An entity has no such tag.
        public static let tagNotFound = Code(rawValue: "tag_not_found")
        /// An operand had the wrong type.
        public static let typeError = Code(rawValue: "type_error")
        /// Integer arithmetic left the 64-bit range.
        public static let overflow = Code(rawValue: "overflow")
        /// An extension function failed, e.g. `decimal("1.23456")`.
        public static let extensionError = Code(rawValue: "extension_error")
        /// An extension function was called with the wrong number of arguments or is unknown.
        public static let wrongArity = Code(rawValue: "wrong_arity")
        /// A template slot was evaluated without being linked.
        public static let unlinkedSlot = Code(rawValue: "unlinked_slot")
        /// Evaluation nested deeper than the evaluator allows.
        public static let recursionLimit = Code(rawValue: "recursion_limit")
    }

    public let code: Code
    /// A lowercase message that names the offending values in backticks, at most 512
    /// Unicode scalars long however long those values are: a longer message keeps its
    /// beginning and its end around an ellipsis.
    public let message: String
    /// The longest message kept. Messages quote attribute names and entity uids, which
    /// may be megabytes long.
    static let maxMessageScalars = 512

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message.boundedForMessage(Self.maxMessageScalars)
    }

    public var description: String { message }

    /// Equality compares codes only; messages may be reworded.
    public static func == (lhs: EvaluationError, rhs: EvaluationError) -> Bool { lhs.code == rhs.code }

    // MARK: - Factories

    static func typeError(expected: String, got value: Value) -> EvaluationError {
        EvaluationError(.typeError, "type error: expected \(expected), got \(value.typeName)")
    }

    static func overflow(_ op: String, _ a: Int64, _ b: Int64) -> EvaluationError {
        EvaluationError(.overflow, "integer overflow while attempting to \(op) the values `\(a)` and `\(b)`")
    }

    static func extensionError(_ function: String, _ message: String) -> EvaluationError {
        EvaluationError(.extensionError, "error while evaluating `\(function)` extension function: \(message)")
    }
}
