import Testing

@testable import Cedar

/// Reading and writing the JSON schema format, and translating the human format
/// into it as Rust Cedar does.
@Suite struct SchemaJSON {
    private func jsonError(_ text: String) -> SchemaError? {
        do {
            _ = try SchemaFragment.parse(json: text)
            return nil
        } catch {
            return error
        }
    }

    /// The JSON form of a human-format schema.
    private func translated(_ text: String) throws -> JSON {
        try JSON.parse(SchemaFragment.parse(cedarSchema: text).jsonText())
    }

    // MARK: - Reading

    @Test func everyTypeFormResolves() throws {
        let text = #"""
            {"NS": {
                "commonTypes": {"Ctx": {"type": "Record", "attributes": {"n": {"type": "Long"}}}},
                "entityTypes": {"User": {"shape": {"type": "Record", "attributes": {
                    "b": {"type": "Boolean"},
                    "s": {"type": "String", "required": false},
                    "set": {"type": "Set", "element": {"type": "Extension", "name": "decimal"}},
                    "e": {"type": "Entity", "name": "User"},
                    "eoc": {"type": "EntityOrCommon", "name": "Ctx"},
                    "ref": {"type": "Ctx"},
                    "alias": {"type": "ipaddr"}
                }}}},
                "actions": {}
            }}
            """#
        let schema = try Schema(json: text)
        let user = try #require(schema.entityTypes[EntityType("NS::User")])
        let context = SchemaType.record(RecordSchema([AttributeSchema(name: "n", type: .long)]))
        #expect(
            user.attributes
                == RecordSchema([
                    AttributeSchema(name: "alias", type: .extension("ipaddr")),
                    AttributeSchema(name: "b", type: .bool),
                    AttributeSchema(name: "e", type: .entity(EntityType("NS::User"))),
                    AttributeSchema(name: "eoc", type: context),
                    AttributeSchema(name: "ref", type: context),
                    AttributeSchema(name: "s", type: .string, isRequired: false),
                    AttributeSchema(name: "set", type: .set(.extension("decimal"))),
                ]))
    }

    @Test func nullActionMembersReadAsAbsent() throws {
        let text =
            #"{"": {"entityTypes": {}, "actions": {"a": {"appliesTo": null, "memberOf": null, "attributes": null}}}}"#
        let schema = try Schema(json: text)
        let action = try #require(schema.actions[EntityUID("Action", "a")])
        #expect(action.hasAppliesTo == false)
        #expect(action.memberOf.isEmpty)
    }

    @Test func nullAnnotationValueIsKeptAndPrintsWithoutValue() throws {
        let fragment = try SchemaFragment.parse(
            json: #"{"": {"entityTypes": {"A": {"annotations": {"doc": null, "if": "x"}}}, "actions": {}}}"#)
        #expect(try fragment.cedarSchemaText == "@doc\n@if(\"x\")\nentity A;\n")
        #expect(
            try JSON.parse(fragment.jsonText())
                == JSON.parse(
                    #"{"": {"entityTypes": {"A": {"annotations": {"doc": null, "if": "x"}}}, "actions": {}}}"#))
        let schema = try fragment.resolve()
        #expect(
            schema.entityTypes[EntityType("A")]?.annotations == [
                Annotation(key: "doc", value: ""), Annotation(key: "if", value: "x"),
            ])
    }

    @Test func structMayBeWrittenAsAnArrayOfItsValuesAsSerdeAllows() throws {
        // Rust Cedar reads schemas with serde, which also reads a struct from an array of
        // its fields' values in declaration order.
        let positional = #"""
            {"": [{}, {"A": [["B"]], "B": []}, {"a": [null, [["A"], ["A"]], [["b"]]], "b": []}]}
            """#
        let keyed = #"""
            {"": {"entityTypes": {"A": {"memberOfTypes": ["B"]}, "B": {}}, "actions": {
                "a": {"appliesTo": {"resourceTypes": ["A"], "principalTypes": ["A"]}, "memberOf": [{"id": "b"}]},
                "b": {}
            }}}
            """#
        #expect(try SchemaFragment.parse(json: positional) == SchemaFragment.parse(json: keyed))
    }

    @Test func errorInAnArrayWrittenStructIsPlacedAtItsIndex() {
        let error = jsonError(#"{"": {"entityTypes": {"A": [["B"], 1]}, "actions": {}}}"#)
        #expect(error?.code == .wrongType)
        #expect(error?.location == .json(path: #"$[""].entityTypes.A[1]"#))
        #expect(jsonError(#"{"": {"entityTypes": {"A": [[], null, null, null, null, null]}, "actions": {}}}"#) != nil)
    }

    // MARK: - Writing

    @Test func writingLeavesOutDefaults() throws {
        let fragment = try SchemaFragment.parse(
            cedarSchema:
                "entity A { x: Long }; entity B; action a appliesTo { principal: A, resource: B, context: {} };")
        #expect(
            fragment.jsonText()
                == #"{"":{"entityTypes":{"A":{"shape":{"type":"Record","attributes":{"x":{"type":"EntityOrCommon","name":"Long"}}}},"B":{}},"actions":{"a":{"appliesTo":{"resourceTypes":["B"],"principalTypes":["A"]}}}}}"#
        )
    }

    @Test func prettyOutputIndentsByTwoSpaces() throws {
        let fragment = try SchemaFragment.parse(
            cedarSchema: "namespace N { entity A { a?: Set<Long> }; action \"v\"; }")
        let expected = """
            {
              "N": {
                "entityTypes": {
                  "A": {
                    "shape": {
                      "type": "Record",
                      "attributes": {
                        "a": {
                          "type": "Set",
                          "element": {
                            "type": "EntityOrCommon",
                            "name": "Long"
                          },
                          "required": false
                        }
                      }
                    }
                  }
                },
                "actions": {
                  "v": {
                    "appliesTo": {
                      "resourceTypes": [],
                      "principalTypes": []
                    }
                  }
                }
              }
            }
            """
        #expect(fragment.jsonText(pretty: true) == expected)
    }

    @Test func namespacesAreWrittenInRustCedarsOrder() throws {
        let fragment = try SchemaFragment.parse(
            cedarSchema: "namespace Z::A {} namespace B {} namespace A {} namespace A::B {} entity Q;")
        guard case .object(let root) = try JSON.parse(fragment.jsonText()) else {
            Issue.record("not an object")
            return
        }
        // The empty namespace first, then by base name, then by the path before it.
        #expect(root.keys == ["", "A", "Z::A", "B", "A::B"])
    }

    @Test func attributesAndDeclarationsAreWrittenSorted() throws {
        let fragment = try SchemaFragment.parse(
            cedarSchema: "entity B { z: Long, a: Long }; entity A; action z; action \"é\"; action b;")
        #expect(
            fragment.jsonText().contains(#""entityTypes":{"A":{},"B":{"shape":{"type":"Record","attributes":{"a":"#))
        #expect(fragment.jsonText().contains(#""actions":{"b":"#))
        #expect(fragment.jsonText().contains(#""z":{"appliesTo":{"resourceTypes":[],"principalTypes":[]}},"é""#))
    }

    // MARK: - Translation from the human format (Rust Cedar's own expectations)

    @Test func annotationsTranslateAsRustCedarDoes() throws {
        let text = #"""
            @a1
            @a2("")
            @a3("foo")
            namespace N {
              @ae1("🌕")
              @ae2("moon")
              entity Moon;
            }
            @a("🌌")
            action "🚀","🛸" appliesTo {
                principal: [Astronaut, ET],
                resource: Earth,
            };
            """#
        let expected = try JSON.parse(
            #"""
            {
                "": {"entityTypes": {}, "actions": {
                    "🚀": {"annotations": {"a": "🌌"}, "appliesTo": {"principalTypes": ["Astronaut", "ET"], "resourceTypes": ["Earth"]}},
                    "🛸": {"annotations": {"a": "🌌"}, "appliesTo": {"principalTypes": ["Astronaut", "ET"], "resourceTypes": ["Earth"]}}
                }},
                "N": {
                    "entityTypes": {"Moon": {"annotations": {"ae1": "🌕", "ae2": "moon"}}},
                    "actions": {},
                    "annotations": {"a1": "", "a2": "", "a3": "foo"}
                }
            }
            """#)
        #expect(try translated(text) == expected)
    }

    @Test func commonTypesTranslateAsRustCedarDoes() throws {
        let text = #"""
            @comment("A->B")
            type A = B;
            @comment("B->A")
            type B = A;
            """#
        let expected = try JSON.parse(
            #"""
            {"": {"entityTypes": {}, "actions": {}, "commonTypes": {
                "A": {"type": "EntityOrCommon", "name": "B", "annotations": {"comment": "A->B"}},
                "B": {"type": "EntityOrCommon", "name": "A", "annotations": {"comment": "B->A"}}
            }}}
            """#)
        #expect(try translated(text) == expected)
    }

    @Test func attributeAnnotationsTranslateAsRustCedarDoes() throws {
        let text = #"""
            type Stars = {
                @a1
                "🌕": Long,
                @a3
                "🛰️": {
                  @a4("Rocket")
                  "🚀": Long,
                }
            };
            """#
        let expected = try JSON.parse(
            #"""
            {"": {"entityTypes": {}, "actions": {}, "commonTypes": {"Stars": {"type": "Record", "attributes": {
                "🌕": {"type": "EntityOrCommon", "name": "Long", "annotations": {"a1": ""}},
                "🛰️": {"type": "Record", "annotations": {"a3": ""}, "attributes": {
                    "🚀": {"type": "EntityOrCommon", "name": "Long", "annotations": {"a4": "Rocket"}}
                }}
            }}}}}
            """#)
        #expect(try translated(text) == expected)
    }

    // MARK: - Errors

    @Test func malformedJSONIsPlacedInTheText() {
        let error = jsonError("{\"\": {\"entityTypes\": {},\n \"actions\": {}")
        #expect(error?.code == .invalidJSON)
        #expect(error?.location == .text(SourceLocation(line: 2, column: 15, offset: 39)))
    }

    @Test func duplicateKeyIsInvalidJSON() {
        #expect(jsonError(#"{"": {"entityTypes": {"A": {}, "A": {}}, "actions": {}}}"#)?.code == .invalidJSON)
    }

    @Test func topLevelMustBeAnObjectOfNamespaces() {
        let error = jsonError("[]")
        #expect(error?.code == .wrongType)
        #expect(error?.message == "expected an object of namespaces, found an array")
        #expect(error?.location == .json(path: "$"))
    }

    @Test func namespaceNeedsEntityTypesAndActions() {
        let error = jsonError(#"{"NS": {"entityTypes": {}}}"#)
        #expect(error?.code == .missingKey)
        #expect(error?.message == "missing required key `actions`")
        #expect(error?.location == .json(path: "$.NS"))
    }

    @Test func unknownKeyIsAnErrorAtItsPath() {
        let error = jsonError(
            #"{"": {"entityTypes": {"A": {"shape": {"type": "Record", "attributes": {"a": {"type": "Long", "requried": false}}}}}, "actions": {}}}"#
        )
        #expect(error?.code == .unknownKey)
        #expect(error?.location == .json(path: #"$[""].entityTypes.A.shape.attributes.a.requried"#))
    }

    @Test func keyOfAnotherTypeKindIsAnError() {
        let error = jsonError(
            #"{"": {"entityTypes": {"A": {"shape": {"type": "Set", "element": {"type": "Long"}, "name": "x"}}}, "actions": {}}}"#
        )
        #expect(error?.code == .unknownKey)
        #expect(error?.message == "unknown key `name` for type `Set`, which takes only `element`")
    }

    @Test func typeNeedsItsKind() {
        let error = jsonError(#"{"": {"entityTypes": {"A": {"shape": {"attributes": {}}}}, "actions": {}}}"#)
        #expect(error?.code == .missingKey)
        #expect(error?.message == "missing required key `type`")
    }

    @Test func enumExcludesTheOtherEntityKeys() {
        let error = jsonError(#"{"": {"entityTypes": {"A": {"enum": ["a"], "memberOfTypes": []}}, "actions": {}}}"#)
        #expect(error?.code == .invalidValue)
        #expect(error?.message == "an entity type with `enum` cannot also have `memberOfTypes`")
        #expect(error?.location == .json(path: #"$[""].entityTypes.A.memberOfTypes"#))
    }

    @Test func emptyEnumIsAnError() {
        #expect(
            jsonError(#"{"": {"entityTypes": {"A": {"enum": []}}, "actions": {}}}"#)?.message
                == "`enum` must list at least one entity id")
    }

    @Test func nullShapeIsAWrongType() {
        let error = jsonError(#"{"": {"entityTypes": {"A": {"shape": null}}, "actions": {}}}"#)
        #expect(error?.code == .wrongType)
        #expect(error?.message == "expected a type object, found `null`")
    }

    @Test func namesMustBeWellFormed() {
        #expect(
            jsonError(#"{"": {"entityTypes": {"A::B": {}}, "actions": {}}}"#)?.message
                == "invalid entity type name `A::B`: it is not an identifier")
        #expect(
            jsonError(#"{"": {"entityTypes": {"if": {}}, "actions": {}}}"#)?.message
                == "invalid entity type name `if`: `if` is a reserved word")
        #expect(
            jsonError(#"{"A::if": {"entityTypes": {}, "actions": {}}}"#)?.message
                == "invalid namespace name `A::if`: `if` is a reserved word")
        #expect(
            jsonError(#"{"__cedar": {"entityTypes": {}, "actions": {}}}"#)?.message
                == "invalid namespace name `__cedar`: `__cedar` is reserved")
        #expect(
            jsonError(#"{"": {"entityTypes": {"A": {"memberOfTypes": ["B C"]}}, "actions": {}}}"#)?.location
                == .json(path: #"$[""].entityTypes.A.memberOfTypes[0]"#))
    }

    @Test func commonTypeCannotTakeATypeKeywordsName() {
        let error = jsonError(#"{"": {"entityTypes": {}, "actions": {}, "commonTypes": {"Record": {"type": "Long"}}}}"#)
        #expect(error?.code == .invalidValue)
        #expect(error?.message == "`Record` is a schema type keyword and cannot name a common type")
    }

    @Test func emptyNamespaceCannotHaveAnnotations() {
        let error = jsonError(#"{"": {"entityTypes": {}, "actions": {}, "annotations": {"doc": "x"}}}"#)
        #expect(error?.message == "annotations are not allowed on the empty namespace")
        #expect(error?.location == .json(path: #"$[""].annotations"#))
    }

    @Test func annotationKeyMustBeAnIdentifier() {
        #expect(
            jsonError(#"{"": {"entityTypes": {"A": {"annotations": {"a b": "x"}}}, "actions": {}}}"#)?.message
                == "invalid annotation key `a b`")
    }

    @Test func actionGroupReferenceAllowsOnlyIdAndType() {
        let error = jsonError(#"{"": {"entityTypes": {}, "actions": {"a": {"memberOf": [{"id": "b", "kind": "x"}]}}}}"#)
        #expect(error?.code == .unknownKey)
        #expect(error?.location == .json(path: #"$[""].actions.a.memberOf[0].kind"#))
    }
}
