import Testing

@testable import Cedar

/// Resolving a schema: how names are looked up, what the resolved schema holds, and
/// every resolution error with its place.
@Suite struct SchemaResolution {
    private func resolveError(_ text: String) -> SchemaError? {
        do {
            _ = try (text.hasPrefix("{") ? SchemaFragment.parse(json: text) : SchemaFragment.parse(cedarSchema: text))
                .resolve()
            return nil
        } catch {
            return error
        }
    }

    private func attribute(_ name: String, of entityType: String, in text: String) throws -> SchemaType? {
        try Schema(cedarSchema: text).entityTypes[EntityType(entityType)]?.attributes[name]?.type
    }

    // MARK: - Name lookup

    @Test func nameIsLookedUpInItsNamespaceFirst() throws {
        let text = "type T = String; namespace N { type T = Long; entity A { t: T }; } entity B { t: T };"
        // RFC 70 forbids `N::T` beside an empty-namespace `T`, so use a different base name.
        #expect(resolveError(text)?.code == .illegalShadowing)
        let allowed = "namespace M { type T = String; } namespace N { type T = Long; entity A { t: T, m: M::T }; }"
        #expect(try attribute("t", of: "N::A", in: allowed) == .long)
        #expect(try attribute("m", of: "N::A", in: allowed) == .string)
    }

    @Test func nameFallsBackToTheEmptyNamespace() throws {
        let text = "type Ctx = { a: Long }; entity User; namespace N { entity A { c: Ctx, u: User }; }"
        #expect(
            try attribute("c", of: "N::A", in: text) == .record(RecordSchema([AttributeSchema(name: "a", type: .long)]))
        )
        #expect(try attribute("u", of: "N::A", in: text) == .entity(EntityType("User")))
    }

    @Test func commonTypeWinsOverEntityTypeOfTheSameName() throws {
        let text = "entity A { x: Long }; type A = String; entity B { a: A };"
        #expect(try attribute("a", of: "B", in: text) == .string)
    }

    @Test func namespacedEntityWinsOverEmptyNamespaceCommonType() throws {
        let text = "type Ctx = Long; namespace N { entity Ctx2; entity A { c: Ctx2 }; }"
        #expect(try attribute("c", of: "N::A", in: text) == .entity(EntityType("N::Ctx2")))
    }

    @Test func builtinTypesResolveWithAndWithoutTheirCedarNamespace() throws {
        let text = """
            entity A { b: Bool, l: Long, s: String, i: ipaddr, d: decimal, t: datetime, u: duration,
                       cb: __cedar::Bool, ci: __cedar::ipaddr };
            """
        let schema = try Schema(cedarSchema: text)
        let attributes = try #require(schema.entityTypes[EntityType("A")]).attributes
        #expect(attributes["b"]?.type == .bool)
        #expect(attributes["l"]?.type == .long)
        #expect(attributes["s"]?.type == .string)
        #expect(attributes["i"]?.type == .extension("ipaddr"))
        #expect(attributes["d"]?.type == .extension("decimal"))
        #expect(attributes["t"]?.type == .extension("datetime"))
        #expect(attributes["u"]?.type == .extension("duration"))
        #expect(attributes["cb"]?.type == .bool)
        #expect(attributes["ci"]?.type == .extension("ipaddr"))
    }

    @Test func declaredTypeShadowsABuiltinExceptThroughCedarNamespace() throws {
        let text = "entity String; type ipaddr = Long; entity A { s: String, cs: __cedar::String, i: ipaddr };"
        #expect(try attribute("s", of: "A", in: text) == .entity(EntityType("String")))
        #expect(try attribute("cs", of: "A", in: text) == .string)
        #expect(try attribute("i", of: "A", in: text) == .long)
    }

    @Test func namespacedTypeShadowsABuiltinInsideItsNamespace() throws {
        let text = "namespace N { entity Long; entity A { l: Long, cl: __cedar::Long }; }"
        #expect(try attribute("l", of: "N::A", in: text) == .entity(EntityType("N::Long")))
        #expect(try attribute("cl", of: "N::A", in: text) == .long)
    }

    @Test func actionTypeOfANamespaceWithActionsIsAnEntityType() throws {
        let text = "namespace N { entity A { a: Action, s: Set<N::Action> }; action view; }"
        #expect(try attribute("a", of: "N::A", in: text) == .entity(EntityType("N::Action")))
        #expect(try attribute("s", of: "N::A", in: text) == .set(.entity(EntityType("N::Action"))))
    }

    @Test func commonTypesAreInlinedThroughChains() throws {
        let text = "type A = Set<B>; type B = { c: C }; type C = __cedar::Long; entity E { a?: A };"
        let schema = try Schema(cedarSchema: text)
        let a = try #require(schema.entityTypes[EntityType("E")]?.attributes["a"])
        #expect(a.isRequired == false)
        #expect(a.type == .set(.record(RecordSchema([AttributeSchema(name: "c", type: .long)]))))
    }

    @Test func actionGroupIsFoundInItsNamespaceThenTheEmptyOne() throws {
        let text = #"""
            action top;
            namespace N { action local; action a in ["local", top, M::Action::"far"]; }
            namespace M { action far; }
            """#
        let schema = try Schema(cedarSchema: text)
        let action = try #require(schema.actions[EntityUID("N::Action", "a")])
        #expect(
            action.memberOf == [
                EntityUID("N::Action", "local"), EntityUID("Action", "top"), EntityUID("M::Action", "far"),
            ])
    }

    @Test func contextMayBeACommonTypeInAnotherNamespace() throws {
        let text =
            "namespace C { type Ctx = { ip: ipaddr }; } namespace N { entity U; action a appliesTo { principal: U, resource: U, context: C::Ctx }; }"
        let action = try #require(try Schema(cedarSchema: text).actions[EntityUID("N::Action", "a")])
        #expect(action.context == RecordSchema([AttributeSchema(name: "ip", type: .extension("ipaddr"))]))
    }

    // MARK: - The resolved schema

    @Test func resolvedEntityTypeKeepsParentsTagsAndAnnotations() throws {
        let text =
            #"@doc("user") entity User in [Group, Group, Team] { @doc("n") name: String } tags Set<String>; entity Group, Team;"#
        let user = try #require(try Schema(cedarSchema: text).entityTypes[EntityType("User")])
        #expect(user.memberOfTypes == [EntityType("Group"), EntityType("Team")])
        #expect(user.tags == .set(.string))
        #expect(user.annotations == [Annotation(key: "doc", value: "user")])
        #expect(user.attributes["name"]?.annotations == [Annotation(key: "doc", value: "n")])
        #expect(user.enumValues == nil)
    }

    @Test func enumeratedEntityTypeKeepsEachIdOnce() throws {
        let color = try #require(
            try Schema(cedarSchema: #"entity Color enum ["red", "blue", "red"];"#).entityTypes[EntityType("Color")])
        #expect(color.enumValues == ["red", "blue"])
        #expect(color.attributes == RecordSchema())
    }

    @Test func resolvedActionKeepsItsAppliesTo() throws {
        let text = """
            entity U, P;
            action read;
            action view in [read] appliesTo { principal: [U, U], resource: P, context: { n?: Long } };
            """
        let schema = try Schema(cedarSchema: text)
        let view = try #require(schema.actions[EntityUID("Action", "view")])
        #expect(
            view
                == ActionSchema(
                    uid: EntityUID("Action", "view"), memberOf: [EntityUID("Action", "read")],
                    principalTypes: [EntityType("U")], resourceTypes: [EntityType("P")],
                    context: RecordSchema([AttributeSchema(name: "n", type: .long, isRequired: false)])))
        let read = try #require(schema.actions[EntityUID("Action", "read")])
        #expect(read.principalTypes.isEmpty && read.resourceTypes.isEmpty)
        #expect(read.hasAppliesTo == false)
    }

    @Test func actionAppliesToRequestsOnlyWithPrincipalAndResourceTypes() throws {
        let text = #"""
            {"": {"entityTypes": {"A": {}}, "actions": {
                "none": {},
                "noPrincipal": {"appliesTo": {"principalTypes": [], "resourceTypes": ["A"]}},
                "both": {"appliesTo": {"principalTypes": ["A"], "resourceTypes": ["A"]}}
            }}}
            """#
        let actions = try Schema(json: text).actions
        #expect(actions[EntityUID("Action", "none")]?.hasAppliesTo == false)
        #expect(actions[EntityUID("Action", "noPrincipal")]?.hasAppliesTo == false)
        #expect(actions[EntityUID("Action", "both")]?.hasAppliesTo == true)
    }

    @Test func actionEntitiesHaveTheirGroupsAsParents() throws {
        let schema = try Schema(cedarSchema: "action all; action read in all; action view in [read];")
        let entities = Dictionary(uniqueKeysWithValues: schema.actionEntities.map { ($0.uid, $0) })
        #expect(entities[EntityUID("Action", "view")]?.parents == [EntityUID("Action", "read")])
        #expect(entities[EntityUID("Action", "all")]?.parents == [])
    }

    @Test func attributesAreSortedByName() throws {
        let schema = try Schema(cedarSchema: "entity A { z: Long, a: Long, m: Long };")
        #expect(schema.entityTypes[EntityType("A")]?.attributes.attributes.map(\.name) == ["a", "m", "z"])
    }

    // MARK: - Errors

    @Test func undefinedNameNamesBothPlacesItWasLookedFor() {
        let text = "namespace N {\n  entity A { b: Missing };\n}"
        let error = resolveError(text)
        #expect(error?.code == .undefinedType)
        #expect(
            error?.message
                == "failed to resolve type `Missing`: neither `N::Missing` nor `Missing` refers to anything that "
                + "has been declared as a common or entity type")
        #expect(error?.location == .text(SourceLocation(line: 2, column: 17, offset: 30)))
    }

    @Test func undefinedQualifiedNameIsLookedForOnce() {
        #expect(
            resolveError("entity A { b: Other::B };")?.message
                == "failed to resolve type `Other::B`: `Other::B` has not been declared as a common or entity type")
    }

    @Test func undefinedParentMustBeAnEntityType() {
        let error = resolveError("type T = Long; entity A in [T];")
        #expect(error?.message == "failed to resolve type `T`: `T` has not been declared as an entity type")
    }

    @Test func contextNameMustBeACommonType() {
        let error = resolveError("entity A; action a appliesTo { principal: A, resource: A, context: A };")
        #expect(error?.message == "failed to resolve type `A`: `A` has not been declared as a common type")
    }

    @Test func undefinedNameInJSONIsPlacedByPath() {
        let error = resolveError(
            #"{"N": {"entityTypes": {"A": {"shape": {"type": "Record", "attributes": {"s": {"type": "Set", "element": {"type": "Entity", "name": "B"}}}}}}, "actions": {}}}"#
        )
        #expect(error?.code == .undefinedType)
        #expect(error?.location == .json(path: "$.N.entityTypes.A.shape.attributes.s.element.name"))
    }

    @Test func undefinedActionGroupIsAnError() {
        let error = resolveError("namespace N { action a in [Action::\"b\"]; } namespace M { action b; }")
        #expect(error?.code == .undefinedAction)
        #expect(
            error?.message == #"undeclared action `Action::"b"`; the groups of an action must be declared as actions"#)
        #expect(error?.location == .text(SourceLocation(line: 1, column: 28, offset: 27)))
    }

    @Test func actionTypeCannotBeAParentPrincipalOrResource() {
        #expect(resolveError("entity A in [Action]; action a;")?.code == .undefinedType)
        #expect(
            resolveError("entity A; action a appliesTo { principal: Action, resource: A };")?.code == .undefinedType)
    }

    @Test func namespacedDeclarationMayNotShadowTheEmptyNamespace() {
        let error = resolveError("entity User;\nnamespace N { type User = Long; }")
        #expect(error?.code == .illegalShadowing)
        #expect(error?.message == "definition of `N::User` illegally shadows the existing definition of `User`")
        #expect(error?.location == .text(SourceLocation(line: 2, column: 20, offset: 32)))
    }

    @Test func namespacedActionMayNotShadowTheEmptyNamespace() {
        let error = resolveError("action view; namespace N { action view; }")
        #expect(error?.code == .illegalShadowing)
        #expect(
            error?.message
                == #"definition of `N::Action::"view"` illegally shadows the existing definition of `Action::"view"`"#)
    }

    @Test func commonTypesInACycleAreAnError() {
        let error = resolveError("type A = { b: B };\ntype B = Set<A>;")
        #expect(error?.code == .commonTypeCycle)
        #expect(error?.message == "cycle in common type references containing `A`")
        #expect(error?.location == .text(SourceLocation(line: 1, column: 6, offset: 5)))
    }

    @Test func actionGroupsInACycleAreAnError() {
        let error = resolveError(#"action a in b; action b in c; action c in a;"#)
        #expect(error?.code == .actionCycle)
        #expect(error?.message == #"cycle in action hierarchy containing `Action::"a"`"#)
        #expect(resolveError("action a in a;")?.code == .actionCycle)
    }

    @Test func entityTypeHierarchyMayHaveCycles() {
        #expect(resolveError("entity Team in [Team]; entity A in B; entity B in A;") == nil)
    }

    @Test func shapeMustBeARecord() {
        let error = resolveError(#"{"": {"entityTypes": {"A": {"shape": {"type": "Long"}}}, "actions": {}}}"#)
        #expect(error?.code == .notARecord)
        #expect(error?.message == "the shape of entity type `A` is declared with a type other than `Record`")
        #expect(error?.location == .json(path: #"$[""].entityTypes.A.shape"#))
    }

    @Test func shapeMayBeACommonTypeThatIsARecord() throws {
        let schema = try Schema(
            json:
                #"{"": {"commonTypes": {"S": {"type": "Record", "attributes": {"a": {"type": "Long"}}}}, "entityTypes": {"A": {"shape": {"type": "S"}}}, "actions": {}}}"#
        )
        #expect(schema.entityTypes[EntityType("A")]?.attributes["a"]?.type == .long)
    }

    @Test func contextMustBeARecord() {
        let error = resolveError(
            "entity A; type C = Set<Long>; action a appliesTo { principal: A, resource: A, context: C };")
        #expect(error?.code == .notARecord)
        #expect(error?.message == #"the context of action `Action::"a"` is declared with a type other than `Record`"#)
        #expect(error?.location == .text(SourceLocation(line: 1, column: 38, offset: 37)))
    }

    @Test func entityTypeNamedActionIsAnError() {
        let error = resolveError("namespace N { entity Action; }")
        #expect(error?.code == .actionEntityTypeDeclared)
        #expect(error?.location == .text(SourceLocation(line: 1, column: 22, offset: 21)))
    }

    @Test func actionAttributesAreUnsupported() {
        let error = resolveError(#"{"": {"entityTypes": {}, "actions": {"a": {"attributes": {}}}}}"#)
        #expect(error?.code == .unsupportedFeature)
        #expect(error?.location == .json(path: #"$[""].actions.a.attributes"#))
    }

    @Test func additionalAttributesAreUnsupported() {
        let error = resolveError(
            #"{"": {"entityTypes": {"A": {"shape": {"type": "Record", "attributes": {}, "additionalAttributes": true}}}, "actions": {}}}"#
        )
        #expect(error?.code == .unsupportedFeature)
        #expect(error?.message == "records with `additionalAttributes` are not supported")
        #expect(error?.location == .json(path: #"$[""].entityTypes.A.shape.additionalAttributes"#))
    }

    @Test func unknownExtensionTypeIsAnError() {
        let error = resolveError(
            #"{"": {"entityTypes": {"A": {"shape": {"type": "Record", "attributes": {"ip": {"type": "Extension", "name": "ipaddress"}}}}}, "actions": {}}}"#
        )
        #expect(error?.code == .unknownExtensionType)
        #expect(error?.message == "unknown extension type `ipaddress`")
        #expect(error?.location == .json(path: #"$[""].entityTypes.A.shape.attributes.ip.name"#))
    }

    @Test func unusedCommonTypeIsStillChecked() {
        #expect(resolveError("type T = Missing;")?.code == .undefinedType)
    }

    @Test func errorDescriptionShowsWhereAndWhat() {
        let error = resolveError("entity A { b: C };")
        #expect(
            error?.description
                == "1:15: failed to resolve type `C`: `C` has not been declared as a common or entity type")
    }
}
