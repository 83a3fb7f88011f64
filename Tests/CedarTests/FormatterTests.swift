import Testing

@testable import Cedar

/// Formats the expression `text` after parsing it.
private func reformat(_ text: String) throws -> String {
    PolicyFormatter.format(try PolicyParser.parseExpression(text))
}

@Suite struct FormatterLayout {
    @Test func shortPolicyFitsOnTwoLines() throws {
        let policy = try PolicyParser.parsePolicy("permit(principal,action,resource)when{true};")
        #expect(PolicyFormatter.format(policy) == "permit (principal, action, resource)\nwhen { true };")
    }

    @Test func annotationsComeFirstOneALine() throws {
        let policy = try PolicyParser.parsePolicy(#"@id("a\"b") @adminOnly forbid(principal, action, resource);"#)
        #expect(PolicyFormatter.format(policy) == "@id(\"a\\\"b\")\n@adminOnly\nforbid (principal, action, resource);")
    }

    @Test func longScopeIsWrappedOneConstraintALine() throws {
        let policy = try PolicyParser.parsePolicy(
            #"""
            permit(principal == User::"alice", action in [Action::"view", Action::"edit"], resource in Folder::"shared");
            """#)
        #expect(
            PolicyFormatter.format(policy) == #"""
                permit (
                  principal == User::"alice",
                  action in [Action::"view", Action::"edit"],
                  resource in Folder::"shared"
                );
                """#)
    }

    @Test func longConditionIsSplitAfterEachOperatorOfItsOutermostChain() throws {
        let policy = try PolicyParser.parsePolicy(
            """
            permit(principal, action, resource)
            when { context.level >= 3 && resource.owner == principal && (context.a || context.b) && context.ip.isLoopback() };
            """)
        #expect(
            PolicyFormatter.format(policy) == """
                permit (principal, action, resource)
                when {
                  context.level >= 3 &&
                  resource.owner == principal &&
                  (context.a || context.b) &&
                  context.ip.isLoopback()
                };
                """)
    }

    @Test func policiesAreSeparatedByBlankLinesAndEndWithANewline() throws {
        let policies = try PolicyParser.parsePolicies(
            "permit(principal, action, resource); forbid(principal, action, resource);")
        #expect(
            PolicyFormatter.format(policies)
                == "permit (principal, action, resource);\n\nforbid (principal, action, resource);\n")
        #expect(PolicyFormatter.format([Policy]()) == "")
    }

    @Test func scopeFormsAreWrittenAsCedar() throws {
        let policy = try PolicyParser.parsePolicy(
            "permit(principal is User in ?principal, action == Action::\"a\", resource is Doc);")
        #expect(
            PolicyFormatter.format(policy)
                == "permit (principal is User in ?principal, action == Action::\"a\", resource is Doc);")
    }
}

@Suite struct FormatterParentheses {
    @Test func parenthesesOnlyWherePrecedenceNeedsThem() throws {
        #expect(try reformat("((context.a)) || (context.b && context.c)") == "context.a || context.b && context.c")
        #expect(try reformat("(context.a || context.b) && context.c") == "(context.a || context.b) && context.c")
        #expect(try reformat("1 - (2 - 3)") == "1 - (2 - 3)")
        #expect(try reformat("(1 - 2) - 3") == "1 - 2 - 3")
        #expect(try reformat("(1 + 2) * 3") == "(1 + 2) * 3")
        #expect(try reformat("(1 == 2) == true") == "(1 == 2) == true")
        #expect(try reformat("(if true then 1 else 2) + 1") == "(if true then 1 else 2) + 1")
        #expect(try reformat("if true then 1 else (2 || 3)") == "if true then 1 else 2 || 3")
        #expect(try reformat("(principal has a) && (principal.a == 1)") == "principal has a && principal.a == 1")
        #expect(try reformat("(1 + 2) has a") == "1 + 2 has a")
    }

    @Test func negationOfANonNegativeLiteralKeepsItsParentheses() throws {
        #expect(try reformat("-(5)") == "-(5)")
        #expect(try reformat("-5") == "-5")
        #expect(try reformat("--5") == "--5")
    }

    @Test func negativeLiteralsAreParenthesizedBeforeAccesses() throws {
        #expect(try reformat("(-1).foo") == "(-1).foo")
        #expect(try reformat("1 - -5") == "1 - -5")
    }

    @Test func notAndMinusAreSeparatedByParentheses() throws {
        #expect(try reformat("!(-context.a)") == "!(-context.a)")
        #expect(try reformat("-(!context.a)") == "-(!context.a)")
        #expect(try reformat("!(-1)") == "!(-1)")
    }

    @Test func runsOfMoreThanFourUnaryOperatorsAreSplit() {
        var not = E.context
        for _ in 0..<9 { not = E.not(not) }
        #expect(PolicyFormatter.format(not) == "!!!!(!!!!(!context))")
        let negated = E.negate(E.negate(E.negate(E.negate(E.long(-5)))))
        #expect(PolicyFormatter.format(negated) == "----(-5)")
        #expect(PolicyFormatter.format(E.negate(E.negate(E.long(5)))) == "--(5)")
    }
}

@Suite struct FormatterLiterals {
    @Test func attributesThatAreNotIdentifiersAreQuoted() throws {
        #expect(try reformat(#"context["a b"]["if"].ok["__cedar"]"#) == #"context["a b"]["if"].ok["__cedar"]"#)
        #expect(try reformat(#"context has "a b""#) == #"context has "a b""#)
        #expect(try reformat(#"{"if": 1, principal: 2, "": 3}"#) == #"{"if": 1, principal: 2, "": 3}"#)
    }

    @Test func extendedHasIsWrittenAsItsExpansion() throws {
        #expect(try reformat("context has a.b") == "context has a && context.a has b")
    }

    @Test func patternsEscapeLiteralStars() throws {
        #expect(try reformat(#""x" like "a*\*\u{301}""#) == #""x" like "a*\*\u{301}""#)
    }

    @Test func stringsAreEscapedAsRustEscapesThem() {
        #expect(CedarStringLiteral.quote("a\"\\\n\r\t\0'") == #""a\"\\\n\r\t\0\'""#)
        #expect(
            CedarStringLiteral.quote("\u{7}\u{7F}\u{80}\u{AD}\u{200B}\u{2028}\u{FEFF}\u{E000}")
                == #""\u{7}\u{7f}\u{80}\u{ad}\u{200b}\u{2028}\u{feff}\u{e000}""#)
        #expect(CedarStringLiteral.quote("\u{A0}x y") == #""\u{a0}x y""#)
        #expect(CedarStringLiteral.quote("\u{301}e\u{301}😀") == "\"\\u{301}e\u{301}😀\"")
        #expect(CedarStringLiteral.quote("\u{115F}\u{34F}") == #""\u{115f}\u{34f}""#)
    }

    @Test func printableASCIIButQuotesAndTheBackslashIsQuotedAsItIs() {
        #expect(CedarStringLiteral.quote(" alice-1_x.y~{}") == #"" alice-1_x.y~{}""#)
        #expect(CedarStringLiteral.quote("") == #""""#)
        #expect(CedarStringLiteral.quote("it's") == #""it\'s""#)
        #expect(CedarStringLiteral.quote("a\u{7F}") == #""a\u{7f}""#)
    }

    @Test func methodsAndFunctionsUseTheirStyle() throws {
        #expect(
            try reformat("ip(\"1.2.3.4\").isInRange(ip(\"1.0.0.0/8\"))")
                == "ip(\"1.2.3.4\").isInRange(ip(\"1.0.0.0/8\"))")
        #expect(try reformat("[1,2].contains(1) && context.isEmpty()") == "[1, 2].contains(1) && context.isEmpty()")
    }

    @Test func valueSetsAndRecordsAreWrittenAsLiterals() {
        let set = Expr(.value(.set(CedarSet([.long(2), .long(1)]))))
        #expect(PolicyFormatter.format(set) == "[1, 2]")
        let record = Expr(.value(.record(Record([("b", .bool(true)), ("a b", .string("x"))]))))
        #expect(PolicyFormatter.format(record) == #"{"a b": "x", b: true}"#)
    }
}

@Suite struct FormatterRoundTrip {
    static let tricky: [String] = [
        #"@id("x") @a permit(principal == User::"a\"b", action in [Action::"a", NS::Action::"b"], resource is R in R::"r");"#,
        #"forbid(principal, action, resource) when { -9223372036854775808 == --9223372036854775808 };"#,
        #"permit(principal, action, resource) when { !!!!context.a && !(!(!(!(!context.b)))) };"#,
        #"permit(principal, action, resource) when { -(-(-(-(-(1))))) < ----1 };"#,
        #"permit(principal, action, resource) when { if if true then false else true then {a: [1, if false then 2 else 3]} else {} };"#,
        #"permit(principal, action, resource) unless { context has a.b.c || context has "if" };"#,
        #"permit(principal, action, resource) when { "a*b" like "\*\u{2a}*" && "\u{0}\u{10ffff}é" == "x" };"#,
        #"permit(principal, action, resource) when { (1 + 2) * -3 - (4 - 5) == 6 && (principal in [User::"a"]) == true };"#,
        #"permit(principal, action, resource) when { principal is principal in principal && (context is A::B) is Bool };"#,
        #"permit(principal, action, resource) when { decimal("1.0").lessThan(decimal("2.0")) && datetime("2024-01-01").offset(duration("1h")) > datetime("2024-01-01") };"#,
        #"permit(principal, action, resource) when { (-1).foo == 1.foo && "s".bar && true.baz && [].contains(1) && {}.isEmpty() };"#,
        #"permit(principal, action in [], resource) when { principal.getTag("t").hasTag("u") };"#,
    ]

    @Test(arguments: tricky)
    func formattingThenParsingGivesTheSamePolicies(_ text: String) throws {
        let policies = try PolicyParser.parsePolicies(text)
        let formatted = PolicyFormatter.format(policies)
        #expect(try PolicyParser.parsePolicies(formatted) == policies)
        #expect(PolicyFormatter.format(try PolicyParser.parsePolicies(formatted)) == formatted)
    }
}
