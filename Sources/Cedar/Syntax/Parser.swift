/// Parses Cedar policy text into policies, expressions and entity uids.
///
/// The grammar and its checks are Rust Cedar 4.x's: what Rust rejects, this rejects
/// with a `ParseError` naming the offending text and its line and column. Hostile
/// input is bounded: text longer than `maxInputBytes` and nesting deeper than
/// `maxNestingDepth` are errors, never crashes.
public enum PolicyParser {
    /// The longest text accepted, in UTF-8 bytes (8 MiB).
    public static let maxInputBytes = 8 * 1024 * 1024

    /// How deeply expressions may nest inside one another: a condition's body is one
    /// level, and every parenthesis, set element, record value, call argument and
    /// `if` branch inside it is one more. On a thread whose stack is too small for this
    /// depth, parsing stops earlier with the same error code, `nestingTooDeep`.
    public static let maxNestingDepth = 128

    /// The greatest height of an expression tree, counting every operator, access and
    /// call on the path from the root to a leaf (so `a.b.c` has height 3 and a chain of
    /// 200 `||` has height 200). Code that walks an `Expr` recursively may rely on it.
    public static let maxExpressionHeight = 256

    /// Parses every policy in `text`, in order. Policies get positional ids: the first
    /// is `policy0`, the second `policy1`, and so on, whatever their `@id` annotations.
    /// A policy with slots (`?principal`, `?resource`) is a template.
    public static func parsePolicies(_ text: String) throws(ParseError) -> [Policy] {
        let parser = try Parser(text)
        var policies: [Policy] = []
        while parser.current.kind != .end {
            policies.append(try parser.parsePolicy(id: "policy\(policies.count)"))
        }
        return policies
    }

    /// Parses text that holds exactly one policy or template, giving it `id`.
    public static func parsePolicy(_ text: String, id: PolicyID = "policy0") throws(ParseError) -> Policy {
        let parser = try Parser(text)
        let policy = try parser.parsePolicy(id: id)
        try parser.expectEnd("after the policy")
        return policy
    }

    /// Parses one expression, such as `context.level >= 3 && principal in Group::"a"`.
    /// Slots are allowed.
    public static func parseExpression(_ text: String) throws(ParseError) -> Expr {
        let parser = try Parser(text)
        let expr = try parser.parseExpr()
        try parser.expectEnd("after the expression")
        return expr.expr
    }

    /// Parses an entity uid such as `User::"alice"` or `PhotoApp::Photo::"vacation.jpg"`.
    public static func parseEntityUID(_ text: String) throws(ParseError) -> EntityUID {
        let parser = try Parser(text)
        let uid = try parser.parseEntityUID()
        try parser.expectEnd("after the entity uid")
        return uid
    }
}

/// An expression being built, with the height of its tree (see
/// `PolicyParser.maxExpressionHeight`).
struct Parsed {
    var expr: Expr
    var height: Int
}

/// A recursive-descent parser over the tokens of one text. The grammar is split by
/// topic: `Parser+Policy` (policies and scopes), `Parser+Expressions` (operators),
/// `Parser+Primary` (literals, names, accesses and calls).
///
/// It is a class, used by one thread for one parse, so that the recursive functions
/// share it by reference: as a struct, its state was copied into their stack frames.
final class Parser {
    private var lexer: Lexer
    /// The token being looked at.
    private(set) var current: Token
    /// The token after `current`, once `peek()` has read it.
    private var lookahead: Token?
    /// Where the last consumed token ended.
    private(set) var previousEnd: SourceLocation
    /// How many nested constructs enclose the current position.
    private var depth = 0
    /// Where this thread's stack ends; looked up once nesting gets deep.
    private lazy var stackLimit = StackLimit()
    /// The nesting depth from which `enter()` also checks the stack.
    private static let stackCheckDepth = 2
    /// The clause (`when` or `unless`) being parsed, in which slots are not allowed.
    var slotsForbiddenIn: String?

    init(_ text: String) throws(ParseError) {
        let start = SourceLocation(line: 1, column: 1, offset: 0)
        guard text.utf8.count <= PolicyParser.maxInputBytes else {
            throw ParseError(
                .inputTooLarge,
                "the policy text is \(text.utf8.count) bytes long, "
                    + "more than the limit of \(PolicyParser.maxInputBytes)",
                at: start)
        }
        lexer = Lexer(text)
        previousEnd = start
        current = lexer.next()
        if current.kind == .invalid, let error = lexer.error { throw error }
    }

    // MARK: - Tokens

    /// Consumes `current` and moves to the next token; throws if that is not a token.
    @inline(never)
    func advance() throws(ParseError) {
        previousEnd = current.end
        if let next = lookahead {
            current = next
            lookahead = nil
        } else {
            current = lexer.next()
        }
        if current.kind == .invalid, let error = lexer.error { throw error }
    }

    /// The token after `current`, without consuming anything.
    @inline(never)
    func peek() -> Token {
        if let lookahead { return lookahead }
        let next = lexer.next()
        lookahead = next
        return next
    }

    /// Consumes a token of `kind`, or throws an unexpected-token error naming `what`.
    @discardableResult
    @inline(never)
    func expect(_ kind: Token.Kind, _ what: String? = nil) throws(ParseError) -> Token {
        guard current.kind == kind else {
            if let what { throw unexpected(expected: what) }
            throw .expected(kind, found: currentText, at: current.start)
        }
        let token = current
        try advance()
        return token
    }

    /// Throws unless the whole input has been consumed.
    func expectEnd(_ context: String) throws(ParseError) {
        guard current.kind == .end else { throw unexpected(expected: "nothing more \(context)") }
    }

    /// Whether `current` is the identifier `keyword`.
    func at(_ keyword: Keyword) -> Bool {
        current.kind == .identifier && current.keyword == keyword
    }

    /// The source text of a token.
    func text(of token: Token) -> String {
        String(decoding: lexer.bytes[token.range], as: UTF8.self)
    }

    /// The source bytes of a token.
    func bytes(of token: Token) -> ArraySlice<UInt8> {
        lexer.bytes[token.range]
    }

    /// The source text from `start` to the end of the last consumed token, for messages.
    func source(from start: SourceLocation) -> String {
        let end = max(start.offset, previousEnd.offset)
        return String(decoding: lexer.bytes[start.offset..<end], as: UTF8.self).truncatedForMessage
    }

    // MARK: - Errors

    /// An error for `current` not being what the grammar wants here.
    func unexpected(expected: String) -> ParseError {
        .unexpected(currentText, expected: expected, at: current.start)
    }

    /// The text of `current`, or nil at the end of the input.
    var currentText: String? {
        current.kind == .end ? nil : text(of: current)
    }

    /// `current` as messages name it: in backticks, or "the end of the input".
    var currentDescription: String {
        current.kind == .end ? "the end of the input" : "`\(text(of: current).truncatedForMessage)`"
    }

    /// The location of byte `offset` inside `token`, for errors within a string.
    func location(ofOffset offset: Int, in token: Token) -> SourceLocation {
        var location = token.start
        var index = token.start.offset
        while index < offset, index < lexer.bytes.count {
            let byte = lexer.bytes[index]
            if byte == UInt8(ascii: "\n") {
                location.line += 1
                location.column = 1
            } else if byte & 0xC0 != 0x80 {
                location.column += 1
            }
            index += 1
        }
        location.offset = index
        return location
    }

    // MARK: - Limits

    /// Enters a nested construct; pair with `leave()`. Beyond `maxNestingDepth`, or
    /// when the thread's stack is nearly used up, this throws `nestingTooDeep`.
    @inline(never)
    func enter() throws(ParseError) {
        guard depth < PolicyParser.maxNestingDepth else { throw .nestingTooDeep(at: current.start) }
        if depth >= Self.stackCheckDepth, let limit = stackLimit, !limit.hasRoom {
            throw .stackExhausted(at: current.start)
        }
        depth += 1
    }

    /// Leaves a construct entered with `enter()`.
    func leave() {
        depth -= 1
    }

    /// Builds an expression node spanning from `start` to the last consumed token, one
    /// level above its tallest child (of height `childHeight`).
    @inline(never)
    func node(_ kind: Expr.Kind, from start: SourceLocation, above childHeight: Int) throws(ParseError) -> Parsed {
        guard childHeight < PolicyParser.maxExpressionHeight else { throw .expressionTooTall(at: start) }
        return Parsed(expr: Expr(kind, span: SourceSpan(start: start, end: previousEnd)), height: childHeight + 1)
    }

    /// A node without children.
    func leaf(_ kind: Expr.Kind, from start: SourceLocation) -> Parsed {
        Parsed(expr: Expr(kind, span: SourceSpan(start: start, end: previousEnd)), height: 1)
    }
}

extension [Parsed] {
    /// The height of the tallest expression, or 0 when there are none.
    var maxHeight: Int { lazy.map(\.height).max() ?? 0 }
}

extension String {
    /// The string shortened for an error message.
    var truncatedForMessage: String {
        let limit = 60
        guard unicodeScalars.count > limit else { return self }
        return String(String.UnicodeScalarView(unicodeScalars.prefix(limit))) + "…"
    }
}
