/// The `decimal` extension: `decimal("1.23")` and the methods `lessThan`,
/// `lessThanOrEqual`, `greaterThan` and `greaterThanOrEqual`.
extension CedarDecimal: CustomStringConvertible {
    /// Digits kept after the point.
    static let fractionDigits = 4
    /// 10 ^ `fractionDigits`.
    static let scale: Int64 = 10_000

    /// Parses Cedar's decimal syntax: an optional `-`, one or more digits, `.`, and one to
    /// four digits, in the range -922337203685477.5808 to 922337203685477.5807.
    ///
    /// Errors follow Rust Cedar's order and wording: a string that is not
    /// `-?\d+\.\d+` (where `\d` is any Unicode decimal digit) is not well-formed; an
    /// integer part that is not ASCII digits or leaves the range is an overflow; then more
    /// than four fraction digits (counted in UTF-8 bytes) is too many; then a non-ASCII
    /// fraction or an out-of-range total is an overflow.
    init(parsing text: String) throws(EvaluationError) {
        let scalars = Array(text.unicodeScalars)
        guard let point = Self.wellFormedPointIndex(scalars) else {
            throw Self.failure("`\(text)` is not a well-formed decimal value")
        }
        let integerPart = String(String.UnicodeScalarView(scalars[..<point]))
        let fractionPart = String(String.UnicodeScalarView(scalars[(point + 1)...]))
        let negative = scalars[0] == "-"

        let integerDigits = integerPart.utf8.dropFirst(negative ? 1 : 0)
        guard let magnitude = ASCIIDigits.value(of: integerDigits, as: UInt64.self),
              let integer = ASCIIDigits.signed(magnitude, negative: negative)
        else { throw Self.overflow }
        let (integerScaled, integerOverflow) = integer.multipliedReportingOverflow(by: Self.scale)
        if integerOverflow { throw Self.overflow }

        let fractionLength = fractionPart.utf8.count
        guard fractionLength <= Self.fractionDigits else {
            throw Self.failure("too many digits after the decimal in `\(text)`")
        }
        // At most four digits, so the value and the padding fit without overflow.
        guard let fraction = ASCIIDigits.value(of: fractionPart.utf8, as: UInt64.self) else { throw Self.overflow }
        var fractionScaled = Int64(fraction)
        for _ in fractionLength..<Self.fractionDigits { fractionScaled *= 10 }

        let (total, totalOverflow) = negative
            ? integerScaled.subtractingReportingOverflow(fractionScaled)
            : integerScaled.addingReportingOverflow(fractionScaled)
        if totalOverflow { throw Self.overflow }
        self.init(scaled: total)
    }

    /// The canonical form, as Rust Cedar prints it: an optional `-`, the integer part, `.`,
    /// and exactly four fraction digits (`"-0.5000"`). Zero prints as `"0.0000"`.
    public var description: String {
        let magnitude = scaled.magnitude
        let scale = UInt64(Self.scale)
        let sign = scaled < 0 ? "-" : ""
        return "\(sign)\(magnitude / scale).\(ASCIIDigits.padded(magnitude % scale, width: Self.fractionDigits))"
    }

    /// The index of the `.` when `scalars` matches `^-?\d+\.\d+$`, else nil.
    private static func wellFormedPointIndex(_ scalars: [Unicode.Scalar]) -> Int? {
        var index = scalars.first == "-" ? 1 : 0
        let integerStart = index
        while index < scalars.count, isUnicodeDigit(scalars[index]) { index += 1 }
        guard index > integerStart, index < scalars.count, scalars[index] == "." else { return nil }
        let point = index
        index += 1
        let fractionStart = index
        while index < scalars.count, isUnicodeDigit(scalars[index]) { index += 1 }
        guard index > fractionStart, index == scalars.count else { return nil }
        return point
    }

    /// Whether `scalar` is a decimal digit in any script (general category Nd), as `\d`
    /// matches in Rust's regular expressions.
    private static func isUnicodeDigit(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .decimalNumber
    }

    private static func failure(_ message: String) -> EvaluationError {
        .extensionError("decimal", message)
    }

    private static var overflow: EvaluationError { failure("overflow when converting to decimal") }

    // MARK: Functions

    static let extensionFunctions: [ExtensionFunction] = [
        .unary("decimal", .function) { (argument: Value) throws(EvaluationError) -> Value in
            .ext(.decimal(try CedarDecimal(parsing: try ExtensionArgument.string(argument))))
        },
        comparison("lessThan") { $0 < $1 },
        comparison("lessThanOrEqual") { $0 <= $1 },
        comparison("greaterThan") { $0 > $1 },
        comparison("greaterThanOrEqual") { $0 >= $1 },
    ]

    private static func comparison(
        _ name: String, _ holds: @escaping @Sendable (CedarDecimal, CedarDecimal) -> Bool
    ) -> ExtensionFunction {
        .binary(name, .method) { (lhs: Value, rhs: Value) throws(EvaluationError) -> Value in
            let a = try ExtensionArgument.decimal(lhs)
            let b = try ExtensionArgument.decimal(rhs)
            return .bool(holds(a, b))
        }
    }
}
