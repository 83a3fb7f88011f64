/// A function defined by one of Cedar's extensions: a constructor such as
/// `decimal("1.5")` or a method such as `a.lessThan(b)`.
public struct ExtensionFunction: Sendable {
    /// How the function is written in policy text.
    public enum Style: Sendable, Equatable {
        /// `name(args)`
        case function
        /// `receiver.name(args)`; the receiver is the first argument.
        case method
    }

    /// The function's name, e.g. `isInRange`.
    public let name: String
    public let style: Style
    /// The number of arguments, counting a method's receiver.
    public let arity: Int
    /// Applies the function to arguments already checked for count (but not type).
    public let apply: @Sendable ([Value]) throws(EvaluationError) -> Value

    public init(
        name: String, style: Style, arity: Int,
        apply: @escaping @Sendable ([Value]) throws(EvaluationError) -> Value
    ) {
        self.name = name
        self.style = style
        self.arity = arity
        self.apply = apply
    }
}
