import Testing

@testable import Cedar

@Suite struct SchemaBasedValueReadingTests {
    private typealias F = SchemaFixture
    private let userType = SchemaType.entity(EntityType("User"))
    private let ipaddr = SchemaType.extension("ipaddr")
    private let datetime = SchemaType.extension("datetime")

    // MARK: - Entities

    @Test func typeAndIDObjectIsAnEntityWhereAnEntityIsExpected() throws {
        #expect(try F.read(#"{"type": "User", "id": "bob"}"#, as: userType) == .entity(EntityUID("User", "bob")))
    }

    @Test func explicitEntityEscapeIsAnEntityWhereAnEntityIsExpected() throws {
        let value = try F.read(#"{"__entity": {"type": "User", "id": "bob"}}"#, as: userType)
        #expect(value == .entity(EntityUID("User", "bob")))
    }

    @Test func entityReferenceIgnoresExtraMembers() throws {
        let value = try F.read(#"{"type": "User", "id": "bob", "note": [1]}"#, as: userType)
        #expect(value == .entity(EntityUID("User", "bob")))
    }

    @Test func typeAndIDObjectIsARecordWithoutASchemaType() throws {
        let value = try F.read(#"{"type": "User", "id": "bob"}"#, as: nil)
        #expect(value == .record(Record([("type", .string("User")), ("id", .string("bob"))])))
    }

    @Test func stringWhereAnEntityIsExpectedIsAnError() throws {
        let error = F.jsonError { _ = try F.read(#""User::\"bob\"""#, as: userType) }
        #expect(error?.code == .wrongType)
    }

    @Test func entityOfAnotherTypeIsReadAndLeftToTheTypeCheck() throws {
        #expect(try F.read(#"{"type": "Doc", "id": "d"}"#, as: userType) == .entity(EntityUID("Doc", "d")))
    }

    // MARK: - Extension values

    @Test func plainStringWhereAnIPAddressIsExpectedCallsIp() throws {
        #expect(try F.read(#""10.0.0.1""#, as: ipaddr) == F.ext("ip", "10.0.0.1"))
    }

    @Test func plainStringWhereADatetimeIsExpectedCallsDatetime() throws {
        #expect(try F.read(#""2024-10-15""#, as: datetime) == F.ext("datetime", "2024-10-15"))
    }

    @Test func functionAndArgumentWithoutEscapeIsACall() throws {
        let value = try F.read(#"{"fn": "datetime", "arg": "2025-02-20T13:00:00-0500"}"#, as: datetime)
        #expect(value == (try F.ext("datetime", "2025-02-20T13:00:00-0500")))
    }

    @Test func explicitEscapeWithExtraTopLevelMembersIsStillACall() throws {
        let value = try F.read(#"{"__extn": {"fn": "ip", "arg": "10.0.0.1"}, "note": 1}"#, as: ipaddr)
        #expect(value == (try F.ext("ip", "10.0.0.1")))
    }

    @Test func escapeArgumentsAreReadByTheFunctionsArgumentTypes() throws {
        let value = try F.read(#"{"fn": "offset", "args": ["2024-10-15", "1h"]}"#, as: datetime)
        #expect(value == (try F.ext("datetime", "2024-10-15T01:00:00Z")))
    }

    @Test func escapeOfAnotherExtensionTypeIsReadAndLeftToTheTypeCheck() throws {
        #expect(try F.read(#"{"fn": "decimal", "arg": "1.5"}"#, as: ipaddr) == F.ext("decimal", "1.5"))
    }

    @Test func unknownExtensionFunctionIsAnError() throws {
        let error = F.jsonError { _ = try F.read(#"{"fn": "nope", "arg": "x"}"#, as: ipaddr) }
        #expect(error?.code == .extensionError)
        #expect(error?.message == "extension function `nope` does not exist")
    }

    @Test func wrongNumberOfEscapeArgumentsIsAnError() throws {
        let error = F.jsonError { _ = try F.read(#"{"__extn": {"fn": "ip", "args": ["a", "b"]}}"#, as: ipaddr) }
        #expect(error?.message == "extension function `ip` takes 1 argument, got 2")
        #expect(error?.path == "$.__extn")
    }

    @Test func malformedConstructorArgumentIsAnExtensionError() throws {
        let error = F.jsonError { _ = try F.read(#""not an address""#, as: ipaddr) }
        #expect(error?.code == .extensionError)
    }

    @Test func numberWhereAnIPAddressIsExpectedIsAnError() throws {
        let error = F.jsonError { _ = try F.read("5", as: ipaddr) }
        #expect(error?.code == .extensionError)
        #expect(error?.message.contains("expected string") == true)
    }

    @Test func badEscapeArgumentIsLocatedAtTheArgument() throws {
        let error = F.jsonError { _ = try F.read(#"{"fn": "offset", "args": ["2024-10-15", 7]}"#, as: datetime) }
        #expect(error?.path == "$.args[1]")
    }

    @Test func expressionEscapeIsRejectedWhereAnExtensionIsExpected() throws {
        let error = F.jsonError { _ = try F.read(#"{"__expr": "ip(\"1.2.3.4\")"}"#, as: ipaddr) }
        #expect(error?.code == .invalidValue)
    }

    @Test func unknownEscapeIsRejected() throws {
        let error = F.jsonError { _ = try F.read(#"{"__extn": {"fn": "unknown", "arg": "x"}}"#, as: .long) }
        #expect(error?.code == .extensionError)
    }

    // MARK: - Sets and records

    @Test func setElementsAreReadByTheElementType() throws {
        let value = try F.read(#"["10.0.0.1", {"__extn": {"fn": "ip", "arg": "::1"}}]"#, as: .set(ipaddr))
        #expect(value == .set(CedarSet([try F.ext("ip", "10.0.0.1"), try F.ext("ip", "::1")])))
    }

    @Test func nonArrayWhereASetIsExpectedIsATypeMismatch() throws {
        let error = F.jsonError { _ = try F.read(#""10.0.0.1""#, as: .set(ipaddr)) }
        #expect(error?.code == .typeMismatch)
        #expect(error?.message == "expected `Set<ipaddr>`, found string")
    }

    @Test func recordAttributesAreReadByTheirTypes() throws {
        let type = SchemaType.record(RecordSchema([AttributeSchema(name: "boss", type: userType)]))
        let value = try F.read(#"{"boss": {"type": "User", "id": "b"}}"#, as: type)
        #expect(value == .record(Record([("boss", .entity(EntityUID("User", "b")))])))
    }

    @Test func recordMissingARequiredAttributeIsAnError() throws {
        let type = SchemaType.record(RecordSchema([AttributeSchema(name: "n", type: .long)]))
        let error = F.jsonError { _ = try F.read("{}", as: type) }
        #expect(error?.code == .missingAttribute)
        #expect(error?.message == "expected the record to have an attribute `n`, but it does not")
    }

    @Test func recordMayLeaveOutAnOptionalAttribute() throws {
        let type = SchemaType.record(RecordSchema([AttributeSchema(name: "n", type: .long, isRequired: false)]))
        #expect(try F.read("{}", as: type) == .record(Record()))
    }

    @Test func recordWithAnUndeclaredAttributeIsAnError() throws {
        let type = SchemaType.record(RecordSchema([AttributeSchema(name: "n", type: .long)]))
        let error = F.jsonError { _ = try F.read(#"{"n": 1, "zeta": 2, "alpha": 3}"#, as: type) }
        #expect(error?.code == .unexpectedAttribute)
        #expect(error?.path == "$.alpha")
    }

    @Test func escapeObjectWhereARecordIsExpectedIsAnUndeclaredAttribute() throws {
        let type = SchemaType.record(RecordSchema())
        let error = F.jsonError { _ = try F.read(#"{"__extn": {"fn": "ip", "arg": "1.2.3.4"}}"#, as: type) }
        #expect(error?.code == .unexpectedAttribute)
    }

    @Test func primitiveTypesAreNotCheckedWhileReading() throws {
        #expect(try F.read(#""seven""#, as: .long) == .string("seven"))
    }

    @Test func nestedErrorsAreLocatedByPath() throws {
        let inner = SchemaType.record(RecordSchema([AttributeSchema(name: "ips", type: .set(ipaddr))]))
        let type = SchemaType.record(RecordSchema([AttributeSchema(name: "net", type: inner)]))
        let error = F.jsonError { _ = try F.read(#"{"net": {"ips": ["10.0.0.1", "bad"]}}"#, as: type) }
        #expect(error?.path == "$.net.ips[1]")
    }

    // MARK: - Hostile input

    @Test func deeplyNestedSetsStopAtTheJSONDepthLimit() throws {
        var type = SchemaType.long
        for _ in 0..<20 { type = .set(type) }
        let text = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let error = F.jsonError { _ = try F.read(text, as: type) }
        #expect(error?.code == .tooDeep)
    }

    @Test func nullIsRejectedWhereAnExtensionIsExpected() throws {
        let error = F.jsonError { _ = try F.read("null", as: ipaddr) }
        #expect(error?.code == .invalidValue)
    }
}
