extension ExtensionBridge {
    /// The bridge to Cedar's built-in extension functions.
    package static let standard = ExtensionBridge(
        call: { name, arguments throws(EvaluationError) in
            guard let function = Extensions.function(named: name) else {
                throw EvaluationError(.wrongArity, "extension function `\(name)` does not exist")
            }
            guard function.arity == arguments.count else {
                throw EvaluationError(
                    .wrongArity,
                    "wrong number of arguments in extension function application: `\(name)` takes \(function.arity), got \(arguments.count)")
            }
            return try function.apply(arguments)
        },
        constructor: { value in value.cedarLiteral })
}
