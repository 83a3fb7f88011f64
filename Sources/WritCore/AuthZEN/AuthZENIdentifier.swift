/// The characters Writ refuses in AuthZEN identifiers — types, ids and action names.
///
/// Control characters, bidirectional controls and zero-width characters make two ids
/// that look the same differ, or one that reads as another (`admin\u{202E}` …); no
/// legitimate identifier needs them, so a request carrying one is rejected (HTTP 400,
/// `.invalidIdentifier`) rather than evaluated. Everything else is kept exactly as
/// sent: ids are compared by Unicode scalars and never normalised, so `é` (U+00E9)
/// and `e` + U+0301 are different ids, as they are in Cedar.
enum AuthZENIdentifier {
    /// Throws `.invalidIdentifier` when `text`, found at `path`, holds a refused character.
    /// The path is only rendered when there is an error to report.
    static func check(_ text: String, at path: @autoclosure () -> AuthZENPath) throws(WritError) {
        if let error = refusal(in: text, named: "`\(path())`") { throw error }
    }

    /// The error for `text`, called `name` in the message, when it holds a refused
    /// character other than those `allowing` lists: `.invalidIdentifier`, or `code`.
    static func refusal(
        in text: String, named name: @autoclosure () -> String, allowing: Set<Unicode.Scalar> = [], code: WritError.Code = .invalidIdentifier
    ) -> WritError? {
        // Nearly every identifier is printable ASCII, which holds no refused character.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return nil }
        guard let scalar = text.unicodeScalars.first(where: { isRefused($0) && !allowing.contains($0) }) else {
            return nil
        }
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let number = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        let what = code == .invalidIdentifier ? "identifiers" : "it"
        return WritError(
            code,
            "\(name()) contains \(number) (\(kind(of: scalar))); \(what) may not contain control, "
                + "bidirectional or zero-width characters")
    }

    /// The first refused scalar of `text`, if any.
    static func firstRefused(in text: String) -> Unicode.Scalar? {
        text.unicodeScalars.first(where: isRefused)
    }

    static func isRefused(_ scalar: Unicode.Scalar) -> Bool {
        isControl(scalar) || isBidiControl(scalar) || isZeroWidth(scalar)
            || scalar.value == 0x2028 || scalar.value == 0x2029
    }

    /// General category Cc, which is exactly these two ranges (no Unicode table lookup).
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value <= 0x9F)
    }

    private static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    private static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x180E, 0x200B...0x200D, 0x2060, 0xFEFF: true
        default: false
        }
    }

    private static func kind(of scalar: Unicode.Scalar) -> String {
        if isControl(scalar) { return "a control character" }
        if isBidiControl(scalar) { return "a bidirectional control" }
        if isZeroWidth(scalar) { return "a zero-width character" }
        return "a line or paragraph separator"
    }
}
