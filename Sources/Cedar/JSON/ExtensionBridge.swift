/// What the Cedar JSON formats need from Cedar's extension types: applying the
/// extension function an `__extn` escape names, and the constructor call that
/// rebuilds an extension value when one is written out.
///
/// Decoders take a bridge so that tests can substitute a small fake; production
/// code uses `ExtensionBridge.standard`, backed by `Extensions`.
package struct ExtensionBridge: Sendable {
    /// Applies the extension function `name` to `arguments`. Throws for an unknown
    /// function, the wrong number or types of arguments, or invalid input such as
    /// `decimal("1.23456")`.
    package var call: @Sendable (_ name: String, _ arguments: [Value]) throws(EvaluationError) -> Value

    /// The constructor and its string argument that rebuild `value`, such as
    /// `("decimal", "1.5000")` or `("ip", "10.0.0.0/8")`.
    package var constructor: @Sendable (_ value: ExtensionValue) -> (function: String, argument: String)

    package init(
        call: @escaping @Sendable (_ name: String, _ arguments: [Value]) throws(EvaluationError) -> Value,
        constructor: @escaping @Sendable (_ value: ExtensionValue) -> (function: String, argument: String)
    ) {
        self.call = call
        self.constructor = constructor
    }
}
