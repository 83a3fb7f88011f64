import Testing
@testable import Cedar

/// Evaluates one expression against a small fixed request and entity store.
private func evaluate(_ text: String) throws -> Value {
    let expr = try PolicyParser.parseExpression(text)
    let node = Compiler.compile(expr)
    return try EvaluationEnvironment.over(Fixture.entities) { address throws(EvaluationError) in
        try node.eval(EvaluationEnvironment(request: Fixture.request, in: address))
    }
}

private func errorCode(_ text: String) -> EvaluationError.Code? {
    do {
        _ = try evaluate(text)
        return nil
    } catch let error as EvaluationError {
        return error.code
    } catch {
        return nil
    }
}

private enum Fixture {
    static let alice = EntityUID("User", "alice")
    static let admins = EntityUID("Group", "admins")
    static let staff = EntityUID("Group", "staff")
    static let photo = EntityUID("Photo", "p1")
    static let request = Request(
        principal: alice, action: EntityUID("Action", "view"), resource: photo,
        context: Record([("ip", .string("10.0.0.1")), ("n", .long(3))]))
    static let entities = Entities([
        Entity(
            uid: alice, attributes: Record([("age", .long(30)), ("name", .string("Alice"))]),
            parents: [admins], tags: Record([("team", .string("red"))])),
        Entity(uid: admins, parents: [staff]),
        Entity(uid: staff),
    ])
}

@Suite struct EvaluatingOperators {
    @Test func additionOverflowIsAnError() {
        #expect(errorCode("9223372036854775807 + 1") == .overflow)
    }

    @Test func negatingTheMinimumLongIsAnError() {
        #expect(errorCode("-(-9223372036854775807 - 1)") == .overflow)
    }

    @Test func multiplicationWithinRange() throws {
        #expect(try evaluate("-3 * 4") == .long(-12))
    }

    @Test func equalityAcrossTypesIsFalseNotAnError() throws {
        #expect(try evaluate("1 == \"1\"") == .bool(false))
    }

    @Test func comparingStringsIsATypeError() {
        #expect(errorCode("\"a\" < \"b\"") == .typeError)
    }

    @Test func inFollowsTheTransitiveHierarchy() throws {
        #expect(try evaluate("principal in Group::\"staff\"") == .bool(true))
        #expect(try evaluate("Group::\"staff\" in principal") == .bool(false))
    }

    @Test func inASetIsTrueWhenAnyElementIsAnAncestor() throws {
        #expect(try evaluate("principal in [Group::\"x\", Group::\"staff\"]") == .bool(true))
    }

    @Test func inASetWithANonEntityIsATypeError() {
        #expect(errorCode("principal in [Group::\"staff\", 1]") == .typeError)
    }

    @Test func anEntityMissingFromTheStoreIsInOnlyItself() throws {
        #expect(try evaluate("User::\"ghost\" in User::\"ghost\"") == .bool(true))
        #expect(try evaluate("User::\"ghost\" in Group::\"staff\"") == .bool(false))
    }

    @Test func attributeOfAMissingEntityIsAnError() {
        #expect(errorCode("User::\"ghost\".age") == .entityDoesNotExist)
    }

    @Test func hasOnAMissingEntityIsFalse() throws {
        #expect(try evaluate("User::\"ghost\" has age") == .bool(false))
    }

    @Test func missingAttributeIsAnError() {
        #expect(errorCode("principal.height") == .attributeNotFound)
    }

    @Test func missingRecordAttributeIsAnError() {
        #expect(errorCode("context.missing") == .attributeNotFound)
    }

    @Test func andShortCircuitsPastAnError() throws {
        #expect(try evaluate("false && principal.height == 1") == .bool(false))
    }

    @Test func orShortCircuitsPastAnError() throws {
        #expect(try evaluate("true || principal.height == 1") == .bool(true))
    }

    @Test func andRequiresBooleanOperands() {
        #expect(errorCode("true && 1") == .typeError)
    }

    @Test func ifEvaluatesOnlyTheChosenBranch() throws {
        #expect(try evaluate("if context.n > 2 then \"big\" else principal.height") == .string("big"))
    }

    @Test func tagsAreReadWithGetTagAndProbedWithHasTag() throws {
        #expect(try evaluate("principal.getTag(\"team\")") == .string("red"))
        #expect(try evaluate("principal.hasTag(\"nope\")") == .bool(false))
        #expect(errorCode("principal.getTag(\"nope\")") == .tagNotFound)
    }

    @Test func likeMatchesWildcardsAndEscapedStars() throws {
        #expect(try evaluate("\"a*c\" like \"a\\*c\"") == .bool(true))
        #expect(try evaluate("\"abc\" like \"a\\*c\"") == .bool(false))
        #expect(try evaluate("\"abc\" like \"*b*\"") == .bool(true))
        #expect(try evaluate("\"\" like \"*\"") == .bool(true))
    }

    @Test func likeComparesUnicodeScalars() throws {
        #expect(try evaluate("\"\\u{e9}\" like \"e*\"") == .bool(false))
    }

    @Test func containsAllAndContainsAny() throws {
        #expect(try evaluate("[1, 2, 3].containsAll([1, 3])") == .bool(true))
        #expect(try evaluate("[1, 2, 3].containsAny([4, 5])") == .bool(false))
        #expect(try evaluate("[].isEmpty()") == .bool(true))
    }

    @Test func isChecksTheEntityTypeAndIsInTheHierarchy() throws {
        #expect(try evaluate("principal is User") == .bool(true))
        #expect(try evaluate("principal is User in Group::\"staff\"") == .bool(true))
        #expect(try evaluate("principal is Group in Group::\"staff\"") == .bool(false))
        #expect(errorCode("1 is User") == .typeError)
    }

    @Test func recordsCompareByContentRegardlessOfOrder() throws {
        #expect(try evaluate("{a: 1, b: 2} == {b: 2, a: 1}") == .bool(true))
    }
}

@Suite struct ConstantFolding {
    @Test func pureConstantSubexpressionsFoldToOneValue() throws {
        let node = Compiler.compile(try PolicyParser.parseExpression("1 + 2 * 3"))
        let constant = try #require(node as? ConstantNode)
        #expect(constant.value == .long(7))
    }

    @Test func anErroringConstantIsNotFoldedSoItStillErrorsAtEvaluation() throws {
        let node = Compiler.compile(try PolicyParser.parseExpression("9223372036854775807 + 1"))
        #expect(!(node is ConstantNode))
    }

    @Test func expressionsOnTheRequestAreNotFolded() throws {
        let node = Compiler.compile(try PolicyParser.parseExpression("principal == principal"))
        #expect(!(node is ConstantNode))
    }
}
