/// The parser's error messages, built out of line: the parse functions recurse once
/// per nesting level, so keeping message formatting out of their frames keeps the
/// stack each level needs small.
extension ParseError {
    @inline(never)
    static func unexpected(_ token: String?, expected: String, at location: SourceLocation) -> ParseError {
        guard let token else {
            return ParseError(.unexpectedToken, "unexpected end of input; expected \(expected)", at: location)
        }
        return ParseError(
            .unexpectedToken, "unexpected token `\(token.truncatedForMessage)`; expected \(expected)", at: location)
    }

    @inline(never)
    static func expected(_ kind: Token.Kind, found token: String?, at location: SourceLocation) -> ParseError {
        unexpected(token, expected: "`\(kind.spelling)`", at: location)
    }

    @inline(never)
    static func nestingTooDeep(at location: SourceLocation) -> ParseError {
        ParseError(
            .nestingTooDeep, "the policy nests more than \(PolicyParser.maxNestingDepth) levels deep", at: location)
    }

    @inline(never)
    static func stackExhausted(at location: SourceLocation) -> ParseError {
        ParseError(.nestingTooDeep, "the policy nests too deeply for the stack of the thread parsing it", at: location)
    }

    @inline(never)
    static func expressionTooTall(at location: SourceLocation) -> ParseError {
        ParseError(
            .nestingTooDeep, "the expression is more than \(PolicyParser.maxExpressionHeight) operations deep",
            at: location)
    }

    @inline(never)
    static func reservedWord(_ word: String, as role: String, at location: SourceLocation) -> ParseError {
        if word == "__cedar" {
            return ParseError(.reservedIdentifier, "`__cedar` is reserved and cannot be used as \(role)", at: location)
        }
        return ParseError(
            .reservedIdentifier, "`\(word)` is a reserved word and cannot be used as \(role)", at: location)
    }

    @inline(never)
    static func singleEquals(at location: SourceLocation) -> ParseError {
        ParseError(.invalidOperator, "`=` is not a valid operator in Cedar; use `==` to test equality", at: location)
    }

    @inline(never)
    static func chainedRelations(_ op: String, at location: SourceLocation) -> ParseError {
        ParseError(
            .invalidOperator,
            "unexpected `\(op)`: relational operators (`==`, `<`, `in`, ...) must be parenthesized when used together",
            at: location)
    }

    @inline(never)
    static func unsupportedOperator(_ kind: Token.Kind, at location: SourceLocation) -> ParseError {
        let name = kind == .slash ? "division" : "remainder"
        return ParseError(.invalidOperator, "\(name) (`\(kind.spelling)`) is not supported in Cedar", at: location)
    }

    @inline(never)
    static func tooManyUnaryOperators(_ kind: Token.Kind, at location: SourceLocation) -> ParseError {
        ParseError(
            .invalidOperator,
            "too many occurrences of `\(kind.spelling)` in a row; at most four are allowed without parentheses",
            at: location)
    }

    @inline(never)
    static func integerTooLarge(_ literal: String, at location: SourceLocation) -> ParseError {
        ParseError(.integerOverflow, "integer literal `\(literal)` is too large", at: location)
    }

    @inline(never)
    static func unknownVariable(_ name: String, at location: SourceLocation) -> ParseError {
        ParseError(
            .unknownVariable,
            "unknown variable `\(name)`; the variables are `principal`, `action`, `resource` and `context`",
            at: location)
    }

    @inline(never)
    static func duplicateKey(_ key: String, at location: SourceLocation) -> ParseError {
        ParseError(.duplicateKey, "duplicate key `\(key)` in record literal", at: location)
    }

    @inline(never)
    static func invalidSlot(_ spelling: String, at location: SourceLocation) -> ParseError {
        ParseError(
            .invalidSlot, "`\(spelling)` is not a valid template slot; the slots are `?principal` and `?resource`",
            at: location)
    }

    @inline(never)
    static func slotInCondition(_ spelling: String, clause: String, at location: SourceLocation) -> ParseError {
        ParseError(
            .invalidSlot,
            "found template slot `\(spelling)` in a `\(clause)` clause; slots may only appear in the scope",
            at: location)
    }
}
