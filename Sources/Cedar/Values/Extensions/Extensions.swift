/// The implementations of Cedar's extension functions, looked up by name.
///
/// Every entry of `ExtensionCatalog` has an implementation here with the same name,
/// call style and arity. Each function name belongs to exactly one extension type, as in
/// Cedar: `lessThan` is a decimal method, `offset` a datetime method, and so on; a call
/// on a receiver of another type is a type error.
public enum Extensions {
    /// The extension function called `name`, or nil when Cedar has none.
    public static func function(named name: String) -> ExtensionFunction? {
        registry[name]
    }

    /// Builds an extension value by applying the one-argument function `function` to the
    /// string `argument`, as Cedar does for the JSON escape
    /// `{"__extn": {"fn": "ip", "arg": "10.0.0.1"}}`.
    ///
    /// Throws `.wrongArity` when `function` is unknown or takes other than one argument,
    /// `.typeError` when it does not accept a string (e.g. `isIpv4`), and
    /// `.extensionError` when the string is malformed or out of range.
    public static func construct(function: String, argument: String) throws(EvaluationError) -> ExtensionValue {
        guard let implementation = registry[function] else {
            throw EvaluationError(.wrongArity, "extension function `\(function)` does not exist")
        }
        let result = try implementation.apply(ExtensionFunction.checkedArguments([.string(argument)], for: implementation))
        guard case .ext(let value) = result else {
            throw EvaluationError(
                .typeError,
                "type error: extension function `\(function)` returned \(result.typeName), not an extension value"
            )
        }
        return value
    }

    /// Every extension function, one per catalog entry.
    static let allFunctions: [ExtensionFunction] =
        CedarDecimal.extensionFunctions
        + IPAddr.extensionFunctions
        + CedarDatetime.extensionFunctions
        + CedarDuration.extensionFunctions

    private static let registry: [String: ExtensionFunction] =
        Dictionary(allFunctions.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
}

extension ExtensionValue {
    /// The constructor call that denotes this value: the function name and its canonical
    /// string argument, e.g. `("ip", "10.0.0.1/32")` or `("decimal", "1.5000")`.
    ///
    /// Decimals, addresses and durations use the string Rust Cedar prints for them (four
    /// fraction digits; `address/prefix`; milliseconds such as `"90000ms"`), except that
    /// IPv4-mapped IPv6 addresses stay hexadecimal, since `ip()` rejects the dotted form.
    /// A datetime uses the shortest string `datetime()` reads back (`"2024-10-15"`,
    /// `"2024-10-15T11:35:00Z"`, `"2024-10-15T11:35:00.123Z"`). So the constructor applied
    /// to the argument gives back an equal value — except for a datetime that `offset`
    /// moved beyond what `datetime()` can denote (before year 0000 or after 9999, give or
    /// take the ±23:59 offsets), which prints with a signed, expanded year
    /// (`"+10000-03-01"`) that `datetime()` rejects.
    public var cedarLiteral: (function: String, argument: String) {
        switch self {
        case .decimal(let d): return ("decimal", d.description)
        case .ipaddr(let ip): return ("ip", ip.description)
        case .datetime(let t): return ("datetime", t.description)
        case .duration(let d): return ("duration", d.description)
        }
    }

    /// Whether Cedar's `<`, `<=`, `>` and `>=` apply to values of this type: true for
    /// datetimes and durations, false for decimals (which use `lessThan` and friends)
    /// and addresses.
    package var supportsOrdering: Bool {
        switch self {
        case .datetime, .duration: return true
        case .decimal, .ipaddr: return false
        }
    }

    /// Orders two extension values for Cedar's comparison operators: -1, 0 or 1 when both
    /// have the same type and that type supports the operators, nil otherwise.
    package func compare(_ other: ExtensionValue) -> Int? {
        switch (self, other) {
        case let (.datetime(a), .datetime(b)): return Self.sign(a.milliseconds, b.milliseconds)
        case let (.duration(a), .duration(b)): return Self.sign(a.milliseconds, b.milliseconds)
        default: return nil
        }
    }

    private static func sign(_ a: Int64, _ b: Int64) -> Int {
        a < b ? -1 : (a == b ? 0 : 1)
    }
}

// MARK: - Building functions

extension ExtensionFunction {
    /// A function of one argument (for a method, the receiver).
    static func unary(
        _ name: String, _ style: Style,
        _ body: @escaping @Sendable (Value) throws(EvaluationError) -> Value
    ) -> ExtensionFunction {
        ExtensionFunction(name: name, style: style, arity: 1) { (arguments: [Value]) throws(EvaluationError) -> Value in
            guard arguments.count == 1 else { throw wrongArity(name, expected: 1, got: arguments.count) }
            return try body(arguments[0])
        }
    }

    /// A function of two arguments (for a method, the receiver and one argument).
    static func binary(
        _ name: String, _ style: Style,
        _ body: @escaping @Sendable (Value, Value) throws(EvaluationError) -> Value
    ) -> ExtensionFunction {
        ExtensionFunction(name: name, style: style, arity: 2) { (arguments: [Value]) throws(EvaluationError) -> Value in
            guard arguments.count == 2 else { throw wrongArity(name, expected: 2, got: arguments.count) }
            return try body(arguments[0], arguments[1])
        }
    }

    /// `arguments`, or Cedar's wrong-arity error when their count does not fit `function`.
    static func checkedArguments(_ arguments: [Value], for function: ExtensionFunction) throws(EvaluationError) -> [Value] {
        guard arguments.count == function.arity else {
            throw wrongArity(function.name, expected: function.arity, got: arguments.count)
        }
        return arguments
    }

    private static func wrongArity(_ name: String, expected: Int, got: Int) -> EvaluationError {
        EvaluationError(
            .wrongArity,
            "wrong number of arguments provided to extension function `\(name)`: expected \(expected), got \(got)"
        )
    }
}

// MARK: - Unwrapping arguments

/// Unwraps the arguments of extension functions, raising Cedar's type errors.
enum ExtensionArgument {
    static func string(_ value: Value) throws(EvaluationError) -> String {
        guard case .string(let s) = value else { throw .typeError(expected: "string", got: value) }
        return s
    }

    static func decimal(_ value: Value) throws(EvaluationError) -> CedarDecimal {
        guard case .ext(.decimal(let d)) = value else { throw .typeError(expected: "decimal", got: value) }
        return d
    }

    static func ipaddr(_ value: Value) throws(EvaluationError) -> IPAddr {
        guard case .ext(.ipaddr(let ip)) = value else { throw .typeError(expected: "ipaddr", got: value) }
        return ip
    }

    static func datetime(_ value: Value) throws(EvaluationError) -> CedarDatetime {
        guard case .ext(.datetime(let t)) = value else { throw .typeError(expected: "datetime", got: value) }
        return t
    }

    static func duration(_ value: Value) throws(EvaluationError) -> CedarDuration {
        guard case .ext(.duration(let d)) = value else { throw .typeError(expected: "duration", got: value) }
        return d
    }
}

// MARK: - ASCII digits

/// Helpers for the digit runs in extension literals. Only ASCII `0`–`9` count as digits,
/// as in Rust's integer parsing.
enum ASCIIDigits {
    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// The value of a non-empty run of ASCII digits, or nil when the run is empty, holds
    /// anything else, or exceeds `T.max`. Leading zeros are allowed.
    static func value<T: FixedWidthInteger & UnsignedInteger>(
        of bytes: some Collection<UInt8>, as _: T.Type = T.self
    ) -> T? {
        guard !bytes.isEmpty else { return nil }
        var result: T = 0
        for byte in bytes {
            guard isDigit(byte) else { return nil }
            let (shifted, o1) = result.multipliedReportingOverflow(by: 10)
            let (sum, o2) = shifted.addingReportingOverflow(T(byte - UInt8(ascii: "0")))
            if o1 || o2 { return nil }
            result = sum
        }
        return result
    }

    /// `magnitude` with a sign, or nil outside the range of `Int64` (which reaches one
    /// further below zero than above).
    static func signed(_ magnitude: UInt64, negative: Bool) -> Int64? {
        if negative {
            return magnitude <= Int64.min.magnitude ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil
        }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }

    /// `value` written in decimal with at least `width` digits, padded with leading zeros.
    static func padded<T: BinaryInteger>(_ value: T, width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
