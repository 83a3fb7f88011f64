/// The `duration` type of the `datetime` extension: `duration("1d2h3m4s5ms")` and the
/// methods `toMilliseconds`, `toSeconds`, `toMinutes`, `toHours` and `toDays`.
extension CedarDuration: CustomStringConvertible {
    /// The units of a duration string, in the order they must appear.
    private enum Unit: Int {
        case days, hours, minutes, seconds, milliseconds

        var milliseconds: Int64 {
            switch self {
            case .days: return 86_400_000
            case .hours: return 3_600_000
            case .minutes: return 60_000
            case .seconds: return 1_000
            case .milliseconds: return 1
            }
        }
    }

    /// Parses Cedar's duration syntax: an optional `-`, then one or more quantity-unit
    /// pairs with units `d`, `h`, `m`, `s`, `ms`, each at most once and in that order;
    /// quantities are ASCII digits (leading zeros allowed). A leading `-` negates the whole
    /// duration. The total must fit in 64-bit milliseconds; `-9223372036854775808ms` does.
    ///
    /// A malformed string is an `invalid duration pattern` even when a quantity is also
    /// too large; only well-formed strings can overflow.
    init(parsing text: String) throws(EvaluationError) {
        let bytes = Array(text.utf8)
        let negative = bytes.first == UInt8(ascii: "-")
        guard let quantities = Self.quantities(bytes[(negative ? 1 : 0)...]) else {
            throw Self.failure("invalid duration pattern")
        }
        var values: [Unit: UInt64] = [:]
        for (unit, digits) in quantities {
            guard let value = ASCIIDigits.value(of: digits, as: UInt64.self) else { throw Self.overflow }
            values[unit] = value
        }
        // As Rust does: start from the signed milliseconds, then add (or, when negative,
        // subtract) seconds, minutes, hours and days, failing on the first overflow.
        guard var total = ASCIIDigits.signed(values[.milliseconds] ?? 0, negative: negative) else { throw Self.overflow }
        for unit in [Unit.seconds, .minutes, .hours, .days] {
            let value = values[unit] ?? 0
            guard value <= UInt64(Int64.max) else { throw Self.overflow }
            let (amount, productOverflow) = Int64(value).multipliedReportingOverflow(by: unit.milliseconds)
            let (sum, sumOverflow) = negative
                ? total.subtractingReportingOverflow(amount)
                : total.addingReportingOverflow(amount)
            if productOverflow || sumOverflow { throw Self.overflow }
            total = sum
        }
        self.init(milliseconds: total)
    }

    /// The canonical form, as Rust Cedar prints it: the length in milliseconds followed by
    /// `ms`, e.g. `"93784005ms"` or `"-1ms"`.
    public var description: String { "\(milliseconds)ms" }

    /// Whole seconds, truncated toward zero.
    var seconds: Int64 { milliseconds / 1_000 }
    /// Whole minutes, truncated toward zero.
    var minutes: Int64 { seconds / 60 }
    /// Whole hours, truncated toward zero.
    var hours: Int64 { minutes / 60 }
    /// Whole days, truncated toward zero.
    var days: Int64 { hours / 24 }

    /// The digit run for each unit present in `bytes` (the text after any leading `-`),
    /// or nil unless `bytes` is a non-empty sequence of quantity-unit pairs in unit order.
    private static func quantities(_ bytes: ArraySlice<UInt8>) -> [(Unit, ArraySlice<UInt8>)]? {
        guard !bytes.isEmpty else { return nil }
        var result: [(Unit, ArraySlice<UInt8>)] = []
        var index = bytes.startIndex
        var next = 0  // the earliest unit still allowed
        while index < bytes.endIndex {
            let digitsStart = index
            while index < bytes.endIndex, ASCIIDigits.isDigit(bytes[index]) { index += 1 }
            guard index > digitsStart, index < bytes.endIndex else { return nil }
            let unit: Unit
            switch bytes[index] {
            case UInt8(ascii: "d"): unit = .days
            case UInt8(ascii: "h"): unit = .hours
            case UInt8(ascii: "s"): unit = .seconds
            case UInt8(ascii: "m"):
                if index + 1 < bytes.endIndex, bytes[index + 1] == UInt8(ascii: "s") {
                    unit = .milliseconds
                    index += 1
                } else {
                    unit = .minutes
                }
            default: return nil
            }
            guard unit.rawValue >= next else { return nil }
            next = unit.rawValue + 1
            result.append((unit, bytes[digitsStart..<(unit == .milliseconds ? index - 1 : index)]))
            index += 1
        }
        return result
    }

    private static func failure(_ message: String) -> EvaluationError {
        .extensionError("duration", message)
    }

    private static var overflow: EvaluationError { failure("Duration overflows internal representation") }

    // MARK: Functions

    static let extensionFunctions: [ExtensionFunction] = [
        .unary("duration", .function) { (argument: Value) throws(EvaluationError) -> Value in
            .ext(.duration(try CedarDuration(parsing: try ExtensionArgument.string(argument))))
        },
        conversion("toMilliseconds", \.milliseconds),
        conversion("toSeconds", \.seconds),
        conversion("toMinutes", \.minutes),
        conversion("toHours", \.hours),
        conversion("toDays", \.days),
    ]

    private static func conversion(
        _ name: String, _ measure: @escaping @Sendable (CedarDuration) -> Int64
    ) -> ExtensionFunction {
        .unary(name, .method) { (receiver: Value) throws(EvaluationError) -> Value in
            .long(measure(try ExtensionArgument.duration(receiver)))
        }
    }
}
