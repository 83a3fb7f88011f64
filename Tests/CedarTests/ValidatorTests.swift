@testable import Cedar
import Testing

/// A small photo-sharing schema, built by hand:
///
///     entity Group;
///     entity User in [Group] { name: String, age?: Long, manager: User } tags String;
///     entity Doc { owner: User, isPublic: Bool, tags?: Set<String> };
///     entity Color enum ["red", "blue"];
///     action readOnly;
///     action view in [readOnly] appliesTo { principal: User, resource: Doc,
///                                           context: { ip: ipaddr, level?: Long, when: datetime } };
///     action edit appliesTo { principal: User, resource: Doc };
enum ValidatorFixture {
    static let schema: Schema = {
        let user = EntityType("User"), group = EntityType("Group"), doc = EntityType("Doc"), color = EntityType("Color")
        let entityTypes: [EntityType: EntityTypeSchema] = [
            group: EntityTypeSchema(name: group),
            user: EntityTypeSchema(
                name: user, memberOfTypes: [group],
                attributes: RecordSchema([
                    AttributeSchema(name: "name", type: .string),
                    AttributeSchema(name: "age", type: .long, isRequired: false),
                    AttributeSchema(name: "manager", type: .entity(user)),
                ]),
                tags: .string),
            doc: EntityTypeSchema(
                name: doc,
                attributes: RecordSchema([
                    AttributeSchema(name: "owner", type: .entity(user)),
                    AttributeSchema(name: "isPublic", type: .bool),
                    AttributeSchema(name: "tags", type: .set(.string), isRequired: false),
                ])),
            color: EntityTypeSchema(name: color, enumValues: ["red", "blue"]),
        ]
        let view = EntityUID("Action", "view"), edit = EntityUID("Action", "edit")
        let readOnly = EntityUID("Action", "readOnly")
        let actions: [EntityUID: ActionSchema] = [
            readOnly: ActionSchema(uid: readOnly, hasAppliesTo: false),
            view: ActionSchema(
                uid: view, memberOf: [readOnly], principalTypes: [user], resourceTypes: [doc],
                context: RecordSchema([
                    AttributeSchema(name: "ip", type: .extension("ipaddr")),
                    AttributeSchema(name: "level", type: .long, isRequired: false),
                    AttributeSchema(name: "when", type: .extension("datetime")),
                ])),
            edit: ActionSchema(uid: edit, principalTypes: [user], resourceTypes: [doc]),
        ]
        return Schema(entityTypes: entityTypes, actions: actions)
    }()

    static func validate(_ text: String) throws -> ValidationResult {
        Validator(schema: schema).validate(try PolicySet(PolicyParser.parsePolicies(text)))
    }

    /// Validates `permit(principal, action == Action::"view", resource) when { condition };`.
    static func validateCondition(_ condition: String) throws -> ValidationResult {
        try validate("permit(principal, action == Action::\"view\", resource) when { \(condition) };")
    }

    static func codes(_ result: ValidationResult) -> [String] { result.errors.map(\.code.rawValue) }
}

@Suite struct ValidatorAttributeTests {
    @Test func guardedOptionalAttributeValidates() throws {
        let result = try ValidatorFixture.validateCondition("principal has age && principal.age > 17")
        #expect(result.passed)
        #expect(result.diagnostics.isEmpty)
    }

    @Test func unguardedOptionalAttributeIsReportedAtItsPosition() throws {
        let result = try ValidatorFixture.validateCondition("principal.age > 17")
        let error = try #require(result.errors.first)
        #expect(result.errors.count == 1)
        #expect(error.code == .unsafeOptionalAttributeAccess)
        #expect(error.policyID == "policy0")
        #expect(error.span?.start.line == 1)
        #expect(error.span?.start.column == 62)
        #expect(error.message == "attribute `age` on entity type `User` is optional; guard it with `has`")
        #expect(error.help == "try `e has age && ...`")
    }

    @Test func guardInTheConditionOfAnIfMakesTheThenBranchSafe() throws {
        let result = try ValidatorFixture.validateCondition("if principal has age then principal.age > 17 else false")
        #expect(result.passed)
    }

    @Test func guardOnTheLeftOfAnOrDoesNotProtectTheRight() throws {
        let result = try ValidatorFixture.validateCondition("principal has age || principal.age > 17")
        #expect(ValidatorFixture.codes(result) == ["unsafe_optional_attribute_access"])
    }

    @Test func unknownAttributeSuggestsTheClosestDeclaredOne() throws {
        let result = try ValidatorFixture.validateCondition("principal.nmae == \"a\"")
        let error = try #require(result.errors.first)
        #expect(error.code == .unsafeAttributeAccess)
        #expect(error.message == "attribute `nmae` on entity type `User` not found")
        #expect(error.help == "did you mean `name`?")
    }

    @Test func optionalContextAttributeNamesTheAction() throws {
        let result = try ValidatorFixture.validateCondition("context.level > 1")
        let error = try #require(result.errors.first)
        #expect(error.message == "attribute `level` in the context of `Action::\"view\"` is optional; guard it with `has`")
        #expect(error.help == "try `context has level && ...`")
    }

    @Test func attributeChainThroughAnEntityIsChecked() throws {
        #expect(try ValidatorFixture.validateCondition("resource.owner.manager.name == \"a\"").passed)
        let result = try ValidatorFixture.validateCondition("resource.owner.age == 3")
        #expect(ValidatorFixture.codes(result) == ["unsafe_optional_attribute_access"])
    }

    @Test func hasOnAnUndeclaredAttributeIsFalseAndShortCircuits() throws {
        // `principal has color` is `False`, so the right operand is not typechecked.
        let result = try ValidatorFixture.validateCondition("principal has color && principal.color == 1")
        #expect(result.passed)
        #expect(result.warnings.map(\.code) == [.impossiblePolicy])
    }
}

@Suite struct ValidatorOperatorTests {
    @Test func addingAStringToALongIsAnUnexpectedType() throws {
        let result = try ValidatorFixture.validateCondition("1 + \"a\" == 2")
        let error = try #require(result.errors.first)
        #expect(error.code == .unexpectedType)
        #expect(error.message == "unexpected type: expected `Long` but saw `String`")
        #expect(error.help == "Cedar does not support string concatenation")
    }

    @Test func comparingLiteralsOfDifferentTypesIsFalseNotAnError() throws {
        let result = try ValidatorFixture.validateCondition("1 == \"a\"")
        #expect(result.passed)
        #expect(result.warnings.map(\.code) == [.impossiblePolicy])
    }

    @Test func comparingExpressionsOfDifferentTypesIsIncompatible() throws {
        let result = try ValidatorFixture.validateCondition("principal.name == 1")
        let error = try #require(result.errors.first)
        #expect(error.code == .incompatibleTypes)
        #expect(error.message == "the types `String` and `Long` are not compatible: both operands of `==` must have compatible types")
    }

    @Test func comparingDifferentEntityTypesIsFalseNotAnError() throws {
        let result = try ValidatorFixture.validateCondition("principal == resource")
        #expect(result.passed)
        #expect(result.warnings.map(\.code) == [.impossiblePolicy])
    }

    @Test func setOfMixedTypesIsIncompatible() throws {
        let result = try ValidatorFixture.validateCondition("[1, \"a\"].contains(1)")
        #expect(ValidatorFixture.codes(result) == ["incompatible_types"])
    }

    @Test func emptySetLiteralIsForbidden() throws {
        let result = try ValidatorFixture.validateCondition("[].isEmpty()")
        let error = try #require(result.errors.first)
        #expect(error.code == .emptySetForbidden)
        #expect(error.span?.start.column == 62)
    }

    @Test func containsWithTheWrongElementTypeIsIncompatible() throws {
        let result = try ValidatorFixture.validateCondition("resource has tags && resource.tags.contains(1)")
        #expect(ValidatorFixture.codes(result) == ["incompatible_types"])
    }

    @Test func datetimesCompareButDecimalsDoNot() throws {
        #expect(try ValidatorFixture.validateCondition("context.when < datetime(\"2025-01-01\")").passed)
        let result = try ValidatorFixture.validateCondition("decimal(\"1.0\") < decimal(\"2.0\")")
        #expect(ValidatorFixture.codes(result) == ["unexpected_type", "unexpected_type"])
    }

    @Test func inBetweenUnrelatedEntityTypesIsFalse() throws {
        let result = try ValidatorFixture.validateCondition("principal in resource")
        #expect(result.passed)
        #expect(result.warnings.map(\.code) == [.impossiblePolicy])
    }

    @Test func actionInItsGroupIsTrue() throws {
        let result = try ValidatorFixture.validateCondition("action in Action::\"readOnly\"")
        #expect(result.diagnostics.isEmpty)
    }

    @Test func falseLeftOperandSkipsTheRightOperand() throws {
        // `principal is Doc` is `False` for every request, so `1 + "a"` is never checked.
        let result = try ValidatorFixture.validateCondition("principal is Doc && 1 + \"a\" == 2")
        #expect(result.passed)
    }

    @Test func notEqualIsTypedAsNegatedEquality() throws {
        let result = try ValidatorFixture.validateCondition("1 != 1")
        #expect(result.passed)
        #expect(result.warnings.map(\.code) == [.impossiblePolicy])
    }
}

@Suite struct ValidatorTagTests {
    @Test func getTagGuardedByHasTagValidates() throws {
        let result = try ValidatorFixture.validateCondition("principal.hasTag(\"team\") && principal.getTag(\"team\") == \"a\"")
        #expect(result.passed)
    }

    @Test func getTagWithoutHasTagIsUnsafe() throws {
        let result = try ValidatorFixture.validateCondition("principal.getTag(\"team\") == \"a\"")
        let error = try #require(result.errors.first)
        #expect(error.code == .unsafeTagAccess)
        #expect(error.message == "tag `\"team\"` on entity type `User` may be absent; guard it with `hasTag`")
    }

    @Test func getTagOnAnEntityTypeWithoutTagsIsNotAllowed() throws {
        let result = try ValidatorFixture.validateCondition("resource.hasTag(\"a\") && resource.getTag(\"a\") == \"b\"")
        // `resource.hasTag("a")` is `False` for `Doc`, which declares no tags: the read is never reached.
        #expect(result.passed)
        let direct = try ValidatorFixture.validateCondition("resource.getTag(\"a\") == \"b\"")
        #expect(ValidatorFixture.codes(direct) == ["unsafe_tag_access"])
    }
}

@Suite struct ValidatorExtensionTests {
    @Test func invalidIPLiteralFailsArgumentValidation() throws {
        let result = try ValidatorFixture.validateCondition("ip(\"bad\").isIpv4()")
        let error = try #require(result.errors.first)
        #expect(error.code == .functionArgumentValidation)
        #expect(error.message == "`ip` cannot parse \"bad\" as an IP address")
    }

    @Test func constructorOfAComputedStringIsForbidden() throws {
        let result = try ValidatorFixture.validateCondition("ip(principal.name).isIpv4()")
        #expect(ValidatorFixture.codes(result) == ["non_literal_extension_constructor"])
    }

    @Test func methodOnTheWrongExtensionTypeIsAnUnexpectedType() throws {
        let result = try ValidatorFixture.validateCondition("context.ip.lessThan(decimal(\"1.0\"))")
        let error = try #require(result.errors.first)
        #expect(error.code == .unexpectedType)
        #expect(error.message == "unexpected type: expected `decimal` but saw `ipaddr`")
    }
}

@Suite struct ValidatorScopeTests {
    @Test func unknownEntityTypeSuggestsTheClosestOne() throws {
        let result = try ValidatorFixture.validate("permit(principal == Usr::\"a\", action, resource);")
        let error = try #require(result.errors.first { $0.code == .unrecognizedEntityType })
        #expect(error.message == "unrecognized entity type `Usr`: the schema does not declare it")
        #expect(error.help == "did you mean `User`?")
    }

    @Test func unknownActionSuggestsTheClosestOne() throws {
        let result = try ValidatorFixture.validate("permit(principal, action == Action::\"veiw\", resource);")
        let error = try #require(result.errors.first { $0.code == .unrecognizedAction })
        #expect(error.help == "did you mean `Action::\"view\"`?")
    }

    @Test func enumeratedEntityWithAnUndeclaredIdIsInvalid() throws {
        let result = try ValidatorFixture.validateCondition("Color::\"green\" == Color::\"red\"")
        let error = try #require(result.errors.first)
        #expect(error.code == .invalidEnumEntity)
        #expect(error.message == "entity `Color::\"green\"` is not one of the declared values of enumerated entity type `Color`")
    }

    @Test func scopeThatNoActionAppliesToIsInvalid() throws {
        let result = try ValidatorFixture.validate("permit(principal == Doc::\"d\", action == Action::\"view\", resource);")
        let error = try #require(result.errors.first)
        #expect(error.code == .invalidActionApplication)
        #expect(error.help == nil)
    }

    @Test func equalityToAnAncestorSuggestsIn() throws {
        let result = try ValidatorFixture.validate("permit(principal == Group::\"g\", action, resource);")
        #expect(result.errors.first?.help == "try replacing `==` with `in` in the principal clause")
    }

    @Test func impossiblePolicyIsAWarningThatStillPasses() throws {
        let result = try ValidatorFixture.validate("permit(principal is Doc, action, resource);")
        #expect(!result.passed)
        let ok = try ValidatorFixture.validateCondition("false")
        #expect(ok.passed)
        #expect(ok.warnings.count == 1)
        #expect(ok.warnings.first?.severity == .warning)
    }

    @Test func templateInGroupSlotValidates() throws {
        let result = try ValidatorFixture.validate("permit(principal in ?principal, action == Action::\"view\", resource);")
        #expect(result.diagnostics.isEmpty)
    }

    @Test func linkToAnUndeclaredEntityTypeIsReportedOnTheLink() throws {
        var set = try PolicySet(PolicyParser.parsePolicies("permit(principal in ?principal, action, resource);"))
        try set.link(template: "policy0", as: "link0", values: [.principal: EntityUID("Robot", "r")])
        let result = Validator(schema: ValidatorFixture.schema).validate(set)
        #expect(result.errors.map(\.code) == [.unrecognizedEntityType, .invalidActionApplication])
        #expect(result.errors.allSatisfy { $0.policyID == "link0" })
    }

    @Test func errorsFoundUnderSeveralEnvironmentsAreReportedOnce() throws {
        let result = try ValidatorFixture.validate("permit(principal, action, resource) when { principal.age > 1 };")
        #expect(ValidatorFixture.codes(result) == ["unsafe_optional_attribute_access"])
    }
}

@Suite struct ValidatorHostileInputTests {
    @Test func expressionNestedBeyondTheLimitIsAnErrorNotACrash() throws {
        var e = Expr(.value(.bool(true)))
        for _ in 0..<(Typechecker.maxDepth + 10) { e = Expr(.not(e)) }
        let policy = Policy(id: "deep", effect: .permit, conditions: [Condition(.when, e)])
        let result = Validator(schema: ValidatorFixture.schema).validate(try PolicySet([policy]))
        #expect(result.errors.map(\.code) == [.expressionTooDeep])
    }

    @Test func tenThousandClausesAreCheckedWithoutDeepRecursion() throws {
        let clauses = String(repeating: " when { principal has age }", count: 10_000)
        let result = try ValidatorFixture.validate("permit(principal, action, resource)\(clauses);")
        #expect(result.passed)
    }

    @Test func hugeAttributeNamesDoNotSlowSuggestions() throws {
        let name = String(repeating: "x", count: 100_000)
        let result = try ValidatorFixture.validateCondition("principal[\"\(name)\"] == 1")
        #expect(result.errors.first?.help == nil)
    }
}

@Suite struct ValidatorRewriteTests {
    @Test func andOrOfTwoBooleanLiteralsIsALiteral() throws {
        // Rust folds `true || true` into `true`, so this compares two literals: `False`.
        let folded = try ValidatorFixture.validateCondition("(true || true) == \"a\"")
        #expect(folded.passed)
        let unfolded = try ValidatorFixture.validateCondition("(true || principal.name == \"b\") == \"a\"")
        #expect(ValidatorFixture.codes(unfolded) == ["incompatible_types"])
    }
}

@Suite struct ValidatorTextTests {
    @Test func bidiControlInAStringIsAWarning() throws {
        let result = try ValidatorFixture.validateCondition("principal.name == \"admin\u{202E}\"")
        #expect(result.passed)
        #expect(result.warnings.map(\.code) == [.bidiCharacters])
        #expect(result.warnings.first?.message.hasPrefix("string \"admin\\u{202e}\" contains") == true)
    }
}
