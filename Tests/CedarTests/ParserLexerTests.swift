import Testing

@testable import Cedar

/// All tokens of `text`, up to and including the end or the first invalid token.
private func tokens(_ text: String) -> [Token.Kind] {
    var lexer = Lexer(text)
    var kinds: [Token.Kind] = []
    while true {
        let token = lexer.next()
        kinds.append(token.kind)
        if token.kind == .end || token.kind == .invalid { return kinds }
    }
}

@Suite struct ParserLexer {
    @Test func longestMatchWins() {
        #expect(
            tokens("== != <= >= :: || && = ! < > :") == [
                .equal, .notEqual, .lessEqual, .greaterEqual, .doubleColon, .or, .and, .assign, .bang, .less, .greater,
                .colon, .end,
            ])
    }

    @Test func keywordsAreIdentifiersWithAKeyword() {
        var lexer = Lexer("permit permitted __cedar")
        #expect(lexer.next().keyword == .permit)
        let longer = lexer.next()
        #expect(longer.kind == .identifier)
        #expect(longer.keyword == nil)
        #expect(lexer.next().keyword == nil)
    }

    @Test func slotsAreQuestionMarkIdentifiers() {
        #expect(tokens("?principal ?foo") == [.slot, .slot, .end])
        #expect(tokens("? principal") == [.invalid])
    }

    @Test func commentsRunToTheEndOfTheLine() {
        #expect(tokens("1 // 2 ( [\n3 // x\r4") == [.number, .number, .number, .end])
    }

    @Test func unicodeWhitespaceSeparatesTokens() {
        #expect(tokens("1\u{A0}2\u{2028}3\u{3000}4\u{85}5") == [.number, .number, .number, .number, .number, .end])
    }

    @Test func byteOrderMarkIsNotWhitespace() throws {
        var lexer = Lexer("1\u{FEFF}")
        _ = lexer.next()
        #expect(lexer.next().kind == .invalid)
        #expect(lexer.error?.message == "unexpected character `\u{FEFF}`")
    }

    @Test func nonASCIILettersAreNotIdentifiers() {
        var lexer = Lexer("é")
        #expect(lexer.next().kind == .invalid)
        #expect(lexer.error?.code == .invalidToken)
    }

    @Test func stringsMaySpanLines() throws {
        #expect(try PolicyParser.parseExpression("\"a\nb\"") == Expr(.value(.string("a\nb"))))
    }

    @Test func backslashBeforeALineBreakIsAnError() {
        var lexer = Lexer("\"a\\\nb\"")
        #expect(lexer.next().kind == .invalid)
        #expect(lexer.error?.code == .invalidEscape)
        #expect(lexer.error?.location.column == 3)
    }

    @Test func unterminatedStringIsAnError() {
        var lexer = Lexer("x \"abc")
        _ = lexer.next()
        #expect(lexer.next().kind == .invalid)
        #expect(lexer.error?.message == "unterminated string literal")
        #expect(lexer.error?.location.column == 3)
    }

    @Test func invalidCharactersAreNamedEscapedWhenInvisible() {
        #expect(parseError(expression: "1 # 2")?.message == "unexpected character `#`")
        #expect(parseError(expression: "1 \u{7} 2")?.message == "unexpected character `\\u{7}`")
        #expect(parseError(expression: "true & false")?.message == "unexpected character `&`")
    }

    @Test func lexerErrorsComeAfterEarlierSyntaxErrors() {
        // The parser reads tokens as it goes, so a syntax error before bad text wins.
        #expect(parseError(expression: "1 + ) #")?.code == .unexpectedToken)
    }

    @Test func tokenLocationsTrackLinesAndScalars() {
        var lexer = Lexer("é\n  x")
        _ = lexer.next()
        #expect(lexer.error?.location == SourceLocation(line: 1, column: 1, offset: 0))
        var second = Lexer("\"é\"\n  x")
        _ = second.next()
        let x = second.next()
        #expect(x.start == SourceLocation(line: 2, column: 3, offset: 7))
        #expect(x.end == SourceLocation(line: 2, column: 4, offset: 8))
    }
}
