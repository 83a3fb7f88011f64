import Testing

@testable import Cedar

/// Reading the human schema format: its grammar, what each construct becomes in
/// Rust Cedar's JSON model, and syntax errors with their positions.
@Suite struct SchemaParser {
    /// The JSON form (Rust Cedar's model) of a human-format schema.
    private func json(_ text: String) throws -> JSON {
        try JSON.parse(SchemaFragment.parse(cedarSchema: text).jsonText())
    }

    private func parseError(_ text: String) -> SchemaError? {
        do {
            _ = try SchemaFragment.parse(cedarSchema: text)
            return nil
        } catch {
            return error
        }
    }

    private func at(_ line: Int, _ column: Int, _ text: String) -> SchemaError.Location {
        // The offset is the UTF-8 offset of line:column in `text`.
        var offset = 0
        var currentLine = 1
        var currentColumn = 1
        for scalar in text.unicodeScalars {
            if currentLine == line && currentColumn == column { break }
            offset += String(scalar).utf8.count
            if scalar == "\n" {
                currentLine += 1
                currentColumn = 1
            } else {
                currentColumn += 1
            }
        }
        return .text(SourceLocation(line: line, column: column, offset: offset))
    }

    // MARK: - Declarations

    @Test func entityDeclarationBecomesParentsShapeAndTags() throws {
        let expected = try JSON.parse(
            #"""
            {"": {"entityTypes": {
                "Group": {},
                "User": {
                    "memberOfTypes": ["Group"],
                    "shape": {"type": "Record", "attributes": {
                        "name": {"type": "EntityOrCommon", "name": "String"},
                        "age": {"type": "EntityOrCommon", "name": "Long", "required": false}
                    }},
                    "tags": {"type": "Set", "element": {"type": "EntityOrCommon", "name": "String"}}
                }
            }, "actions": {}}}
            """#)
        #expect(
            try json("entity Group; entity User in [Group] = { name: String, age?: Long } tags Set<String>;")
                == expected)
    }

    @Test func shapeMayBeWrittenWithoutEquals() throws {
        #expect(try json("entity User { a: Long };") == json("entity User = { a: Long };"))
    }

    @Test func singleParentNeedsNoBrackets() throws {
        #expect(try json("entity G; entity U in G;") == json("entity G; entity U in [G];"))
    }

    @Test func oneDeclarationMayNameSeveralEntityTypes() throws {
        let expected = try JSON.parse(
            #"{"": {"entityTypes": {"A": {"annotations": {"doc": "x"}}, "B": {"annotations": {"doc": "x"}}}, "actions": {}}}"#
        )
        #expect(try json(#"@doc("x") entity A, B;"#) == expected)
    }

    @Test func enumeratedEntityTypeListsItsIds() throws {
        let expected = try JSON.parse(
            #"{"": {"entityTypes": {"Color": {"enum": ["red", "blue", "🍍"]}}, "actions": {}}}"#)
        #expect(try json(#"entity Color enum ["red", "blue", "🍍"];"#) == expected)
    }

    @Test func actionNamesMayBeIdentifiersOrStrings() throws {
        let expected = try JSON.parse(
            #"""
            {"": {"entityTypes": {}, "actions": {
                "view": {"appliesTo": {"principalTypes": [], "resourceTypes": []}},
                "edit photo": {"appliesTo": {"principalTypes": [], "resourceTypes": []}}
            }}}
            """#)
        #expect(try json(#"action view, "edit photo";"#) == expected)
    }

    @Test func actionGroupsMayBeNamesStringsOrQualifiedUids() throws {
        let expected = try JSON.parse(
            #"""
            {"NS": {"entityTypes": {}, "actions": {"a": {
                "appliesTo": {"principalTypes": [], "resourceTypes": []},
                "memberOf": [{"id": "read"}, {"id": "write all"}, {"id": "x", "type": "Other::Action"}]
            }}}}
            """#)
        #expect(try json(#"namespace NS { action a in [read, "write all", Other::Action::"x"]; }"#) == expected)
    }

    @Test func appliesToTakesSingleTypesListsAndATrailingComma() throws {
        let expected = try JSON.parse(
            #"""
            {"": {"entityTypes": {}, "actions": {"view": {"appliesTo": {
                "principalTypes": ["User", "Group"], "resourceTypes": ["Photo"],
                "context": {"type": "Record", "attributes": {"ip": {"type": "EntityOrCommon", "name": "ipaddr"}}}
            }}}}}
            """#)
        let text = "action view appliesTo { principal: [User, Group], resource: Photo, context: { ip: ipaddr }, };"
        #expect(try json(text) == expected)
    }

    @Test func contextWrittenAsANameIsACommonTypeReference() throws {
        let expected = try JSON.parse(
            #"""
            {"": {"entityTypes": {}, "actions": {"view": {"appliesTo": {
                "principalTypes": ["U"], "resourceTypes": ["U"], "context": {"type": "NS::Ctx"}
            }}}}}
            """#)
        #expect(try json("action view appliesTo { context: NS::Ctx, principal: U, resource: U };") == expected)
    }

    @Test func emptyAttributesBlockOfAnActionIsIgnored() throws {
        #expect(try json("action a attributes {};") == json("action a;"))
    }

    @Test func commonTypeDeclarationKeepsItsAnnotations() throws {
        let expected = try JSON.parse(
            #"""
            {"": {"entityTypes": {}, "actions": {}, "commonTypes": {"T": {
                "type": "Set", "element": {"type": "EntityOrCommon", "name": "__cedar::Long"}, "annotations": {"doc": "d"}
            }}}}
            """#)
        #expect(try json(#"@doc("d") type T = Set<__cedar::Long>;"#) == expected)
    }

    @Test func annotationsAttachToNamespacesDeclarationsAndAttributes() throws {
        let text = #"""
            @ns namespace N {
              @e1("one") @e2 entity E { @a("attr") x: Long };
              @act("a") action "do";
            }
            """#
        let expected = try JSON.parse(
            #"""
            {"N": {
                "entityTypes": {"E": {
                    "shape": {"type": "Record", "attributes": {
                        "x": {"type": "EntityOrCommon", "name": "Long", "annotations": {"a": "attr"}}
                    }},
                    "annotations": {"e1": "one", "e2": ""}
                }},
                "actions": {"do": {"appliesTo": {"principalTypes": [], "resourceTypes": []}, "annotations": {"act": "a"}}},
                "annotations": {"ns": ""}
            }}
            """#)
        #expect(try json(text) == expected)
    }

    @Test func annotationKeysMayBeReservedWords() throws {
        let expected = try JSON.parse(
            #"{"": {"entityTypes": {"A": {"annotations": {"if": "x", "true": ""}}}, "actions": {}}}"#)
        #expect(try json(#"@if("x") @true entity A;"#) == expected)
    }

    @Test func declarationsOutsideNamespacesFormTheEmptyNamespace() throws {
        let expected = try JSON.parse(
            #"""
            {"": {"entityTypes": {"A": {}, "B": {}}, "actions": {}},
             "N": {"entityTypes": {"C": {}}, "actions": {}}}
            """#)
        #expect(try json("entity A; namespace N { entity C; } entity B;") == expected)
    }

    @Test func keywordsAreNamesWhereTheGrammarAllows() throws {
        let expected = try JSON.parse(
            #"""
            {"": {"entityTypes": {
                "enum": {"enum": ["a"]},
                "tags": {"tags": {"type": "EntityOrCommon", "name": "Set"}},
                "Set": {"shape": {"type": "Record", "attributes": {"appliesTo": {"type": "EntityOrCommon", "name": "namespace"}}}}
            }, "actions": {}}}
            """#)
        #expect(
            try json(#"entity enum enum ["a"]; entity tags tags Set; entity Set { appliesTo: namespace };"#) == expected
        )
    }

    @Test func laterAttributeOfTheSameNameReplacesTheEarlier() throws {
        #expect(try json("entity A { a: Long, a: String };") == json("entity A { a: String };"))
    }

    @Test func quotedAttributeNamesDecodeTheirEscapes() throws {
        let schema = try Schema(cedarSchema: #"entity A { "a b": Long, "q\"": Long, "\u{1F600}": Long };"#)
        let names = try #require(schema.entityTypes[EntityType("A")]).attributes.attributes.map(\.name)
        #expect(names == ["a b", "q\"", "😀"])
    }

    @Test func optionalMarkMayBeSpacedFromItsColon() throws {
        #expect(try json("entity A { a ? : Long };") == json("entity A { a?: Long };"))
    }

    @Test func commentsAndUnicodeWhitespaceAreSkipped() throws {
        let text = "// leading\nentity\u{00A0}A; // trailing\n\u{2003}entity B;// last"
        #expect(try json(text) == json("entity A; entity B;"))
    }

    // MARK: - Syntax errors

    @Test func unexpectedTokenIsNamedWithItsPosition() {
        let text = "entity A;\nentity B in [A,];"
        let error = parseError(text)
        #expect(error?.code == .unexpectedToken)
        #expect(error?.message == "unexpected token `]`; expected a name")
        #expect(error?.location == at(2, 16, text))
    }

    @Test func prematureEndIsAnUnexpectedEndOfInput() {
        let error = parseError("entity A { a: Long }")
        #expect(error?.code == .unexpectedToken)
        #expect(error?.message == "unexpected end of input; expected `in`, `=`, `{`, `tags`, `enum` or `;`")
    }

    @Test func blockWithoutAppliesToSaysAppliesToIsNeeded() {
        let error = parseError("action a { principal: A, resource: A };")
        #expect(
            error?.message
                == "unexpected token `{`; expected `in`, `appliesTo`, `attributes` or `;`; "
                + "action declarations require `appliesTo` before the `{ ... }` block")
    }

    @Test func semicolonAfterNamespaceSaysToRemoveIt() {
        let error = parseError("namespace A { entity B; };")
        #expect(error?.location == at(1, 26, "namespace A { entity B; };"))
        #expect(error?.message.hasSuffix("a namespace is not followed by `;`; try removing this semicolon") == true)
    }

    @Test func reservedWordCannotBeAName() {
        let error = parseError("entity A { in: Long };")
        #expect(error?.code == .reservedIdentifier)
        #expect(error?.message == "`in` is a reserved word and cannot be used as an attribute name")
        #expect(error?.location == at(1, 12, "entity A { in: Long };"))
    }

    @Test func reservedWordCannotBeAPathComponent() {
        #expect(parseError("entity A { a: if::B };")?.code == .reservedIdentifier)
        #expect(parseError("entity true;")?.code == .reservedIdentifier)
    }

    @Test func invalidEscapeIsPlacedAtTheBackslash() {
        let text = #"entity A { "ab\qc": Long };"#
        let error = parseError(text)
        #expect(error?.code == .invalidEscape)
        #expect(error?.message == #"the input `\q` is not a valid escape"#)
        #expect(error?.location == at(1, 15, text))
    }

    @Test func characterOutsideTheGrammarIsAnInvalidToken() {
        let error = parseError("entity A;\n  # comment")
        #expect(error?.code == .invalidToken)
        #expect(error?.message == "unexpected character `#`")
        #expect(error?.location == at(2, 3, "entity A;\n  # comment"))
    }

    @Test func unterminatedStringIsAnInvalidToken() {
        let error = parseError(#"action "view;"#)
        #expect(error?.code == .invalidToken)
        #expect(error?.message == "unterminated string literal")
    }

    @Test func repeatedAnnotationIsAnError() {
        let error = parseError(#"@doc("a") @doc("b") entity A;"#)
        #expect(error?.code == .duplicateAnnotation)
        #expect(error?.message == "duplicate annotation `@doc`")
        #expect(error?.location == at(1, 12, #"@doc("a") @doc("b") entity A;"#))
    }

    @Test func emptyEnumIsASyntaxError() {
        #expect(parseError("entity A enum [];")?.message == "unexpected token `]`; expected a string literal")
    }

    @Test func emptyAppliesToIsASyntaxError() {
        #expect(parseError("action a appliesTo {};")?.code == .unexpectedToken)
    }

    @Test func emptyGroupListIsASyntaxError() {
        #expect(parseError("action a in [];")?.code == .unexpectedToken)
    }

    @Test func trailingCommaInATypeListIsASyntaxError() {
        #expect(parseError("action a appliesTo { principal: [A,], resource: A };")?.code == .unexpectedToken)
    }

    @Test func qualifiedGroupNeedsAnIdString() {
        let error = parseError("action a in [NS::b];")
        #expect(error?.message == "unexpected token `]`; expected `::` followed by the action's id string")
    }

    @Test func numberIsNotATypeOrName() {
        #expect(parseError("entity A { a: 1 };")?.message == "unexpected token `1`; expected a type")
    }

    @Test func setNeedsItsClosingAngle() {
        #expect(parseError("entity A { a: Set<Long };")?.message == "unexpected token `}`; expected `>`")
    }

    @Test func namespacesCannotNest() {
        #expect(parseError("namespace A { namespace B {} }")?.code == .unexpectedToken)
    }

    // MARK: - Declaration checks

    @Test func entityTypeDeclaredTwiceInANamespaceIsAnError() {
        let error = parseError("namespace N { entity A; entity B, A; }")
        #expect(error?.code == .duplicateDeclaration)
        #expect(error?.message == "entity type `A` is declared twice")
        #expect(error?.location == at(1, 35, "namespace N { entity A; entity B, A; }"))
    }

    @Test func actionDeclaredTwiceIsAnErrorWhateverItsSpelling() {
        #expect(parseError(#"action view; action "view";"#)?.message == "action `view` is declared twice")
    }

    @Test func commonTypeDeclaredTwiceIsAnError() {
        #expect(parseError("type T = Long; type T = String;")?.message == "common type `T` is declared twice")
    }

    @Test func entityTypeAndCommonTypeMayShareAName() throws {
        #expect(parseError("entity A; type A = Long;") == nil)
    }

    @Test func namespaceDeclaredTwiceIsAnError() {
        let error = parseError("namespace N {} namespace N {}")
        #expect(error?.code == .duplicateNamespace)
        #expect(error?.message == "namespace `N` is declared twice")
        #expect(error?.location == at(1, 26, "namespace N {} namespace N {}"))
    }

    @Test func cedarNamespaceIsReserved() {
        #expect(parseError("namespace __cedar {}")?.code == .reservedName)
        #expect(parseError("namespace A::__cedar::B {}")?.code == .reservedName)
        #expect(parseError("entity __cedar;")?.message == "`__cedar` is reserved and cannot name an entity type")
        #expect(parseError("type __cedar = Long;")?.code == .reservedName)
    }

    @Test func commonTypeCannotTakeATypeKeywordsName() {
        for keyword in ["Bool", "Boolean", "Entity", "Extension", "Long", "Record", "Set", "String"] {
            let error = parseError("type \(keyword) = { a: __cedar::Long };")
            #expect(error?.code == .reservedKeyword)
            #expect(error?.message == "`\(keyword)` is a schema type keyword and cannot name a common type")
        }
    }

    @Test func appliesToEntryTwiceIsAnError() {
        let error = parseError("action a appliesTo { principal: A, resource: A, principal: B };")
        #expect(error?.code == .duplicateAppliesTo)
        #expect(error?.message == "duplicate `principal` declaration in action `a`")
        #expect(error?.location == at(1, 49, "action a appliesTo { principal: A, resource: A, principal: B };"))
        #expect(parseError("action a appliesTo { context: {}, context: {} };")?.code == .duplicateAppliesTo)
    }

    @Test func appliesToWithoutResourceOrPrincipalIsAnError() {
        // Rust Cedar reports a missing resource before a missing principal.
        let error = parseError("action a, b appliesTo { context: {} };")
        #expect(error?.code == .missingAppliesTo)
        #expect(error?.message == "missing `resource` declaration for `a`")
        #expect(error?.location == at(1, 8, "action a, b appliesTo { context: {} };"))
        #expect(parseError("action a appliesTo { resource: R };")?.message == "missing `principal` declaration for `a`")
    }

    @Test func emptyPrincipalListIsAnError() {
        let error = parseError("action a appliesTo { principal: [], resource: R };")
        #expect(error?.code == .missingAppliesTo)
        #expect(error?.message == "for action `a`, `principal` is `[]`, which is invalid")
    }
}
