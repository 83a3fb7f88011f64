import Testing

@testable import Cedar

@Suite struct SchemaBasedRequestTests {
    private typealias F = SchemaFixture
    private let alice = EntityUID("User", "alice")
    private let doc = EntityUID("Doc", "d")

    private func request(
        principal: EntityUID? = nil, action: EntityUID? = nil, resource: EntityUID? = nil,
        context: Record = Record([("n", .long(1))])
    ) -> Request {
        Request(principal: principal ?? alice, action: action ?? F.view, resource: resource ?? doc, context: context)
    }

    private func validationError(_ request: Request) -> RequestValidationError? {
        do {
            try F.schema.validate(request)
            Issue.record("expected the request to be invalid")
        } catch {
            return error
        }
        return nil
    }

    // MARK: - Scope

    @Test func requestMatchingTheSchemaIsValid() throws {
        try F.schema.validate(request())
    }

    @Test func undeclaredPrincipalTypeIsInvalid() {
        let error = validationError(request(principal: EntityUID("Robot", "r")))
        #expect(error?.code == .undeclaredPrincipalType)
        #expect(error?.message == "principal type `Robot` is not declared in the schema")
    }

    @Test func undeclaredResourceTypeIsInvalid() {
        #expect(validationError(request(resource: EntityUID("Robot", "r")))?.code == .undeclaredResourceType)
    }

    @Test func undeclaredActionIsInvalid() {
        let error = validationError(request(action: EntityUID("Action", "fly")))
        #expect(error?.code == .undeclaredAction)
        #expect(error?.message == #"request's action `Action::"fly"` is not declared in the schema"#)
    }

    @Test func principalOfATypeTheActionDoesNotApplyToIsInvalid() {
        let error = validationError(request(principal: EntityUID("Doc", "x")))
        #expect(error?.code == .invalidPrincipalType)
        #expect(
            error?.message
                == #"principal type `Doc` is not valid for `Action::"view"`; "#
                + "it applies to principals of type `User`")
    }

    @Test func resourceOfATypeTheActionDoesNotApplyToIsInvalid() {
        #expect(validationError(request(resource: EntityUID("User", "x")))?.code == .invalidResourceType)
    }

    @Test func actionWithoutAppliesToAcceptsNoRequest() {
        let error = validationError(request(action: F.read, context: Record()))
        #expect(
            error?.message
                == #"principal type `User` is not valid for `Action::"read"`; "#
                + "the action applies to no principals")
    }

    @Test func enumeratedPrincipalIsCheckedBeforeTheActionAppliesToIt() {
        #expect(validationError(request(principal: EntityUID("Color", "green")))?.code == .invalidEnumEntity)
    }

    // MARK: - Context

    @Test func contextOfTheWrongTypeIsInvalid() {
        let error = validationError(request(context: Record([("n", .string("x"))])))
        #expect(error?.code == .invalidContext)
        #expect(
            error?.message
                == #"context is not valid for `Action::"view"`: "# + "in `context.n`, expected `Long`, found string")
    }

    @Test func contextMissingARequiredAttributeIsInvalid() {
        let error = validationError(request(context: Record()))
        #expect(error?.message == #"context is not valid for `Action::"view"`: missing required attribute `n`"#)
    }

    @Test func contextNamingAnUnlistedEnumeratedIDIsInvalid() {
        let context = Record([("n", .long(1)), ("color", .entity(EntityUID("Color", "teal")))])
        #expect(validationError(request(context: context))?.code == .invalidEnumEntity)
    }

    @Test func contextNamingAnUndeclaredActionIsInvalid() {
        let context = Record([("n", .long(1)), ("extra", .entity(EntityUID("Action", "fly")))])
        #expect(validationError(request(context: context))?.code == .undeclaredAction)
    }

    // MARK: - Reading contexts and requests with a schema

    @Test func contextIsReadByTheActionsContextType() throws {
        let context = try EntityJSON.parseContext(
            #"{"n": 1, "when": {"fn": "datetime", "arg": "2024-10-15"}, "ips": ["10.0.0.1"]}"#,
            schema: F.schema, action: F.view)
        #expect(context["when"] == (try F.ext("datetime", "2024-10-15")))
        #expect(context["ips"] == .set(CedarSet([try F.ext("ip", "10.0.0.1")])))
    }

    @Test func contextForAnUndeclaredActionCannotBeRead() throws {
        let error = F.jsonError {
            _ = try EntityJSON.parseContext("{}", schema: F.schema, action: EntityUID("Action", "fly"))
        }
        #expect(error?.code == .undeclaredAction)
        #expect(error?.message == #"action `Action::"fly"` does not exist in the supplied schema"#)
    }

    @Test func contextWithAnUndeclaredAttributeCannotBeRead() throws {
        let error = F.jsonError {
            _ = try EntityJSON.parseContext(#"{"n": 1, "q": 2}"#, schema: F.schema, action: F.view)
        }
        #expect(error?.code == .unexpectedAttribute)
        #expect(error?.path == "$.q")
    }

    @Test func contextOfTheWrongLeafTypeIsReadAndRejectedByValidation() throws {
        let context = try EntityJSON.parseContext(#"{"n": "one"}"#, schema: F.schema, action: F.view)
        #expect(context["n"] == .string("one"))
        #expect(validationError(request(context: context))?.code == .invalidContext)
    }

    @Test func requestIsReadWithItsContextByTheSchema() throws {
        let text = """
            {"principal": {"type": "User", "id": "alice"}, "action": {"type": "Action", "id": "view"},
             "resource": {"type": "Doc", "id": "d"}, "context": {"n": 2, "color": {"type": "Color", "id": "red"}}}
            """
        let parsed = try EntityJSON.parseRequest(text, schema: F.schema)
        #expect(parsed.context == Record([("n", .long(2)), ("color", .entity(EntityUID("Color", "red")))]))
        try F.schema.validate(parsed)
    }

    @Test func requestWithoutAContextReadsAnEmptyOne() throws {
        let text = """
            {"principal": {"type": "User", "id": "alice"}, "action": {"type": "Action", "id": "view"},
             "resource": {"type": "Doc", "id": "d"}}
            """
        let error = F.jsonError { _ = try EntityJSON.parseRequest(text, schema: F.schema) }
        #expect(error?.code == .missingAttribute)
        #expect(error?.path == "$.context")
    }
}
