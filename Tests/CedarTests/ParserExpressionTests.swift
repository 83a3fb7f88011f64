import Testing

@testable import Cedar

/// Small builders for expected expression trees (equality ignores spans).
enum E {
    static let principal = Expr(.variable(.principal))
    static let action = Expr(.variable(.action))
    static let resource = Expr(.variable(.resource))
    static let context = Expr(.variable(.context))
    static let yes = Expr(.value(.bool(true)))
    static let no = Expr(.value(.bool(false)))
    static func long(_ n: Int64) -> Expr { Expr(.value(.long(n))) }
    static func string(_ s: String) -> Expr { Expr(.value(.string(s))) }
    static func entity(_ type: String, _ id: String) -> Expr { Expr(.value(.entity(EntityUID(type, id)))) }
    static func attr(_ e: Expr, _ name: String) -> Expr { Expr(.getAttribute(e, name)) }
    static func has(_ e: Expr, _ name: String) -> Expr { Expr(.hasAttribute(e, name)) }
    static func and(_ a: Expr, _ b: Expr) -> Expr { Expr(.and(a, b)) }
    static func or(_ a: Expr, _ b: Expr) -> Expr { Expr(.or(a, b)) }
    static func not(_ e: Expr) -> Expr { Expr(.not(e)) }
    static func negate(_ e: Expr) -> Expr { Expr(.negate(e)) }
    static func binary(_ op: BinaryOperator, _ a: Expr, _ b: Expr) -> Expr { Expr(.binary(op, a, b)) }
    static func call(_ name: String, _ args: Expr...) -> Expr { Expr(.call(name, args)) }
}

/// Parses `text` as an expression, or returns the error.
func parseError(expression text: String) -> ParseError? {
    do {
        _ = try PolicyParser.parseExpression(text)
        return nil
    } catch {
        return error
    }
}

@Suite struct ParserPrecedence {
    @Test func operatorsBindFromLoosestToTightest() throws {
        let expected = E.or(
            E.and(
                E.binary(.less, E.binary(.add, E.long(1), E.binary(.multiply, E.long(2), E.long(3))), E.long(4)),
                E.yes),
            E.no)
        #expect(try PolicyParser.parseExpression("1 + 2 * 3 < 4 && true || false") == expected)
    }

    @Test func binaryOperatorsAssociateToTheLeft() throws {
        #expect(
            try PolicyParser.parseExpression("1 - 2 + 3")
                == E.binary(.add, E.binary(.subtract, E.long(1), E.long(2)), E.long(3)))
        #expect(try PolicyParser.parseExpression("true || false || true") == E.or(E.or(E.yes, E.no), E.yes))
        #expect(try PolicyParser.parseExpression("true && false && true") == E.and(E.and(E.yes, E.no), E.yes))
    }

    @Test func parenthesesOverridePrecedence() throws {
        #expect(
            try PolicyParser.parseExpression("(1 + 2) * 3")
                == E.binary(.multiply, E.binary(.add, E.long(1), E.long(2)), E.long(3)))
    }

    @Test func relationalOperatorsDoNotChain() {
        let error = parseError(expression: "1 < 2 < 3")
        #expect(error?.code == .invalidOperator)
        #expect(error?.location.column == 7)
        #expect(parseError(expression: "principal in User::\"a\" in User::\"b\"")?.code == .invalidOperator)
    }

    @Test func elseBranchExtendsAsFarAsPossible() throws {
        let expected = Expr(.ifThenElse(E.yes, then: E.long(1), else: E.or(E.long(2), E.long(3))))
        #expect(try PolicyParser.parseExpression("if true then 1 else 2 || 3") == expected)
    }

    @Test func ifNeedsParenthesesInsideAnOperator() throws {
        #expect(parseError(expression: "1 + if true then 1 else 2")?.code == .unexpectedToken)
        let expected = E.binary(.add, E.long(1), Expr(.ifThenElse(E.yes, then: E.long(1), else: E.long(2))))
        #expect(try PolicyParser.parseExpression("1 + (if true then 1 else 2)") == expected)
    }

    @Test func unaryOperatorsApplyToTheWholeMemberAccess() throws {
        #expect(try PolicyParser.parseExpression("!context.a") == E.not(E.attr(E.context, "a")))
        #expect(try PolicyParser.parseExpression("-context.a") == E.negate(E.attr(E.context, "a")))
    }

    @Test func singleEqualsIsRejectedWithAHint() {
        let error = parseError(expression: "principal = principal")
        #expect(error?.code == .invalidOperator)
        #expect(error?.message == "`=` is not a valid operator in Cedar; use `==` to test equality")
    }

    @Test func divisionAndRemainderAreNotSupported() {
        #expect(parseError(expression: "4 / 2")?.message == "division (`/`) is not supported in Cedar")
        #expect(parseError(expression: "4 % 2")?.message == "remainder (`%`) is not supported in Cedar")
    }
}

@Suite struct ParserUnaryAndNumbers {
    @Test func minusBeforeANumberIsANegativeLiteral() throws {
        #expect(try PolicyParser.parseExpression("-5") == E.long(-5))
        #expect(try PolicyParser.parseExpression("- 5") == E.long(-5))
    }

    @Test func leastLongParsesAsALiteral() throws {
        #expect(try PolicyParser.parseExpression("-9223372036854775808") == E.long(.min))
    }

    @Test func doubleMinusNegatesTheNegativeLiteral() throws {
        #expect(try PolicyParser.parseExpression("--5") == E.negate(E.long(-5)))
        #expect(try PolicyParser.parseExpression("--9223372036854775808") == E.negate(E.long(.min)))
    }

    @Test func minusBeforeParenthesesIsANegation() throws {
        #expect(try PolicyParser.parseExpression("-(5)") == E.negate(E.long(5)))
    }

    @Test func minusBeforeAMemberAccessNegatesTheAccess() throws {
        #expect(try PolicyParser.parseExpression("-1.foo") == E.negate(E.attr(E.long(1), "foo")))
    }

    @Test func literalsOutsideTheLongRangeAreErrors() {
        #expect(
            parseError(expression: "9223372036854775808")?.message
                == "integer literal `9223372036854775808` is too large")
        #expect(parseError(expression: "-9223372036854775809")?.code == .integerOverflow)
        #expect(parseError(expression: "-(9223372036854775808)")?.code == .integerOverflow)
        #expect(parseError(expression: "99999999999999999999999")?.code == .integerOverflow)
    }

    @Test func fourUnaryOperatorsAreAllowed() throws {
        #expect(try PolicyParser.parseExpression("!!!!true") == E.not(E.not(E.not(E.not(E.yes)))))
        #expect(try PolicyParser.parseExpression("----1") == E.negate(E.negate(E.negate(E.long(-1)))))
    }

    @Test func fiveUnaryOperatorsAreAnError() {
        let error = parseError(expression: "!!!!!true")
        #expect(error?.code == .invalidOperator)
        #expect(error?.location.column == 5)
        #expect(parseError(expression: "-----1")?.code == .invalidOperator)
    }

    @Test func notAndMinusDoNotMixWithoutParentheses() throws {
        #expect(parseError(expression: "!-1")?.code == .unexpectedToken)
        #expect(parseError(expression: "-!true")?.code == .unexpectedToken)
        #expect(try PolicyParser.parseExpression("!(-1)") == E.not(E.long(-1)))
    }
}

@Suite struct ParserHasLikeIs {
    @Test func hasTakesAnIdentifierOrAString() throws {
        #expect(try PolicyParser.parseExpression("context has a") == E.has(E.context, "a"))
        #expect(try PolicyParser.parseExpression("context has \"a b\"") == E.has(E.context, "a b"))
        #expect(try PolicyParser.parseExpression("context has principal") == E.has(E.context, "principal"))
    }

    @Test func hasWithAPathTestsEachStep() throws {
        let expected = E.and(
            E.and(E.has(E.context, "a"), E.has(E.attr(E.context, "a"), "b")),
            E.has(E.attr(E.attr(E.context, "a"), "b"), "c"))
        #expect(try PolicyParser.parseExpression("context has a.b.c") == expected)
    }

    @Test func hasRejectsReservedWordsAndNamespaces() {
        #expect(parseError(expression: "context has if")?.code == .reservedIdentifier)
        #expect(parseError(expression: "context has a.then")?.code == .reservedIdentifier)
        #expect(parseError(expression: "context has __cedar")?.code == .reservedIdentifier)
        #expect(parseError(expression: "context has a::b")?.code == .invalidAttribute)
        #expect(parseError(expression: "context has a[\"b\"]")?.code == .invalidAttribute)
        #expect(parseError(expression: "context has 1")?.code == .invalidAttribute)
    }

    @Test func likePatternsHaveWildcardsAndEscapedStars() throws {
        let expected = Expr(.like(E.string("a"), Pattern([.literal("a"), .wildcard, .literal("*"), .wildcard])))
        #expect(try PolicyParser.parseExpression(#""a" like "a*\*\u{2a}""#) == expected)
    }

    @Test func likeNeedsAStringLiteral() {
        let error = parseError(expression: "context like principal")
        #expect(error?.code == .invalidPattern)
        #expect(parseError(expression: "context like (\"a\")")?.code == .invalidPattern)
        #expect(parseError(expression: "context like \"a\".b")?.code == .invalidPattern)
    }

    @Test func escapedStarIsOnlyValidInPatterns() {
        let error = parseError(expression: #""\*""#)
        #expect(error?.code == .invalidEscape)
        #expect(error?.message == "the input `\\*` is not a valid escape")
    }

    @Test func isTakesAnEntityTypeAndAnOptionalIn() throws {
        #expect(
            try PolicyParser.parseExpression("principal is User")
                == Expr(.isType(E.principal, EntityType("User"), in: nil)))
        let expected = Expr(.isType(E.principal, EntityType("App::User"), in: E.entity("Group", "g")))
        #expect(try PolicyParser.parseExpression("principal is App::User in Group::\"g\"") == expected)
    }

    @Test func variableNamesAreValidEntityTypes() throws {
        #expect(
            try PolicyParser.parseExpression("principal is principal")
                == Expr(.isType(E.principal, EntityType("principal"), in: nil)))
    }

    @Test func isRejectsAnythingButATypeName() {
        #expect(parseError(expression: "principal is \"User\"")?.code == .invalidEntityType)
        #expect(parseError(expression: "principal is User::\"a\"")?.code == .invalidEntityType)
        #expect(parseError(expression: "principal is if::User")?.code == .reservedIdentifier)
        #expect(parseError(expression: "principal is __cedar::User")?.code == .reservedIdentifier)
    }
}

@Suite struct ParserMembersAndCalls {
    @Test func attributesAreReadWithDotsOrBrackets() throws {
        #expect(
            try PolicyParser.parseExpression("context.a[\"b c\"].permit")
                == E.attr(E.attr(E.attr(E.context, "a"), "b c"), "permit"))
    }

    @Test func reservedWordsAreNotAttributeNames() {
        let error = parseError(expression: "context.if")
        #expect(error?.code == .reservedIdentifier)
        #expect(error?.message == "`if` is a reserved word and cannot be used as an attribute name")
        #expect(parseError(expression: "context.__cedar")?.code == .reservedIdentifier)
    }

    @Test func bracketsAcceptAnyStringIncludingReservedWords() throws {
        #expect(try PolicyParser.parseExpression("context[\"__cedar\"]") == E.attr(E.context, "__cedar"))
    }

    @Test func bracketsNeedAStringLiteral() {
        #expect(parseError(expression: "context[principal]")?.code == .invalidAttribute)
    }

    @Test func builtInMethodsHaveTheirOwnCases() throws {
        #expect(
            try PolicyParser.parseExpression("[1].contains(1)")
                == E.binary(.contains, Expr(.set([E.long(1)])), E.long(1)))
        #expect(
            try PolicyParser.parseExpression("context.containsAll([])")
                == E.binary(.containsAll, E.context, Expr(.set([]))))
        #expect(
            try PolicyParser.parseExpression("context.containsAny([])")
                == E.binary(.containsAny, E.context, Expr(.set([]))))
        #expect(
            try PolicyParser.parseExpression("principal.hasTag(\"t\")") == E.binary(.hasTag, E.principal, E.string("t"))
        )
        #expect(
            try PolicyParser.parseExpression("principal.getTag(\"t\")") == E.binary(.getTag, E.principal, E.string("t"))
        )
        #expect(try PolicyParser.parseExpression("context.isEmpty()") == Expr(.isEmpty(E.context)))
    }

    @Test func builtInMethodsCheckTheirArgumentCount() {
        let error = parseError(expression: "context.contains(1, 2)")
        #expect(error?.code == .wrongArity)
        #expect(error?.message == "`contains` takes exactly 1 argument, but got 2 arguments")
        #expect(
            parseError(expression: "context.isEmpty(1)")?.message
                == "`isEmpty` takes exactly 0 arguments, but got 1 argument")
    }

    @Test func extensionMethodsTakeTheirReceiverAsTheFirstArgument() throws {
        let expected = E.call("isInRange", E.call("ip", E.string("10.0.0.1")), E.call("ip", E.string("10.0.0.0/8")))
        #expect(try PolicyParser.parseExpression("ip(\"10.0.0.1\").isInRange(ip(\"10.0.0.0/8\"))") == expected)
    }

    @Test func extensionCallsAreNotCheckedForArgumentCountAsInRust() throws {
        #expect(try PolicyParser.parseExpression("ip(\"a\", \"b\")") == E.call("ip", E.string("a"), E.string("b")))
        #expect(try PolicyParser.parseExpression("decimal()") == E.call("decimal"))
    }

    @Test func unknownFunctionsAndMethodsAreNamed() {
        let function = parseError(expression: "foo(1)")
        #expect(function?.code == .unknownFunction)
        #expect(function?.message == "`foo` is not a valid function")
        #expect(parseError(expression: "A::ip(\"1\")")?.message == "`A::ip` is not a valid function")
        let method = parseError(expression: "context.foo()")
        #expect(method?.code == .unknownFunction)
        #expect(method?.message == "`foo` is not a valid method")
    }

    @Test func functionsAndMethodsMustBeCalledInTheirOwnStyle() {
        #expect(
            parseError(expression: "lessThan(1, 2)")?.message
                == "`lessThan` is a method, not a function; call it as `receiver.lessThan(...)`")
        #expect(parseError(expression: "contains([1], 1)")?.code == .unknownFunction)
        #expect(
            parseError(expression: "context.ip(\"1\")")?.message
                == "`ip` is a function, not a method; call it as `ip(...)`")
    }

    @Test func onlyNamesCanBeCalled() {
        #expect(parseError(expression: "principal(1)")?.code == .invalidCall)
        #expect(parseError(expression: "(ip)(1)")?.code == .unknownVariable)
        #expect(parseError(expression: "(1)(2)")?.code == .invalidCall)
        #expect(parseError(expression: "User.foo")?.code == .invalidCall)
        #expect(parseError(expression: "ip.isIpv4()")?.code == .invalidCall)
    }
}

@Suite struct ParserPrimaries {
    @Test func stringsDecodeCedarEscapes() throws {
        #expect(
            try PolicyParser.parseExpression(#""\n\r\t\\\0\'\"\x41\u{1F600}\u{0_0_4_1}""#)
                == E.string("\n\r\t\\\0'\"A😀A"))
    }

    @Test func invalidEscapesAreErrorsAtTheirLocation() {
        for bad in [
            #""\q""#, #""\x80""#, #""\u{110000}""#, #""\u{D800}""#, #""\u{}""#, #""\u{_1}""#, #""\u0041""#,
            #""\u{1234567}""#,
        ] {
            let error = parseError(expression: "  " + bad)
            #expect(error?.code == .invalidEscape, "\(bad)")
            #expect(error?.location.column == 4, "\(bad)")
        }
    }

    @Test func bareCarriageReturnInAStringIsAnError() {
        #expect(parseError(expression: "\"a\rb\"")?.code == .invalidEscape)
    }

    @Test func entityUIDsMayBeNamespacedAndUseVariableNames() throws {
        #expect(try PolicyParser.parseExpression("App::User::\"a\\u{0}\"") == E.entity("App::User", "a\0"))
        #expect(try PolicyParser.parseExpression("principal::\"a\"") == E.entity("principal", "a"))
    }

    @Test func entityTypesRejectReservedWords() {
        #expect(parseError(expression: "if::x::\"a\"")?.code == .unexpectedToken)
        #expect(parseError(expression: "A::in::\"a\"")?.code == .reservedIdentifier)
        #expect(parseError(expression: "__cedar::\"a\"")?.code == .reservedIdentifier)
    }

    @Test func setsAndRecordsAllowTrailingCommas() throws {
        #expect(try PolicyParser.parseExpression("[1, 2,]") == Expr(.set([E.long(1), E.long(2)])))
        let record = Expr(
            .record([RecordField(key: "a", value: E.long(1)), RecordField(key: "b c", value: E.long(2))]))
        #expect(try PolicyParser.parseExpression("{a: 1, \"b c\": 2,}") == record)
    }

    @Test func recordKeysKeepSourceOrder() throws {
        let record = Expr(.record([RecordField(key: "b", value: E.long(1)), RecordField(key: "a", value: E.long(2))]))
        #expect(try PolicyParser.parseExpression("{b: 1, a: 2}") == record)
    }

    @Test func duplicateRecordKeysAreErrors() {
        let error = parseError(expression: #"{a: 1, "\u{61}": 2}"#)
        #expect(error?.code == .duplicateKey)
        #expect(error?.message == "duplicate key `a` in record literal")
        #expect(error?.location.column == 8)
    }

    @Test func recordKeysCompareByUnicodeScalars() throws {
        let record = try PolicyParser.parseExpression(#"{"\u{e9}": 1, "e\u{301}": 2}"#)
        guard case .record(let fields) = record.kind else {
            Issue.record("not a record")
            return
        }
        #expect(fields.count == 2)
    }

    @Test func recordKeysRejectReservedWordsButAllowKeywords() throws {
        #expect(parseError(expression: "{if: 1}")?.code == .reservedIdentifier)
        #expect(parseError(expression: "{true: 1}")?.code == .reservedIdentifier)
        #expect(parseError(expression: "{__cedar: 1}")?.code == .reservedIdentifier)
        #expect(parseError(expression: "{a::b: 1}")?.code == .invalidAttribute)
        #expect(parseError(expression: "{1: 1}")?.code == .invalidAttribute)
        let record = Expr(
            .record([RecordField(key: "principal", value: E.long(1)), RecordField(key: "permit", value: E.long(2))]))
        #expect(try PolicyParser.parseExpression("{principal: 1, permit: 2}") == record)
    }

    @Test func unknownNamesAreNotVariables() {
        let error = parseError(expression: "user")
        #expect(error?.code == .unknownVariable)
        #expect(
            error?.message
                == "unknown variable `user`; the variables are `principal`, `action`, `resource` and `context`")
        #expect(parseError(expression: "then")?.code == .reservedIdentifier)
    }

    @Test func slotsAreAllowedInStandaloneExpressions() throws {
        #expect(
            try PolicyParser.parseExpression("?principal == ?resource")
                == E.binary(.equal, Expr(.slot(.principal)), Expr(.slot(.resource))))
        #expect(parseError(expression: "?other")?.code == .invalidSlot)
    }

    @Test func expressionsCarryTheirSpans() throws {
        let expr = try PolicyParser.parseExpression("  context.a == 1")
        #expect(
            expr.span
                == SourceSpan(
                    start: SourceLocation(line: 1, column: 3, offset: 2),
                    end: SourceLocation(line: 1, column: 17, offset: 16)))
        guard case .binary(_, let left, _) = expr.kind else {
            Issue.record("not binary")
            return
        }
        #expect(left.span?.end == SourceLocation(line: 1, column: 12, offset: 11))
    }

    @Test func trailingTextAfterAnExpressionIsAnError() {
        let error = parseError(expression: "1 2")
        #expect(error?.code == .unexpectedToken)
        #expect(error?.message == "unexpected token `2`; expected nothing more after the expression")
    }
}
