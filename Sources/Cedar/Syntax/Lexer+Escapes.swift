/// Cedar's string escapes, which are Rust's: `\n \r \t \\ \0 \' \"`, `\xHH` up to
/// `\x7F`, and `\u{H...}` with one to six hex digits (underscores allowed after the
/// first) naming a scalar. A bare carriage return is not allowed in a string. In a
/// `like` pattern, `\*` is also allowed and stands for a literal `*`, while an
/// unescaped `*` (written plainly or as `\u{2a}`) is a wildcard.
enum StringEscapes {
    /// An invalid escape: where it starts (a byte offset in the source) and why.
    struct Failure: Error, Equatable {
        let offset: Int
        let message: String
    }

    /// Decodes the text between a string token's quotes.
    static func string(_ content: ArraySlice<UInt8>) -> Result<String, Failure> {
        if !content.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\r") }) {
            return .success(String(decoding: content, as: UTF8.self))
        }
        var result = String.UnicodeScalarView()
        if let failure = decode(content, allowingEscapedStar: false, { scalar, _ in result.append(scalar) }) {
            return .failure(failure)
        }
        return .success(String(result))
    }

    /// Decodes the text between a `like` pattern's quotes.
    static func pattern(_ content: ArraySlice<UInt8>) -> Result<[Pattern.Element], Failure> {
        var elements: [Pattern.Element] = []
        let failure = decode(content, allowingEscapedStar: true) { scalar, escapedStar in
            elements.append(scalar == "*" && !escapedStar ? .wildcard : .literal(scalar))
        }
        if let failure { return .failure(failure) }
        return .success(elements)
    }

    /// Calls `emit` with each decoded scalar and whether it was written `\*`; returns
    /// the first invalid escape, if any.
    private static func decode(
        _ content: ArraySlice<UInt8>, allowingEscapedStar: Bool,
        _ emit: (Unicode.Scalar, _ escapedStar: Bool) -> Void
    ) -> Failure? {
        var index = content.startIndex
        while index < content.endIndex {
            let byte = content[index]
            if byte == UInt8(ascii: "\r") {
                return Failure(
                    offset: index, message: "a string literal cannot contain a bare carriage return; write `\\r`")
            }
            guard byte == UInt8(ascii: "\\") else {
                let (scalar, length) = UTF8Decoding.scalar(in: content, at: index)
                emit(scalar, false)
                index += length
                continue
            }
            switch escape(in: content, at: index, allowingEscapedStar: allowingEscapedStar) {
            case .success(let (scalar, length)):
                emit(scalar, scalar == "*" && content[index + 1] == UInt8(ascii: "*"))
                index += length
            case .failure(let end):
                let shown = String(decoding: content[index..<min(end.offset, content.endIndex)], as: UTF8.self)
                return Failure(offset: index, message: "the input `\(shown)` is not a valid escape")
            }
        }
        return nil
    }

    /// Where the text of an invalid escape ends, for the message.
    private struct EscapeEnd: Error {
        let offset: Int
        init(_ offset: Int) { self.offset = offset }
    }

    /// Decodes the escape whose backslash is at `start`: the scalar and the escape's
    /// length in bytes, or where the invalid escape's text ends.
    private static func escape(
        in content: ArraySlice<UInt8>, at start: Int, allowingEscapedStar: Bool
    ) -> Result<(Unicode.Scalar, Int), EscapeEnd> {
        let next = start + 1
        guard next < content.endIndex else { return .failure(EscapeEnd(next)) }
        let simple: Unicode.Scalar?
        switch content[next] {
        case UInt8(ascii: "n"): simple = "\n"
        case UInt8(ascii: "r"): simple = "\r"
        case UInt8(ascii: "t"): simple = "\t"
        case UInt8(ascii: "\\"): simple = "\\"
        case UInt8(ascii: "0"): simple = "\0"
        case UInt8(ascii: "'"): simple = "'"
        case UInt8(ascii: "\""): simple = "\""
        case UInt8(ascii: "*") where allowingEscapedStar: simple = "*"
        case UInt8(ascii: "x"): return hexEscape(in: content, at: start)
        case UInt8(ascii: "u"): return unicodeEscape(in: content, at: start)
        default:
            simple = nil
        }
        if let simple { return .success((simple, 2)) }
        let (_, length) = UTF8Decoding.scalar(in: content, at: next)
        return .failure(EscapeEnd(next + length))
    }

    /// `\xHH`, at most `\x7F`.
    private static func hexEscape(
        in content: ArraySlice<UInt8>, at start: Int
    ) -> Result<(Unicode.Scalar, Int), EscapeEnd> {
        var value: UInt32 = 0
        for position in (start + 2)..<(start + 4) {
            guard position < content.endIndex else { return .failure(EscapeEnd(position)) }
            guard let digit = content[position].hexDigitValue else { return .failure(EscapeEnd(position + 1)) }
            value = value * 16 + digit
        }
        guard value <= 0x7F, let scalar = Unicode.Scalar(value) else { return .failure(EscapeEnd(start + 4)) }
        return .success((scalar, 4))
    }

    /// `\u{H...}`: one to six hex digits, underscores allowed after the first, naming
    /// a Unicode scalar (not a surrogate, at most U+10FFFF).
    private static func unicodeEscape(
        in content: ArraySlice<UInt8>, at start: Int
    ) -> Result<(Unicode.Scalar, Int), EscapeEnd> {
        var position = start + 2
        guard position < content.endIndex, content[position] == UInt8(ascii: "{") else {
            return .failure(EscapeEnd(min(position + 1, content.endIndex)))
        }
        position += 1
        guard position < content.endIndex, let first = content[position].hexDigitValue else {
            return .failure(EscapeEnd(min(position + 1, content.endIndex)))
        }
        var value = first
        var digits = 1
        position += 1
        while position < content.endIndex {
            let byte = content[position]
            position += 1
            if byte == UInt8(ascii: "_") { continue }
            if byte == UInt8(ascii: "}") {
                guard digits <= 6, let scalar = Unicode.Scalar(value) else { return .failure(EscapeEnd(position)) }
                return .success((scalar, position - start))
            }
            guard let digit = byte.hexDigitValue else { return .failure(EscapeEnd(position)) }
            digits += 1
            if digits <= 6 { value = value * 16 + digit }
        }
        return .failure(EscapeEnd(position))
    }
}

extension UInt8 {
    /// The value of an ASCII hex digit, or nil.
    var hexDigitValue: UInt32? {
        switch self {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(self - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(self - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(self - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }
}
