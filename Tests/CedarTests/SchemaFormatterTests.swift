import Testing

@testable import Cedar

/// Printing schemas in the human format, exactly as Rust Cedar does (the expected
/// texts are Rust Cedar's output for the same input).
@Suite struct SchemaFormatter {
    private func printed(_ text: String) throws -> String {
        try SchemaFragment.parse(cedarSchema: text).cedarSchemaText
    }

    private func printedJSON(_ text: String) throws -> String {
        try SchemaFragment.parse(json: text).cedarSchemaText
    }

    private func printError(_ json: String) -> SchemaError? {
        do {
            _ = try SchemaFragment.parse(json: json).cedarSchemaText
            return nil
        } catch {
            return error
        }
    }

    @Test func printsTheCanonicalLayout() throws {
        let text = #"""
            @doc("app")
            namespace App {
              type Ctx = { ip?: ipaddr, "user agent": String };
              @doc("a user")
              entity User in [Group] { name: String, "if": Bool } tags { level: Long };
              entity Group;
              entity Color enum ["red", "dark \"blue\""];
              action read;
              action view in [read] appliesTo { principal: [User], resource: Group, context: Ctx };
              action edit appliesTo { principal: User, resource: Group, context: { reason: { text: String } } };
            }
            entity Top;
            namespace Empty {}
            """#
        // Rust prints a tag record without the declaration's indentation.
        let expected = #"""
            entity Top;

            @doc("app")
            namespace App {
              type Ctx = {
                ip?: ipaddr,
                "user agent": String
              };

              entity Color enum ["red", "dark \"blue\""];

              entity Group;

              @doc("a user")
              entity User in [Group] = {
                "if": Bool,
                name: String
              } tags {
              level: Long
            };

              action "edit" appliesTo {
                principal: [User],
                resource: [Group],
                context: {
                  reason: {
                    text: String
                  }
                }
              };

              action "read";

              action "view" in [Action::"read"] appliesTo {
                principal: [User],
                resource: [Group],
                context: Ctx
              };
            }

            namespace Empty {
            }

            """#
        #expect(try printed(text) == expected)
    }

    @Test func emptySchemaPrintsNothing() throws {
        #expect(try printed("") == "")
        #expect(try printedJSON("{}") == "")
    }

    @Test func typesTheJSONNamesExplicitlyPrintWithTheirCedarNamespace() throws {
        let json = #"""
            {"": {"entityTypes": {"A": {"shape": {"type": "Record", "attributes": {
                "b": {"type": "Boolean"}, "l": {"type": "Long"}, "s": {"type": "String"},
                "x": {"type": "Extension", "name": "decimal"}, "e": {"type": "Entity", "name": "A"},
                "c": {"type": "Bool"}
            }}}}, "actions": {}}}
            """#
        let expected = """
            entity A = {
              b: __cedar::Bool,
              c: Bool,
              e: A,
              l: __cedar::Long,
              s: __cedar::String,
              x: __cedar::decimal
            };

            """
        #expect(try printedJSON(json) == expected)
    }

    @Test func actionForNoPrincipalPrintsWithoutAppliesTo() throws {
        let json =
            #"{"": {"entityTypes": {"A": {}}, "actions": {"a": {"appliesTo": {"principalTypes": [], "resourceTypes": ["A"]}}}}}"#
        #expect(try printedJSON(json) == "entity A;\n\naction \"a\";\n")
    }

    @Test func emptyContextPrintsAsEmptyBraces() throws {
        let text = "entity A; action a appliesTo { principal: A, resource: A };"
        #expect(
            try printed(text)
                == "entity A;\n\naction \"a\" appliesTo {\n  principal: [A],\n  resource: [A],\n  context: {}\n};\n")
    }

    @Test func attributeNamesThatAreNotPlainIdentifiersAreQuoted() throws {
        let text = #"entity A { "if": Long, "__cedar": Long, "a-b": Long, "\u{0}": Long, plain_1: Long };"#
        #expect(
            try printed(text)
                == "entity A = {\n  \"\\0\": Long,\n  \"__cedar\": Long,\n  \"a-b\": Long,\n  \"if\": Long,\n  plain_1: Long\n};\n"
        )
    }

    @Test func stringsAreEscapedAsRustDoes() throws {
        let text = "@doc(\"line\\nnext\\t\u{1F600}\") entity A enum [\"\\u{301}é\", \"\\\\\"];"
        #expect(try printed(text) == "@doc(\"line\\nnext\\t😀\")\nentity A enum [\"\\u{301}é\", \"\\\\\"];\n")
    }

    @Test func memberOfListsPrintInBrackets() throws {
        #expect(try printed("entity A in B; entity B;") == "entity A in [B];\n\nentity B;\n")
    }

    @Test func entityAndCommonTypeOfOneNameInANamespaceAreNotExpressible() {
        let error = printError(
            #"{"N": {"entityTypes": {"A": {}}, "actions": {}, "commonTypes": {"A": {"type": "Long"}}}}"#)
        #expect(error?.code == .notExpressible)
        #expect(
            error?.message
                == "the human schema format cannot declare `N::A` as both an entity type and a common type")
        #expect(error?.location == .json(path: "$.N.entityTypes.A"))
    }

    @Test func entityAndCommonTypeOfOneNameInTheEmptyNamespacePrint() throws {
        let json = #"{"": {"entityTypes": {"A": {}}, "actions": {}, "commonTypes": {"A": {"type": "Long"}}}}"#
        #expect(try printedJSON(json) == "type A = __cedar::Long;\n\nentity A;\n")
    }

    @Test func shapeWrittenAsACommonTypeIsNotExpressible() {
        let error = printError(
            #"{"": {"entityTypes": {"A": {"shape": {"type": "S"}}}, "actions": {}, "commonTypes": {"S": {"type": "Record", "attributes": {}}}}}"#
        )
        #expect(error?.code == .notExpressible)
        #expect(
            error?.message
                == "the human schema format cannot declare the shape of entity type `A`, which is not written as a record"
        )
        #expect(error?.location == .json(path: #"$[""].entityTypes.A.shape"#))
    }

    @Test func jsonPrintedAsHumanResolvesToTheSameSchema() throws {
        let json = #"""
            {"App": {
                "commonTypes": {"Ctx": {"type": "Record", "attributes": {"n": {"type": "Long", "required": false}}}},
                "entityTypes": {"U": {"memberOfTypes": ["G"], "tags": {"type": "String"}}, "G": {}},
                "actions": {
                    "read": {},
                    "view": {"memberOf": [{"id": "read"}], "appliesTo": {"principalTypes": ["U"], "resourceTypes": ["G"], "context": {"type": "Ctx"}}}
                }
            }}
            """#
        let fragment = try SchemaFragment.parse(json: json)
        #expect(try Schema(cedarSchema: fragment.cedarSchemaText) == fragment.resolve())
    }
}
