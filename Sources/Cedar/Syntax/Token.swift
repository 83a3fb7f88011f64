/// One token of Cedar policy text, as the lexer hands it to the parser.
///
/// A token does not own its text: `range` indexes the UTF-8 bytes of the source,
/// and the parser copies out only what the AST keeps (names, attributes, strings).
struct Token: Sendable {
    /// What kind of token this is.
    var kind: Kind
    /// For identifiers, which keyword (if any) the identifier spells.
    var keyword: Keyword?
    /// The byte range of the token in the source's UTF-8.
    var range: Range<Int>
    /// Where the token starts.
    var start: SourceLocation
    /// Where the token ends (just past its last scalar).
    var end: SourceLocation

    enum Kind: Sendable, Equatable {
        /// `[_a-zA-Z][_a-zA-Z0-9]*`, including keywords.
        case identifier
        /// `[0-9]+`; negative numbers are a negation applied to a number.
        case number
        /// `"..."` with escapes still in place.
        case string
        /// `?name`; only `?principal` and `?resource` are valid slots.
        case slot
        case at, dot, comma, semicolon, colon, doubleColon
        case leftParen, rightParen, leftBrace, rightBrace, leftBracket, rightBracket
        case equal, notEqual, less, lessEqual, greater, greaterEqual
        case or, and, plus, minus, star, slash, percent, bang
        /// A lone `=`: never valid, but lexed so the parser can suggest `==`.
        case assign
        /// The end of the input.
        case end
        /// Text that is not a token; the lexer's error says why.
        case invalid
    }
}

/// Identifiers with a meaning of their own somewhere in Cedar's grammar.
enum Keyword: String, Sendable, CaseIterable {
    case `true`, `false`, `if`, then, `else`, `in`, `is`, has, like
    case permit, forbid, when, unless
    case principal, action, resource, context

    /// Whether this keyword is reserved: it can be neither an attribute, a record key,
    /// nor a component of a name (Rust's `ReservedIdentifier`).
    var isReserved: Bool {
        switch self {
        case .true, .false, .if, .then, .else, .in, .is, .has, .like: return true
        default: return false
        }
    }

    /// The request variable this keyword names, if any.
    var variable: Variable? {
        switch self {
        case .principal: return .principal
        case .action: return .action
        case .resource: return .resource
        case .context: return .context
        default: return nil
        }
    }

    /// Recognizes a keyword from the bytes of an identifier.
    static func recognize(_ bytes: ArraySlice<UInt8>) -> Keyword? {
        // Keywords are 2 to 9 ASCII letters; the length check and the first-byte
        // buckets keep this cheap for ordinary identifiers.
        guard (2...9).contains(bytes.count), let first = bytes.first else { return nil }
        for (spelling, keyword) in byFirstByte[Int(first)] where spelling.elementsEqual(bytes) {
            return keyword
        }
        return nil
    }

    /// Keywords bucketed by their first byte.
    private static let byFirstByte: [[([UInt8], Keyword)]] = {
        var table = Array(repeating: [([UInt8], Keyword)](), count: 256)
        for keyword in Keyword.allCases {
            let spelling = Array(keyword.rawValue.utf8)
            if let first = spelling.first { table[Int(first)].append((spelling, keyword)) }
        }
        return table
    }()
}

/// The text used for a token kind in messages such as "expected `)`".
extension Token.Kind {
    var spelling: String {
        switch self {
        case .identifier: return "identifier"
        case .number: return "number"
        case .string: return "string"
        case .slot: return "slot"
        case .at: return "@"
        case .dot: return "."
        case .comma: return ","
        case .semicolon: return ";"
        case .colon: return ":"
        case .doubleColon: return "::"
        case .leftParen: return "("
        case .rightParen: return ")"
        case .leftBrace: return "{"
        case .rightBrace: return "}"
        case .leftBracket: return "["
        case .rightBracket: return "]"
        case .equal: return "=="
        case .notEqual: return "!="
        case .less: return "<"
        case .lessEqual: return "<="
        case .greater: return ">"
        case .greaterEqual: return ">="
        case .or: return "||"
        case .and: return "&&"
        case .plus: return "+"
        case .minus: return "-"
        case .star: return "*"
        case .slash: return "/"
        case .percent: return "%"
        case .bang: return "!"
        case .assign: return "="
        case .end: return "end of input"
        case .invalid: return "invalid token"
        }
    }
}
