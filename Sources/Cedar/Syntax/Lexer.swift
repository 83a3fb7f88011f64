/// Splits Cedar policy text into tokens, on demand, working over the UTF-8 bytes.
///
/// Follows the token rules of Rust Cedar's grammar: identifiers and numbers are ASCII,
/// whitespace is any Unicode `White_Space` scalar, `//` comments run to the end of the
/// line, and a string is `"` ... `"` in which a backslash escapes any character but a
/// line break (escapes are checked later, when the parser knows whether the string is
/// a pattern). Locations count lines from 1 and columns in Unicode scalars from 1.
struct Lexer {
    /// The source text's UTF-8.
    let bytes: [UInt8]
    /// The next byte to read.
    private(set) var offset = 0
    private var line = 1
    private var column = 1
    /// Why the last `.invalid` token is not a token.
    private(set) var error: ParseError?

    init(_ text: String) {
        bytes = Array(text.utf8)
    }

    /// Where the lexer is now.
    var location: SourceLocation { SourceLocation(line: line, column: column, offset: offset) }

    /// Reads the next token, skipping whitespace and comments. At the end of the input
    /// it returns `.end`; on text that is not a token it returns `.invalid` and sets
    /// `error` (and stays there).
    mutating func next() -> Token {
        if error != nil { return token(.invalid, from: location) }
        skipTrivia()
        let start = location
        guard offset < bytes.count else { return token(.end, from: start) }
        let byte = bytes[offset]
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"):
            skipIdentifierBytes()
            var result = token(.identifier, from: start)
            result.keyword = Keyword.recognize(bytes[start.offset..<offset])
            return result
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            while offset < bytes.count, bytes[offset].isASCIIDigit { advanceASCII() }
            return token(.number, from: start)
        case UInt8(ascii: "\""):
            return lexString(from: start)
        case UInt8(ascii: "?"):
            advanceASCII()
            guard offset < bytes.count, bytes[offset].isIdentifierStart else {
                return invalid(at: start, "unexpected character `?`; a slot is written `?principal` or `?resource`")
            }
            skipIdentifierBytes()
            return token(.slot, from: start)
        default:
            if let kind = lexPunctuation(byte) { return token(kind, from: start) }
            let scalar = scalar(at: offset)
            return invalid(at: start, "unexpected character `\(scalar.displayed)`")
        }
    }

    // MARK: - Tokens

    private func token(_ kind: Token.Kind, from start: SourceLocation) -> Token {
        Token(kind: kind, keyword: nil, range: start.offset..<offset, start: start, end: location)
    }

    private mutating func invalid(
        at start: SourceLocation, _ message: String, _ code: ParseError.Code = .invalidToken
    ) -> Token {
        error = ParseError(code, message, at: start)
        // Stay at the offending text so that every later call reports the same place.
        offset = start.offset
        line = start.line
        column = start.column
        return Token(kind: .invalid, keyword: nil, range: offset..<offset, start: start, end: start)
    }

    private mutating func lexPunctuation(_ byte: UInt8) -> Token.Kind? {
        let nextByte: UInt8? = offset + 1 < bytes.count ? bytes[offset + 1] : nil
        func two(_ second: UInt8, _ long: Token.Kind, else short: Token.Kind?) -> Token.Kind? {
            if nextByte == second {
                advanceASCII(2)
                return long
            }
            guard let short else { return nil }
            advanceASCII()
            return short
        }
        switch byte {
        case UInt8(ascii: "="): return two(UInt8(ascii: "="), .equal, else: .assign)
        case UInt8(ascii: "!"): return two(UInt8(ascii: "="), .notEqual, else: .bang)
        case UInt8(ascii: "<"): return two(UInt8(ascii: "="), .lessEqual, else: .less)
        case UInt8(ascii: ">"): return two(UInt8(ascii: "="), .greaterEqual, else: .greater)
        case UInt8(ascii: ":"): return two(UInt8(ascii: ":"), .doubleColon, else: .colon)
        case UInt8(ascii: "|"): return two(UInt8(ascii: "|"), .or, else: nil)
        case UInt8(ascii: "&"): return two(UInt8(ascii: "&"), .and, else: nil)
        default: break
        }
        let kind: Token.Kind
        switch byte {
        case UInt8(ascii: "@"): kind = .at
        case UInt8(ascii: "."): kind = .dot
        case UInt8(ascii: ","): kind = .comma
        case UInt8(ascii: ";"): kind = .semicolon
        case UInt8(ascii: "("): kind = .leftParen
        case UInt8(ascii: ")"): kind = .rightParen
        case UInt8(ascii: "{"): kind = .leftBrace
        case UInt8(ascii: "}"): kind = .rightBrace
        case UInt8(ascii: "["): kind = .leftBracket
        case UInt8(ascii: "]"): kind = .rightBracket
        case UInt8(ascii: "+"): kind = .plus
        case UInt8(ascii: "-"): kind = .minus
        case UInt8(ascii: "*"): kind = .star
        case UInt8(ascii: "/"): kind = .slash
        case UInt8(ascii: "%"): kind = .percent
        default: return nil
        }
        advanceASCII()
        return kind
    }

    /// Lexes `"..."`. A backslash takes the next character whatever it is, except a
    /// line break, which Cedar's grammar does not accept after a backslash.
    private mutating func lexString(from start: SourceLocation) -> Token {
        advanceASCII()
        while offset < bytes.count {
            switch bytes[offset] {
            case UInt8(ascii: "\""):
                advanceASCII()
                return token(.string, from: start)
            case UInt8(ascii: "\\"):
                let backslash = location
                advanceASCII()
                guard offset < bytes.count else { break }
                if bytes[offset] == UInt8(ascii: "\n") {
                    return invalid(at: backslash, "a `\\` at the end of a line is not a valid escape", .invalidEscape)
                }
                advanceScalar()
            default:
                advanceScalar()
            }
        }
        return invalid(at: start, "unterminated string literal")
    }

    // MARK: - Trivia

    /// Skips whitespace (any Unicode `White_Space` scalar) and `//` comments.
    private mutating func skipTrivia() {
        while offset < bytes.count {
            let byte = bytes[offset]
            switch byte {
            case UInt8(ascii: " "), 0x09...0x0D:
                advanceByte()
            case UInt8(ascii: "/") where offset + 1 < bytes.count && bytes[offset + 1] == UInt8(ascii: "/"):
                while offset < bytes.count, bytes[offset] != UInt8(ascii: "\n"), bytes[offset] != UInt8(ascii: "\r") {
                    advanceByte()
                }
            case 0x80...:
                guard scalar(at: offset).properties.isWhitespace else { return }
                advanceScalar()
            default:
                return
            }
        }
    }

    // MARK: - Advancing

    private mutating func skipIdentifierBytes() {
        advanceASCII()
        while offset < bytes.count, bytes[offset].isIdentifierContinue { advanceASCII() }
    }

    /// Advances over `count` ASCII bytes that are not line breaks.
    private mutating func advanceASCII(_ count: Int = 1) {
        offset += count
        column += count
    }

    /// Advances over one byte of any kind, keeping line and column.
    private mutating func advanceByte() {
        let byte = bytes[offset]
        offset += 1
        if byte == UInt8(ascii: "\n") {
            line += 1
            column = 1
        } else if byte & 0xC0 != 0x80 {
            column += 1
        }
    }

    /// Advances over the whole scalar starting at `offset`.
    private mutating func advanceScalar() {
        advanceByte()
        while offset < bytes.count, bytes[offset] & 0xC0 == 0x80 { offset += 1 }
    }

    /// The scalar whose UTF-8 starts at `index`.
    func scalar(at index: Int) -> Unicode.Scalar {
        UTF8Decoding.scalar(in: bytes, at: index).scalar
    }
}

/// Decoding of single scalars from UTF-8 that is known to be valid (it came from a
/// Swift `String`), without building a `String`.
enum UTF8Decoding {
    /// The scalar whose encoding starts at `index`, and the number of bytes it takes.
    static func scalar<C: RandomAccessCollection<UInt8>>(
        in bytes: C, at index: C.Index
    ) -> (scalar: Unicode.Scalar, length: Int) {
        let lead = UInt32(bytes[index])
        let length: Int
        var value: UInt32
        switch lead {
        case 0..<0x80: return (Unicode.Scalar(UInt8(lead)), 1)
        case 0xC0..<0xE0:
            length = 2
            value = lead & 0x1F
        case 0xE0..<0xF0:
            length = 3
            value = lead & 0x0F
        default:
            length = 4
            value = lead & 0x07
        }
        var position = index
        for _ in 1..<length {
            position = bytes.index(after: position)
            guard position < bytes.endIndex else { return ("\u{FFFD}", 1) }
            value = value << 6 | UInt32(bytes[position] & 0x3F)
        }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
    }
}

extension UInt8 {
    var isASCIIDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }

    var isIdentifierStart: Bool {
        (self >= UInt8(ascii: "a") && self <= UInt8(ascii: "z"))
            || (self >= UInt8(ascii: "A") && self <= UInt8(ascii: "Z")) || self == UInt8(ascii: "_")
    }

    var isIdentifierContinue: Bool { isIdentifierStart || isASCIIDigit }
}

extension Unicode.Scalar {
    /// The scalar as it appears in an error message: printable ones as themselves,
    /// others as a Cedar escape.
    var displayed: String {
        if properties.generalCategory == .control || properties.isWhitespace && self != " " {
            return "\\u{" + String(value, radix: 16) + "}"
        }
        return String(self)
    }
}
