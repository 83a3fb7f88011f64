import Testing

@testable import Cedar

@Suite struct SchemaBasedTypeCheckTests {
    private let user = SchemaType.entity(EntityType("User"))

    @Test func entityMustHaveExactlyTheExpectedType() {
        #expect(user.mismatch(with: .entity(EntityUID("User", "a"))) == nil)
        #expect(
            user.mismatch(with: .entity(EntityUID("Doc", "a")))?.problem
                == .wrongType(expected: user, found: "(entity of type `Doc`)"))
    }

    @Test func emptySetHasEverySetType() {
        #expect(SchemaType.set(user).mismatch(with: .set(CedarSet())) == nil)
    }

    @Test func extensionValueMustHaveTheNamedType() throws {
        let decimal = Value.ext(try Extensions.construct(function: "decimal", argument: "1.0"))
        #expect(SchemaType.extension("decimal").mismatch(with: decimal) == nil)
        let mismatch = SchemaType.extension("ipaddr").mismatch(with: decimal)
        #expect(mismatch?.problemText == "expected `ipaddr`, found decimal")
    }

    @Test func nestedMismatchIsLocatedBelowTheAttribute() {
        let type = SchemaType.record(RecordSchema([AttributeSchema(name: "a", type: .set(.long))]))
        let value = Value.record(Record([("a", .set(CedarSet([.long(1), .string("x")])))]))
        let mismatch = type.mismatch(with: value)
        #expect(mismatch?.location(from: "rec") == "rec.a[*]")
        #expect(mismatch?.problemText == "expected `Long`, found string")
    }

    @Test func requiredAttributesAreCheckedBeforeUndeclaredOnes() {
        let type = RecordSchema([AttributeSchema(name: "z", type: .long)])
        let record = Record([("a", .long(1))])
        #expect(type.mismatch(with: record)?.problem == .missingAttribute("z"))
    }

    @Test func ofSeveralProblemsTheMissingRequiredAttributeFirstInNameOrderIsReported() {
        let type = RecordSchema([
            AttributeSchema(name: "m", type: .long), AttributeSchema(name: "b", type: .long),
            AttributeSchema(name: "a", type: .string),
        ])
        let record = Record([("a", .string("s")), ("x", .bool(true))])
        #expect(type.mismatch(with: record)?.problem == .missingAttribute("b"))
        #expect(type.mismatch(with: Record([("a", .long(1))]))?.problemText == "expected `String`, found long")
    }

    @Test func aRecordWithEveryRequiredAttributeOfItsTypeAndOptionalOnesLeftOutHasTheType() {
        let type = RecordSchema([
            AttributeSchema(name: "z", type: .long), AttributeSchema(name: "a", type: .set(.string)),
            AttributeSchema(name: "o", type: .bool, isRequired: false),
        ])
        #expect(type.mismatch(with: Record([("a", .set(CedarSet([.string("x")]))), ("z", .long(2))])) == nil)
    }

    @Test func undeclaredAttributeIsAMismatch() {
        let type = RecordSchema([AttributeSchema(name: "z", type: .long, isRequired: false)])
        #expect(type.mismatch(with: Record([("a", .long(1))]))?.problem == .unexpectedAttribute("a"))
    }

    @Test func attributeNamesThatAreNotIdentifiersAreQuotedInLocations() {
        let type = RecordSchema([AttributeSchema(name: "two words", type: .long)])
        let mismatch = type.mismatch(with: Record([("two words", .bool(true))]))
        #expect(mismatch?.location(from: "context") == #"context["two words"]"#)
    }

    @Test func badSetElementReportedIsTheSameWhateverTheOrder() {
        let type = SchemaType.set(.long)
        let value = Value.set(CedarSet([.string("b"), .bool(true), .string("a"), .long(3)]))
        #expect(type.mismatch(with: value)?.problemText == "expected `Long`, found bool")
    }

    @Test func typesAreWrittenAsTheSchemaFormatWritesThem() {
        let record = SchemaType.record(RecordSchema([
            AttributeSchema(name: "name", type: .string),
            AttributeSchema(name: "age", type: .long, isRequired: false),
            AttributeSchema(name: "two words", type: .set(user)),
        ]))
        #expect(record.schemaText == #"{ name: String, age?: Long, "two words": Set<User> }"#)
        #expect(SchemaType.record(RecordSchema()).schemaText == "{}")
    }

    @Test func longRecordTypesAreAbbreviatedInMessages() {
        let attributes = (0..<10).map { AttributeSchema(name: "a\($0)", type: .bool) }
        #expect(
            SchemaType.record(RecordSchema(attributes)).schemaText
                == "{ a0: Bool, a1: Bool, a2: Bool, a3: Bool, ... }")
    }
}
