import Testing

@testable import Cedar

/// `RequestValidator` answers exactly as `Schema.validate(_:)`: the same requests
/// accepted, the same error for every other.
@Suite struct RequestValidatorTests {
    private typealias F = SchemaFixture
    private static let paint = EntityUID("Action", "paint")
    private static let color = EntityType("Color")

    /// The fixture's schema with `paint`, applying to users and the enumerated `Color`
    /// with a context that requires nothing.
    private static let schema: Schema = {
        var schema = F.schema
        let context = RecordSchema([AttributeSchema(name: "shade", type: .long, isRequired: false)])
        schema.actions[paint] = ActionSchema(
            uid: paint, principalTypes: [F.user], resourceTypes: [color, F.doc], context: context)
        return schema
    }()

    private static let alice = EntityUID("User", "alice")
    private static let doc = EntityUID("Doc", "d")

    static let requests: [Request] = [
        Request(principal: alice, action: F.view, resource: doc, context: Record([("n", .long(1))])),
        Request(principal: alice, action: F.view, resource: doc, context: Record()),
        Request(principal: alice, action: F.view, resource: doc, context: Record([("n", .string("x"))])),
        Request(principal: alice, action: F.view, resource: doc, context: Record([("n", .long(1)), ("extra", .long(2))])),
        Request(
            principal: alice, action: F.view, resource: doc,
            context: Record([("n", .long(1)), ("color", .entity(EntityUID("Color", "teal")))])),
        Request(
            principal: alice, action: F.view, resource: doc,
            context: Record([("n", .long(1)), ("color", .entity(EntityUID("Color", "red")))])),
        Request(
            principal: alice, action: F.view, resource: doc,
            context: Record([("n", .long(1)), ("extra", .entity(EntityUID("Action", "fly")))])),
        Request(principal: EntityUID("Doc", "x"), action: F.view, resource: doc, context: Record([("n", .long(1))])),
        Request(principal: EntityUID("Robot", "r"), action: F.view, resource: doc, context: Record([("n", .long(1))])),
        Request(principal: alice, action: F.view, resource: EntityUID("User", "bob"), context: Record([("n", .long(1))])),
        Request(principal: alice, action: EntityUID("Action", "fly"), resource: doc, context: Record()),
        Request(principal: alice, action: F.read, resource: doc, context: Record()),
        Request(principal: alice, action: paint, resource: doc, context: Record()),
        Request(principal: alice, action: paint, resource: EntityUID("Color", "red"), context: Record()),
        Request(principal: alice, action: paint, resource: EntityUID("Color", "green"), context: Record()),
        Request(principal: alice, action: paint, resource: doc, context: Record([("shade", .long(3))])),
        Request(principal: alice, action: paint, resource: doc, context: Record([("shade", .bool(true))])),
        Request(principal: EntityUID("Color", "green"), action: paint, resource: doc, context: Record()),
    ]

    private static func outcome(_ validate: () throws(RequestValidationError) -> Void) -> RequestValidationError? {
        do throws(RequestValidationError) {
            try validate()
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: requests) func theValidatorAnswersAsTheSchemaDoes(_ request: Request) {
        let validator = RequestValidator(schema: Self.schema)
        let expected = Self.outcome { () throws(RequestValidationError) in try Self.schema.validate(request) }
        #expect(Self.outcome { () throws(RequestValidationError) in try validator.validate(request) } == expected)
    }

    @Test func aPrincipalOfAnotherTypeIsStillRefusedWithTheSchemasMessage() {
        let validator = RequestValidator(schema: Self.schema)
        let request = Request(principal: EntityUID("Doc", "x"), action: F.view, resource: Self.doc, context: Record([("n", .long(1))]))
        let error = Self.outcome { () throws(RequestValidationError) in try validator.validate(request) }
        #expect(error?.code == .invalidPrincipalType)
        #expect(error?.message == #"principal type `Doc` is not valid for `Action::"view"`; it applies to principals of type `User`"#)
    }

    @Test func theSmallestBadReferenceNestedAnywhereInAValueIsTheOneNamed() {
        let value = Value.record(Record([
            ("a", .set(CedarSet([.long(1), .entity(EntityUID("Color", "teal"))]))),
            ("b", .record(Record([("c", .record(Record([("d", .entity(EntityUID("Color", "green")))])))]))),
            ("e", .entity(EntityUID("Color", "red"))),
        ]))
        let problem = Self.schema.firstReferenceProblem(in: value)
        #expect(problem?.uid == EntityUID("Color", "green"))
        #expect(problem?.code == .invalidEnumEntity)
    }

    @Test func aValueNamingOnlyListedIdsAndDeclaredActionsHasNoReferenceProblem() {
        let value = Value.record(Record([
            ("a", .set(CedarSet([.entity(EntityUID("Color", "red")), .entity(Self.paint)]))), ("b", .string("teal")),
        ]))
        #expect(Self.schema.firstReferenceProblem(in: value) == nil)
        #expect(Self.schema.firstReferenceProblem(in: .entity(EntityUID("Action", "fly")))?.code == .undeclaredAction)
    }

    @Test func anUnlistedIdOfAnEnumeratedResourceTypeIsRefused() {
        let validator = RequestValidator(schema: Self.schema)
        let request = Request(principal: Self.alice, action: Self.paint, resource: EntityUID("Color", "green"), context: Record())
        #expect(Self.outcome { () throws(RequestValidationError) in try validator.validate(request) }?.code == .invalidEnumEntity)
    }

    @Test func anEmptyContextIsRefusedWhenTheActionRequiresAnAttribute() {
        let validator = RequestValidator(schema: Self.schema)
        let request = Request(principal: Self.alice, action: F.view, resource: Self.doc, context: Record())
        #expect(Self.outcome { () throws(RequestValidationError) in try validator.validate(request) }?.code == .invalidContext)
    }
}
