import Testing

@testable import Cedar

/// Parses `text` as a policy set, or returns the error.
func parseError(policies text: String) -> ParseError? {
    do {
        _ = try PolicyParser.parsePolicies(text)
        return nil
    } catch {
        return error
    }
}

/// A policy with `scope` between its parentheses.
private func scoped(_ scope: String) -> String {
    "permit(\(scope));"
}

@Suite struct ParserPolicies {
    @Test func policiesGetPositionalIdsWhateverTheirIdAnnotation() throws {
        let policies = try PolicyParser.parsePolicies(
            """
            @id("first") permit(principal, action, resource);
            forbid(principal, action, resource);
            """)
        #expect(policies.map(\.id) == ["policy0", "policy1"])
        #expect(policies.map(\.effect) == [.permit, .forbid])
        #expect(policies[0].annotation("id") == "first")
    }

    @Test func emptyTextHasNoPolicies() throws {
        #expect(try PolicyParser.parsePolicies("  // nothing here\n") == [])
    }

    @Test func unconstrainedScopeIsAny() throws {
        let policy = try PolicyParser.parsePolicy("permit(principal, action, resource);")
        #expect(policy == Policy(id: "policy0", effect: .permit))
    }

    @Test func parsePolicyUsesTheGivenId() throws {
        #expect(try PolicyParser.parsePolicy("forbid(principal, action, resource);", id: "p1").id == "p1")
    }

    @Test func parsePolicyRejectsASecondPolicy() {
        let error: ParseError?
        do {
            _ = try PolicyParser.parsePolicy(
                "permit(principal, action, resource); permit(principal, action, resource);")
            error = nil
        } catch let caught {
            error = caught
        }
        #expect(error?.code == .unexpectedToken)
        #expect(error?.location.column == 38)
    }

    @Test func conditionsKeepTheirOrderAndKind() throws {
        let policy = try PolicyParser.parsePolicy(
            "permit(principal, action, resource) when { true } unless { false } when { context.a };")
        #expect(
            policy.conditions == [
                Condition(.when, E.yes), Condition(.unless, E.no), Condition(.when, E.attr(E.context, "a")),
            ])
    }

    @Test func emptyAndUnknownClausesAreErrors() {
        let empty = parseError(policies: "permit(principal, action, resource) when { };")
        #expect(empty?.code == .invalidCondition)
        #expect(empty?.message == "the `when` clause cannot be empty")
        let unknown = parseError(policies: "permit(principal, action, resource) otherwise { true };")
        #expect(unknown?.code == .invalidCondition)
        #expect(unknown?.message == "invalid policy condition `otherwise`; expected `when` or `unless`")
    }

    @Test func unknownEffectIsAnError() {
        let error = parseError(policies: "allow(principal, action, resource);")
        #expect(error?.code == .invalidEffect)
        #expect(error?.message == "invalid policy effect `allow`; expected `permit` or `forbid`")
    }

    @Test func missingSemicolonIsAnError() {
        let error = parseError(policies: "permit(principal, action, resource)")
        #expect(error?.message == "unexpected end of input; expected `when`, `unless` or `;`")
    }

    @Test func policyCarriesItsSpan() throws {
        let policy = try PolicyParser.parsePolicy("\n  @a permit(principal, action, resource);  ")
        #expect(
            policy.span
                == SourceSpan(
                    start: SourceLocation(line: 2, column: 3, offset: 3),
                    end: SourceLocation(line: 2, column: 42, offset: 42)))
    }
}

@Suite struct ParserAnnotations {
    @Test func annotationsKeepSourceOrderAndDefaultToEmpty() throws {
        let policy = try PolicyParser.parsePolicy(#"@b("x\u{41}") @a @if("y") permit(principal, action, resource);"#)
        #expect(
            policy.annotations == [
                Annotation(key: "b", value: "xA"), Annotation(key: "a", value: ""), Annotation(key: "if", value: "y"),
            ])
    }

    @Test func duplicateAnnotationsAreErrors() {
        let error = parseError(policies: #"@id("a") @id("b") permit(principal, action, resource);"#)
        #expect(error?.code == .duplicateAnnotation)
        #expect(error?.message == "duplicate annotation `@id`")
        #expect(error?.location.column == 10)
    }

    @Test func annotationValuesMustBeStrings() {
        #expect(parseError(policies: "@a(1) permit(principal, action, resource);")?.code == .unexpectedToken)
        #expect(parseError(policies: "@a() permit(principal, action, resource);")?.code == .unexpectedToken)
    }
}

@Suite struct ParserScopes {
    @Test func principalAndResourceConstraints() throws {
        let policy = try PolicyParser.parsePolicy(
            #"""
            permit(principal == User::"a", action, resource in Folder::"f");
            """#)
        #expect(policy.principal == .equal(.entity(EntityUID("User", "a"))))
        #expect(policy.resource == .in(.entity(EntityUID("Folder", "f"))))
    }

    @Test func isConstraintsWithAndWithoutIn() throws {
        let policy = try PolicyParser.parsePolicy(
            #"permit(principal is App::User, action, resource is Doc in Folder::"f");"#)
        #expect(policy.principal == .is(EntityType("App::User")))
        #expect(policy.resource == .isIn(EntityType("Doc"), .entity(EntityUID("Folder", "f"))))
    }

    @Test func scopeEntitiesMayBeParenthesized() throws {
        let policy = try PolicyParser.parsePolicy(
            #"permit(principal == ((User::"a")), action in ([Action::"v", (Action::"e")]), resource);"#)
        #expect(policy.principal == .equal(.entity(EntityUID("User", "a"))))
        #expect(policy.action == .inSet([EntityUID("Action", "v"), EntityUID("Action", "e")]))
    }

    @Test func slotsMakeATemplate() throws {
        let policy = try PolicyParser.parsePolicy(
            "permit(principal == ?principal, action, resource is Doc in ?resource);")
        #expect(policy.principal == .equal(.slot(.principal)))
        #expect(policy.resource == .isIn(EntityType("Doc"), .slot(.resource)))
        #expect(policy.isTemplate)
    }

    @Test func slotsMustMatchTheirPosition() {
        let error = parseError(policies: "permit(principal == ?resource, action, resource);")
        #expect(error?.code == .invalidSlot)
        #expect(error?.message == "expected an entity uid or `?principal`, found `?resource`")
        #expect(parseError(policies: "permit(principal, action == ?principal, resource);")?.code == .invalidSlot)
    }

    @Test func slotsAreNotAllowedInConditions() {
        let error = parseError(policies: "permit(principal, action, resource) unless { ?principal == principal };")
        #expect(error?.code == .invalidSlot)
        #expect(
            error?.message
                == "found template slot `?principal` in a `unless` clause; slots may only appear in the scope")
    }

    @Test func actionConstraints() throws {
        let equal = try PolicyParser.parsePolicy(#"permit(principal, action == Action::"view", resource);"#)
        #expect(equal.action == .equal(EntityUID("Action", "view")))
        let set = try PolicyParser.parsePolicy(
            #"permit(principal, action in [App::Action::"a", Action::"b",], resource);"#)
        #expect(set.action == .inSet([EntityUID("App::Action", "a"), EntityUID("Action", "b")]))
        let empty = try PolicyParser.parsePolicy("permit(principal, action in [], resource);")
        #expect(empty.action == .inSet([]))
    }

    @Test func oneActionInBracketsIsTheSameAsWithout() throws {
        // Rust Cedar does not tell `in [A]` from `in A` (its JSON writes both as `entity`).
        let bracketed = try PolicyParser.parsePolicy(#"permit(principal, action in [Action::"a"], resource);"#)
        #expect(bracketed.action == .in(EntityUID("Action", "a")))
    }

    @Test func actionEntitiesMustHaveAnActionType() {
        let error = parseError(policies: #"permit(principal, action in [Action::"a", User::"b"], resource);"#)
        #expect(error?.code == .invalidScope)
        #expect(error?.message == #"expected an entity uid with type `Action` but got `User::"b"`"#)
        #expect(error?.location.column == 43)
    }

    @Test func malformedScopesAreErrors() {
        let cases: [(String, String)] = [
            ("principal, action", "this policy is missing the `resource` variable in the scope"),
            ("principal, action, resource, context", "this policy has an extra element in the scope: `context`"),
            (
                "resource, action, principal",
                "found the variable `resource` where the variable `principal` must be used"
            ),
            ("principal: User, action, resource", "type constraints using `:` are not supported"),
            (#"principal is User == User::"a", action, resource"#, "`is` cannot be used together with `==`"),
            (
                #"principal in User::"a" is User, action, resource"#,
                "when `is` and `in` are used together, `is` must come first"
            ),
            ("principal, action is Action, resource", "`is` cannot appear in the action scope"),
            (#"principal != User::"a", action, resource"#, "invalid operator in the policy scope: `!=`"),
            (
                #"principal in [User::"a"], action, resource"#,
                "expected a single entity uid or `?principal`, found a set; only `action in` takes a set"
            ),
            (#"principal == "a", action, resource"#, #"expected an entity uid or `?principal`, found `"a"`"#),
            (
                "principal == User, action, resource",
                "expected an entity uid or `?principal`, found the name `User`; use `is` to test for an entity type"
            ),
        ]
        for (scope, message) in cases {
            let error = parseError(policies: scoped(scope))
            #expect(error?.message == message, "\(scope)")
        }
    }

    @Test func scopeAllowsATrailingComma() throws {
        #expect(
            try PolicyParser.parsePolicy("permit(principal, action, resource,);")
                == Policy(id: "policy0", effect: .permit))
    }
}

@Suite struct ParserEntityUIDs {
    @Test func parsesNamespacedUIDsWithEscapes() throws {
        #expect(try PolicyParser.parseEntityUID(#"App::User::"al\"ice""#) == EntityUID("App::User", "al\"ice"))
        #expect(try PolicyParser.parseEntityUID(#" User :: "alice" "#) == EntityUID("User", "alice"))
    }

    @Test func rejectsNamesWithoutAnId() {
        do {
            _ = try PolicyParser.parseEntityUID("User")
            Issue.record("parsed")
        } catch {
            #expect(
                error.message
                    == #"expected an entity uid, found the name `User`; an entity uid is written `User::"id"`"#)
        }
    }

    @Test func rejectsTrailingText() {
        do {
            _ = try PolicyParser.parseEntityUID(#"User::"a" x"#)
            Issue.record("parsed")
        } catch {
            #expect(error.code == .unexpectedToken)
            #expect(error.location.column == 11)
        }
    }
}

@Suite struct ParserErrorReporting {
    @Test func descriptionIsLineColonColumnColonMessage() {
        let error = parseError(policies: "permit(principal, action, resource)\nwhen { (1 + ) };")
        #expect(error?.description == "2:13: unexpected token `)`; expected an expression")
    }

    @Test func columnsCountUnicodeScalars() {
        let error = parseError(policies: "permit(principal, action, resource) when { \"é😀\" + ) };")
        #expect(error?.location.line == 1)
        #expect(error?.location.column == 51)
        #expect(error?.location.offset == 54)
    }

    @Test func errorsInsideMultiLineStringsPointAtTheEscape() {
        let error = parseError(policies: "permit(principal, action, resource) when { \"a\nbc\\q\" };")
        #expect(error?.location == SourceLocation(line: 2, column: 3, offset: 48))
    }

    @Test func longTokensAreShortenedInMessages() {
        let long = "\"" + String(repeating: "x", count: 200) + "\""
        let error = parseError(policies: "permit(principal, action, resource) when { 1 \(long) };")
        #expect(error?.message == "unexpected token `\"" + String(repeating: "x", count: 59) + "…`; expected `}`")
    }
}
