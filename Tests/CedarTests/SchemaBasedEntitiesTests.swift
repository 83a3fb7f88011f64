import Testing

@testable import Cedar

@Suite struct SchemaBasedEntitiesTests {
    private typealias F = SchemaFixture

    private func parse(_ text: String) throws -> Entities {
        try EntityJSON.parseEntities(text, schema: F.schema)
    }

    private func error(_ text: String) -> JSONError? {
        F.jsonError { _ = try parse(text) }
    }

    /// One entity object in the entities format.
    private func entity(
        _ type: String, _ id: String, attrs: String = "{}", parents: String = "[]", tags: String? = nil
    ) -> String {
        let tagsMember = tags.map { #", "tags": \#($0)"# } ?? ""
        return #"{"uid": {"type": "\#(type)", "id": "\#(id)"}, "#
            + #""attrs": \#(attrs), "parents": \#(parents)\#(tagsMember)}"#
    }

    /// An entities file with one `User::"a"` whose `attrs` are `attributes`.
    private func user(_ attributes: String, parents: String = "[]", tags: String? = nil) -> String {
        "[" + entity("User", "a", attrs: attributes, parents: parents, tags: tags) + "]"
    }

    // MARK: - Reading

    @Test func attributesUseTheSchemasImplicitForms() throws {
        let entities = try parse(
            user(
                #"{"age": 3, "ip": "10.0.0.1", "boss": {"type": "User", "id": "b"}, "#
                    + #""profile": {"nick": "al", "since": "2024-10-15"}}"#))
        let alice = try #require(entities[EntityUID("User", "a")])
        #expect(alice.attributes["ip"] == (try F.ext("ip", "10.0.0.1")))
        #expect(alice.attributes["boss"] == .entity(EntityUID("User", "b")))
        let profile = Record([("nick", .string("al")), ("since", try F.ext("datetime", "2024-10-15"))])
        #expect(alice.attributes["profile"] == .record(profile))
    }

    @Test func schemaActionsAreAddedWithTheirGroups() throws {
        let entities = try parse("[]")
        #expect(entities[F.view] != nil)
        #expect(entities.ancestors(of: F.view) == [F.read, F.all])
    }

    @Test func listedActionMatchingItsDeclarationIsAccepted() throws {
        let text = """
            [{"uid": {"type": "Action", "id": "view"}, "attrs": {}, "parents": [{"type": "Action", "id": "read"}]},
             {"uid": {"type": "Action", "id": "read"}, "attrs": {}, "parents": [{"type": "Action", "id": "all"}]}]
            """
        #expect(try parse(text).ancestors(of: F.view) == [F.read, F.all])
    }

    @Test func listedActionWithOtherGroupsIsRejected() throws {
        let failure = error("[" + entity("Action", "view", parents: #"[{"type": "Action", "id": "read"}]"#) + "]")
        #expect(failure?.code == .actionMismatch)
        #expect(failure?.path == "$[0]")
        #expect(
            failure?.message
                == #"definition of action `Action::"view"` does not match its schema declaration: "#
                + #"it is in [Action::"read"], but the schema puts it in [Action::"all", Action::"read"]; "#
                + "leave it out of the entities to use the schema's")
    }

    @Test func listedActionWithAttributesIsRejected() throws {
        let failure = error(#"[{"uid": {"type": "Action", "id": "all"}, "attrs": {"x": 1}, "parents": []}]"#)
        #expect(failure?.code == .actionMismatch)
    }

    @Test func listedUndeclaredActionIsRejected() throws {
        let failure = error(#"[{"uid": {"type": "Action", "id": "fly"}, "attrs": {}, "parents": []}]"#)
        #expect(failure?.code == .undeclaredAction)
        #expect(failure?.path == "$[0].uid")
    }

    // MARK: - Entity types and attributes

    @Test func entityOfAnUndeclaredTypeIsRejected() throws {
        let failure = error(#"[{"uid": {"type": "Robot", "id": "r"}, "attrs": {"x": "10.0.0.1"}, "parents": []}]"#)
        #expect(failure?.code == .undeclaredEntityType)
        #expect(failure?.path == "$[0].uid")
        #expect(failure?.message == #"entity `Robot::"r"` has type `Robot` which is not declared in the schema"#)
    }

    @Test func undeclaredAttributeIsRejected() throws {
        let failure = error(user(#"{"age": 3, "extra": 1}"#))
        #expect(failure?.code == .unexpectedAttribute)
        #expect(failure?.path == "$[0].attrs.extra")
        #expect(failure?.message == #"attribute `extra` on `User::"a"` should not exist according to the schema"#)
    }

    @Test func missingRequiredAttributeIsRejected() throws {
        let failure = error(user("{}"))
        #expect(failure?.code == .missingAttribute)
        #expect(failure?.path == "$[0].attrs")
        #expect(failure?.message == #"expected entity `User::"a"` to have attribute `age`, but it does not"#)
    }

    @Test func attributeOfTheWrongTypeIsRejected() throws {
        let failure = error(user(#"{"age": "three"}"#))
        #expect(failure?.code == .typeMismatch)
        #expect(failure?.path == "$[0].attrs.age")
        #expect(failure?.message == #"in attribute `age` on `User::"a"`, expected `Long`, found string"#)
    }

    @Test func nestedAttributeOfTheWrongTypeIsLocated() throws {
        let failure = error(user(#"{"age": 3, "profile": {"nick": 4}}"#))
        #expect(
            failure?.message
                == #"in attribute `profile` on `User::"a"`, at `profile.nick`, "# + "expected `String`, found long")
    }

    @Test func entityAttributeOfAnotherEntityTypeIsRejected() throws {
        let failure = error(user(#"{"age": 3, "friends": [{"type": "Doc", "id": "d"}]}"#))
        #expect(
            failure?.message
                == #"in attribute `friends` on `User::"a"`, at `friends[*]`, "#
                + "expected `User`, found (entity of type `Doc`)")
    }

    // MARK: - Parents

    @Test func parentOfADisallowedTypeIsRejected() throws {
        let failure = error(user(#"{"age": 3}"#, parents: #"[{"type": "Doc", "id": "d"}]"#))
        #expect(failure?.code == .invalidParentType)
        #expect(failure?.path == "$[0].parents")
        #expect(
            failure?.message
                == #"`User::"a"` is not allowed to have an ancestor of type `Doc` according to the schema "#
                + "(it may be in `Group`)")
    }

    @Test func parentAllowedThroughTheSchemasChainIsAccepted() throws {
        let entities = try parse(user(#"{"age": 3}"#, parents: #"[{"type": "Org", "id": "o"}]"#))
        #expect(entities.ancestors(of: EntityUID("User", "a")) == [EntityUID("Org", "o")])
    }

    @Test func undeclaredActionAsAParentIsRejected() throws {
        let failure = error(user(#"{"age": 3}"#, parents: #"[{"type": "Action", "id": "fly"}]"#))
        #expect(failure?.code == .undeclaredAction)
    }

    // MARK: - Tags

    @Test func tagsOnATypeWithoutTagsAreRejected() throws {
        let failure = error(user(#"{"age": 3}"#, tags: #"{"t": "x"}"#))
        #expect(failure?.code == .unexpectedTag)
        #expect(failure?.path == "$[0].tags.t")
    }

    @Test func tagOfTheWrongTypeIsRejected() throws {
        let failure = error("[" + entity("Doc", "d", tags: #"{"t": 1}"#) + "]")
        #expect(failure?.code == .typeMismatch)
        #expect(failure?.message == #"in tag `t` on `Doc::"d"`, expected `String`, found long"#)
    }

    @Test func tagsOfTheDeclaredTypeAreAccepted() throws {
        let entities = try parse("[" + entity("Doc", "d", tags: #"{"t": "x"}"#) + "]")
        #expect(entities[EntityUID("Doc", "d")]?.tags == Record([("t", .string("x"))]))
    }

    // MARK: - Enumerated types and actions named in values

    @Test func enumeratedEntityWithAnUnlistedIDIsRejected() throws {
        let failure = error(#"[{"uid": {"type": "Color", "id": "green"}, "attrs": {}, "parents": []}]"#)
        #expect(failure?.code == .invalidEnumEntity)
        #expect(
            failure?.message
                == #"entity `Color::"green"` is of an enumerated entity type, "#
                + #"but `"green"` is not declared as a valid eid (the ids are `"red"`, `"blue"`)"#)
    }

    @Test func unlistedEnumeratedIDInAnAttributeIsRejected() throws {
        let failure = error("[" + entity("Doc", "d", attrs: #"{"color": {"type": "Color", "id": "teal"}}"#) + "]")
        #expect(failure?.code == .invalidEnumEntity)
        #expect(failure?.path == "$[0].attrs.color")
    }

    @Test func undeclaredActionInAnAttributeIsRejected() throws {
        let failure = error("[" + entity("Doc", "d", attrs: #"{"related": [{"type": "Action", "id": "fly"}]}"#) + "]")
        #expect(failure?.code == .undeclaredAction)
    }

    // MARK: - Checks kept from reading without a schema

    @Test func differentDuplicatesAreStillRejected() throws {
        let text = "[" + entity("Org", "o") + ", " + entity("Org", "o", parents: #"[{"type": "Org", "id": "p"}]"#) + "]"
        #expect(error(text)?.code == .duplicateEntity)
    }

    @Test func hierarchyCyclesAreStillRejected() throws {
        let text = """
            [{"uid": {"type": "Action", "id": "read"}, "attrs": {}, "parents": [{"type": "Action", "id": "all"}]},
             {"uid": {"type": "Action", "id": "all"}, "attrs": {}, "parents": [{"type": "Action", "id": "read"}]}]
            """
        #expect(error(text)?.code == .hierarchyCycle)
    }

    @Test func hostileDeepAttributeValueStopsAtTheDepthLimit() throws {
        let deep = String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000)
        #expect(error(user(#"{"age": 3, "friends": \#(deep)}"#))?.code == .tooDeep)
    }
}
