import Cedar
import Foundation

/// Times in audit output: RFC 3339 in UTC with exactly six fractional digits
/// (`2026-12-01T09:30:00.000000Z`), the precision records keep.
public enum AuditTime {
    /// `micros` (since 1970-01-01T00:00:00Z) as RFC 3339 UTC with six fractional digits.
    public static func format(micros: Int64) -> String {
        var seconds = micros / 1_000_000
        var fraction = micros % 1_000_000
        if fraction < 0 {
            fraction += 1_000_000
            seconds -= 1
        }
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = CedarDatetime.civilDate(daysSinceEpoch: days)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):"
            + "\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2)).\(pad(fraction, 6))Z"
    }

    /// Reads an RFC 3339 date-time (`2026-12-01T09:30:00Z`, with or without a fraction,
    /// `Z` or an offset); nil when `text` is not one.
    public static func parse(_ text: String) -> Date? {
        guard text.count <= 40, text.contains("T") else { return nil }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) {
            return date
        }
        return try? Date(text, strategy: Date.ISO8601FormatStyle())
    }
}
