/// One token of `.cedarschema` text.
///
/// Keywords (`entity`, `appliesTo`, `Set`, ...) are identifiers: the schema grammar
/// also accepts most of them as names, so the parser tells them apart by context.
struct SchemaToken: Sendable {
    enum Kind: Sendable, Equatable {
        /// `[_a-zA-Z][_a-zA-Z0-9]*`, keywords included.
        case identifier
        /// `[0-9]+`: a token of the grammar that no rule accepts.
        case number
        /// `"..."` with escapes still in place.
        case string
        case comma, semicolon, colon, doubleColon
        case leftBrace, rightBrace, leftBracket, rightBracket, leftParen, rightParen
        case less, greater, equal, question, at
        /// The end of the input.
        case end
    }

    var kind: Kind
    /// The token's bytes in the source's UTF-8.
    var range: Range<Int>
    /// Where the token starts.
    var start: SourceLocation
}

/// Splits `.cedarschema` text into tokens, on demand, following the token rules of
/// Rust Cedar's schema grammar: whitespace is any Unicode `White_Space` scalar, `//`
/// comments run to the end of the line, and a string is `"` ... `"` in which a
/// backslash escapes any character but a line break (escapes are decoded by the
/// parser). Locations count lines from 1 and columns in Unicode scalars from 1.
struct CedarSchemaLexer {
    /// The source text's UTF-8.
    let bytes: [UInt8]
    /// The next byte to read.
    private var offset = 0
    private var line = 1
    private var column = 1

    init(_ text: String) {
        bytes = Array(text.utf8)
    }

    /// Where the lexer is now.
    var location: SourceLocation { SourceLocation(line: line, column: column, offset: offset) }

    /// Reads the next token, skipping whitespace and comments; `.end` at the end of
    /// the input. Text that is not a token is an `invalidToken` error.
    mutating func next() throws(SchemaError) -> SchemaToken {
        skipTrivia()
        let start = location
        guard offset < bytes.count else { return token(.end, from: start) }
        let byte = bytes[offset]
        if byte.isIdentifierStart {
            advanceASCII()
            while offset < bytes.count, bytes[offset].isIdentifierContinue { advanceASCII() }
            return token(.identifier, from: start)
        }
        if byte.isASCIIDigit {
            while offset < bytes.count, bytes[offset].isASCIIDigit { advanceASCII() }
            return token(.number, from: start)
        }
        if byte == UInt8(ascii: "\"") { return try lexString(from: start) }
        if byte == UInt8(ascii: ":") {
            let double = offset + 1 < bytes.count && bytes[offset + 1] == UInt8(ascii: ":")
            advanceASCII(double ? 2 : 1)
            return token(double ? .doubleColon : .colon, from: start)
        }
        if let kind = Self.punctuation[byte] {
            advanceASCII()
            return token(kind, from: start)
        }
        let scalar = UTF8Decoding.scalar(in: bytes, at: offset).scalar
        throw SchemaError(.invalidToken, "unexpected character `\(scalar.displayed)`", at: start)
    }

    /// The single-byte tokens.
    private static let punctuation: [UInt8: SchemaToken.Kind] = [
        UInt8(ascii: ","): .comma, UInt8(ascii: ";"): .semicolon,
        UInt8(ascii: "{"): .leftBrace, UInt8(ascii: "}"): .rightBrace,
        UInt8(ascii: "["): .leftBracket, UInt8(ascii: "]"): .rightBracket,
        UInt8(ascii: "("): .leftParen, UInt8(ascii: ")"): .rightParen,
        UInt8(ascii: "<"): .less, UInt8(ascii: ">"): .greater,
        UInt8(ascii: "="): .equal, UInt8(ascii: "?"): .question, UInt8(ascii: "@"): .at,
    ]

    private func token(_ kind: SchemaToken.Kind, from start: SourceLocation) -> SchemaToken {
        SchemaToken(kind: kind, range: start.offset..<offset, start: start)
    }

    /// Lexes `"..."`. A backslash takes the next character whatever it is, except a
    /// line break, which the grammar does not accept after a backslash.
    private mutating func lexString(from start: SourceLocation) throws(SchemaError) -> SchemaToken {
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
                    throw SchemaError(
                        .invalidToken, "a `\\` at the end of a line is not a valid escape", at: backslash)
                }
                advanceScalar()
            default:
                advanceScalar()
            }
        }
        throw SchemaError(.invalidToken, "unterminated string literal", at: start)
    }

    /// Skips whitespace (any Unicode `White_Space` scalar) and `//` comments.
    private mutating func skipTrivia() {
        while offset < bytes.count {
            switch bytes[offset] {
            case UInt8(ascii: " "), 0x09...0x0D:
                advanceByte()
            case UInt8(ascii: "/") where offset + 1 < bytes.count && bytes[offset + 1] == UInt8(ascii: "/"):
                while offset < bytes.count, bytes[offset] != UInt8(ascii: "\n"), bytes[offset] != UInt8(ascii: "\r") {
                    advanceByte()
                }
            case 0x80...:
                guard UTF8Decoding.scalar(in: bytes, at: offset).scalar.properties.isWhitespace else { return }
                advanceScalar()
            default:
                return
            }
        }
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
}
