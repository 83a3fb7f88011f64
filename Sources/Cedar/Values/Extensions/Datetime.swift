/// The `datetime` type of the `datetime` extension: `datetime("2024-10-15T11:35:00Z")`
/// and the methods `offset`, `durationSince`, `toDate` and `toTime`.
extension CedarDatetime: CustomStringConvertible {
    /// The length of a day; Cedar has no leap seconds.
    static let millisecondsPerDay: Int64 = 86_400_000

    /// Parses the datetime formats Rust Cedar accepts, all in the proleptic Gregorian
    /// calendar without leap seconds:
    /// `YYYY-MM-DD`, `YYYY-MM-DDThh:mm:ssZ`, `YYYY-MM-DDThh:mm:ss.SSSZ`,
    /// `YYYY-MM-DDThh:mm:ss(+|-)hhmm` and `YYYY-MM-DDThh:mm:ss.SSS(+|-)hhmm`, with ASCII
    /// digits of exactly those widths (years 0000–9999), an uppercase `T` and `Z`, and an
    /// offset under 24 hours whose minutes are under 60.
    ///
    /// As in Rust, the three parts are first checked for shape from left to right, then
    /// for meaning: the date exists, then hours < 24, minutes < 60 and seconds < 60,
    /// then the offset.
    init(parsing text: String) throws(EvaluationError) {
        let bytes = Array(text.utf8)
        let digit = ASCIIDigits.isDigit
        func number(_ range: Range<Int>) -> Int64 {
            // Only called on ranges already checked to hold one to four ASCII digits.
            range.reduce(0) { $0 * 10 + Int64(bytes[$1] - UInt8(ascii: "0")) }
        }
        func matches(_ pattern: String, at start: Int) -> Bool {
            let shape = Array(pattern.utf8)
            guard bytes.count - start >= shape.count else { return false }
            return shape.indices.allSatisfy { i in
                shape[i] == UInt8(ascii: "9") ? digit(bytes[start + i]) : bytes[start + i] == shape[i]
            }
        }

        guard matches("9999-99-99", at: 0) else { throw Self.failure("invalid date pattern") }
        let (year, month, day) = (number(0..<4), number(5..<7), number(8..<10))
        let dateText = String(decoding: bytes[0..<10], as: UTF8.self)
        func validatedDays() throws(EvaluationError) -> Int64 {
            guard (1...12).contains(month), (1...Self.daysIn(month: month, year: year)).contains(day) else {
                throw Self.failure("invalid date: \(dateText)")
            }
            return Self.daysSinceEpoch(year: year, month: month, day: day)
        }
        if bytes.count == 10 {
            self.init(milliseconds: try validatedDays() * Self.millisecondsPerDay)
            return
        }

        guard matches("T99:99:99", at: 10) else { throw Self.failure("invalid hour/minute/second pattern") }
        let (hour, minute, second) = (number(11..<13), number(14..<16), number(17..<19))
        var index = 19
        var millisecond: Int64 = 0
        if matches(".999", at: index) {
            millisecond = number((index + 1)..<(index + 4))
            index += 4
        }
        let isUTC = bytes.count == index + 1 && bytes[index] == UInt8(ascii: "Z")
        let hasOffset = bytes.count == index + 5 && (matches("+9999", at: index) || matches("-9999", at: index))
        guard isUTC || hasOffset else { throw Self.failure("invalid millisecond and/or offset pattern") }

        let days = try validatedDays()
        guard hour < 24, minute < 60, second < 60 else {
            throw Self.failure("invalid hour/minute/second: \(String(decoding: bytes[11..<19], as: UTF8.self))")
        }
        var offsetSeconds: Int64 = 0
        if hasOffset {
            let (offsetHours, offsetMinutes) = (number((index + 1)..<(index + 3)), number((index + 3)..<(index + 5)))
            guard offsetHours < 24, offsetMinutes < 60 else {
                throw Self.failure("invalid offset range: \(offsetHours)\(offsetMinutes)")
            }
            offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (bytes[index] == UInt8(ascii: "+") ? 1 : -1)
        }
        // Years 0000–9999 and offsets under a day keep every term far inside Int64.
        let secondsOfDay = hour * 3600 + minute * 60 + second
        self.init(
            milliseconds: days * Self.millisecondsPerDay + (secondsOfDay - offsetSeconds) * 1000 + millisecond
        )
    }

    /// The shortest form `datetime()` parses back to this instant: in UTC,
    /// `"2024-10-15"` at midnight, `"2024-10-15T11:35:00Z"` on a whole second,
    /// `"2024-10-15T11:35:00.123Z"` otherwise. An instant whose UTC year is just outside
    /// 0000–9999 but that `datetime()` can still denote prints with the extreme offset
    /// (`"0000-01-01T00:00:00+2359"`). Instants further out (reachable only through
    /// `offset`) print in UTC with a signed year of at least four digits
    /// (`"+10000-03-01"`, `"-0001-06-01"`), a form `datetime()` rejects.
    public var description: String {
        let utc = Self.civilTime(milliseconds)
        if (0...9999).contains(utc.year) { return Self.format(utc, offset: nil) }
        let extremeOffset: Int64 = (23 * 60 + 59) * 60_000
        let (local, suffix) = utc.year < 0
            ? (milliseconds.addingReportingOverflow(extremeOffset), "+2359")
            : (milliseconds.subtractingReportingOverflow(extremeOffset), "-2359")
        if !local.overflow {
            let shifted = Self.civilTime(local.partialValue)
            if (0...9999).contains(shifted.year) { return Self.format(shifted, offset: suffix) }
        }
        return Self.format(utc, offset: nil)
    }

    private typealias CivilTime = (year: Int64, month: Int64, day: Int64, millisecond: Int64)

    /// The calendar date and the millisecond of the day of `milliseconds` since the epoch.
    private static func civilTime(_ milliseconds: Int64) -> CivilTime {
        let (year, month, day) = civilDate(daysSinceEpoch: floorDivide(milliseconds, millisecondsPerDay))
        return (year, month, day, millisecondOfDay(milliseconds))
    }

    /// `time` as a datetime string: the date alone at UTC midnight; otherwise the time,
    /// milliseconds when not zero, and `Z` or the `offset` suffix.
    private static func format(_ time: CivilTime, offset: String?) -> String {
        let yearText = (0...9999).contains(time.year)
            ? ASCIIDigits.padded(time.year, width: 4)
            : (time.year < 0 ? "-" : "+") + ASCIIDigits.padded(time.year.magnitude, width: 4)
        let date = "\(yearText)-\(ASCIIDigits.padded(time.month, width: 2))-\(ASCIIDigits.padded(time.day, width: 2))"
        guard time.millisecond != 0 || offset != nil else { return date }
        let second = time.millisecond / 1000
        let clock = [second / 3600, second / 60 % 60, second % 60]
            .map { ASCIIDigits.padded($0, width: 2) }
            .joined(separator: ":")
        let fraction = time.millisecond % 1000 == 0 ? "" : "." + ASCIIDigits.padded(time.millisecond % 1000, width: 3)
        return "\(date)T\(clock)\(fraction)\(offset ?? "Z")"
    }

    /// This instant moved by `duration`, or nil when that leaves the 64-bit range.
    func offset(by duration: CedarDuration) -> CedarDatetime? {
        let (result, overflow) = milliseconds.addingReportingOverflow(duration.milliseconds)
        return overflow ? nil : CedarDatetime(milliseconds: result)
    }

    /// The time from `earlier` to this instant, or nil when it leaves the 64-bit range.
    func duration(since earlier: CedarDatetime) -> CedarDuration? {
        let (result, overflow) = milliseconds.subtractingReportingOverflow(earlier.milliseconds)
        return overflow ? nil : CedarDuration(milliseconds: result)
    }

    /// Midnight (UTC) of this instant's day, or nil when that is before the 64-bit range.
    var date: CedarDatetime? {
        let (result, overflow) = milliseconds.subtractingReportingOverflow(timeOfDay.milliseconds)
        return overflow ? nil : CedarDatetime(milliseconds: result)
    }

    /// The time since midnight (UTC) of this instant's day, always in 0..<1 day.
    var timeOfDay: CedarDuration {
        CedarDuration(milliseconds: Self.millisecondOfDay(milliseconds))
    }

    // MARK: Calendar

    private static func isLeap(_ year: Int64) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The milliseconds since the UTC midnight starting the day of `milliseconds`:
    /// the remainder rounding toward negative infinity, computed without the product
    /// `days * millisecondsPerDay`, which overflows near `Int64.min`.
    private static func millisecondOfDay(_ milliseconds: Int64) -> Int64 {
        let remainder = milliseconds % millisecondsPerDay
        return remainder < 0 ? remainder + millisecondsPerDay : remainder
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let quotient = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient
    }

    /// Days from 1970-01-01 to a valid proleptic Gregorian date, counting in 400-year
    /// eras of 146,097 days that start on March 1st.
    private static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDivide(y, 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date `days` after 1970-01-01; the inverse of
    /// `daysSinceEpoch`, for any day an Int64 count of milliseconds reaches.
    package static func civilDate(daysSinceEpoch days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = floorDivide(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    // MARK: Functions

    /// How Rust Cedar writes a computed datetime in its error messages.
    private var rustExpression: String {
        "(datetime(\"1970-01-01\")).offset(duration(\"\(milliseconds)ms\"))"
    }

    private static func failure(_ message: String, in function: String = "datetime") -> EvaluationError {
        .extensionError(function, message)
    }

    static let extensionFunctions: [ExtensionFunction] = [
        .unary("datetime", .function) { (argument: Value) throws(EvaluationError) -> Value in
            .ext(.datetime(try CedarDatetime(parsing: try ExtensionArgument.string(argument))))
        },
        .binary("offset", .method) { (receiver: Value, argument: Value) throws(EvaluationError) -> Value in
            let start = try ExtensionArgument.datetime(receiver)
            let duration = try ExtensionArgument.duration(argument)
            guard let result = start.offset(by: duration) else {
                throw failure("overflows when adding an offset: \(start.rustExpression)+(\(duration))", in: "offset")
            }
            return .ext(.datetime(result))
        },
        .binary("durationSince", .method) { (receiver: Value, argument: Value) throws(EvaluationError) -> Value in
            let end = try ExtensionArgument.datetime(receiver)
            let start = try ExtensionArgument.datetime(argument)
            guard let result = end.duration(since: start) else {
                throw failure(
                    "overflows when computing the duration between \(end.rustExpression) and \(start.rustExpression)",
                    in: "durationSince"
                )
            }
            return .ext(.duration(result))
        },
        .unary("toDate", .method) { (receiver: Value) throws(EvaluationError) -> Value in
            let instant = try ExtensionArgument.datetime(receiver)
            guard let result = instant.date else {
                throw failure("overflows when computing the date of \(instant.rustExpression)", in: "toDate")
            }
            return .ext(.datetime(result))
        },
        .unary("toTime", .method) { (receiver: Value) throws(EvaluationError) -> Value in
            .ext(.duration(try ExtensionArgument.datetime(receiver).timeOfDay))
        },
    ]
}
