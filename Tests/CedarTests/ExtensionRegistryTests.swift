import Testing
@testable import Cedar

/// Helpers shared by the `Extension*Tests` suites.
enum ExtensionTesting {
    /// The value `function("argument")` evaluates to.
    static func value(_ function: String, _ argument: String) throws -> Value {
        .ext(try Extensions.construct(function: function, argument: argument))
    }

    /// The result of applying the extension function `name` to `arguments`.
    static func call(_ name: String, _ arguments: Value...) throws -> Value {
        let function = try #require(Extensions.function(named: name))
        return try function.apply(arguments)
    }

    /// The error `function("argument")` raises, or nil when it succeeds.
    static func constructionError(_ function: String, _ argument: String) -> EvaluationError? {
        do {
            _ = try Extensions.construct(function: function, argument: argument)
            return nil
        } catch {
            return error
        }
    }

    /// The error applying `name` to `arguments` raises, or nil when it succeeds or `name`
    /// is unknown.
    static func callError(_ name: String, _ arguments: Value...) -> EvaluationError? {
        guard let function = Extensions.function(named: name) else { return nil }
        do {
            _ = try function.apply(arguments)
            return nil
        } catch {
            return error
        }
    }
}

@Suite struct ExtensionRegistry {
    @Test func everyCatalogEntryHasAnImplementationWithTheSameStyleAndArity() throws {
        for (name, signature) in ExtensionCatalog.signatures {
            let function = try #require(Extensions.function(named: name), "missing \(name)")
            #expect(function.name == name)
            #expect(function.style == signature.style, "style of \(name)")
            #expect(function.arity == signature.arity, "arity of \(name)")
        }
    }

    @Test func theRegistryHasNoFunctionsBeyondTheCatalog() {
        #expect(Extensions.allFunctions.count == ExtensionCatalog.signatures.count)
        #expect(Set(Extensions.allFunctions.map(\.name)) == Set(ExtensionCatalog.signatures.keys))
    }

    @Test func unknownNamesHaveNoFunction() {
        #expect(Extensions.function(named: "lessthan") == nil)
        #expect(Extensions.function(named: "") == nil)
        #expect(Extensions.function(named: "ipaddr") == nil)
    }

    @Test func applyRejectsTheWrongNumberOfArgumentsWithRustsMessage() throws {
        let address = try ExtensionTesting.value("ip", "10.0.0.1")
        let error = try #require(ExtensionTesting.callError("isInRange", address, address, address))
        #expect(error.code == .wrongArity)
        #expect(error.message == "wrong number of arguments provided to extension function `isInRange`: expected 2, got 3")
        #expect(ExtensionTesting.callError("toDate")?.code == .wrongArity)
    }

    @Test func constructBuildsEachExtensionType() throws {
        #expect(try Extensions.construct(function: "decimal", argument: "1.5") == .decimal(CedarDecimal(scaled: 15_000)))
        #expect(
            try Extensions.construct(function: "ip", argument: "10.0.0.1")
                == .ipaddr(IPAddr(isV6: false, address: 0x0A00_0001, prefixLength: 32))
        )
        #expect(try Extensions.construct(function: "datetime", argument: "1970-01-02") == .datetime(CedarDatetime(milliseconds: 86_400_000)))
        #expect(try Extensions.construct(function: "duration", argument: "2s") == .duration(CedarDuration(milliseconds: 2_000)))
    }

    @Test func constructRejectsAnUnknownFunction() throws {
        let error = try #require(ExtensionTesting.constructionError("foo", "1"))
        #expect(error.code == .wrongArity)
        #expect(error.message == "extension function `foo` does not exist")
    }

    @Test func constructRejectsAMethodThatTakesAnExtensionValue() throws {
        let error = try #require(ExtensionTesting.constructionError("isIpv4", "1.2.3.4"))
        #expect(error.code == .typeError)
        #expect(error.message == "type error: expected ipaddr, got string")
    }

    @Test func constructRejectsAFunctionOfTwoArguments() throws {
        let error = try #require(ExtensionTesting.constructionError("lessThan", "1.2"))
        #expect(error.code == .wrongArity)
        #expect(error.message == "wrong number of arguments provided to extension function `lessThan`: expected 2, got 1")
    }

    @Test func constructReportsMalformedStringsAsExtensionErrors() throws {
        let error = try #require(ExtensionTesting.constructionError("ip", "1.2.3"))
        #expect(error.code == .extensionError)
        #expect(error.message == "error while evaluating `ipaddr` extension function: invalid IP address: 1.2.3")
    }

    @Test func constructorsRejectNonStringArguments() throws {
        for name in ["decimal", "ip", "datetime", "duration"] {
            let error = try #require(ExtensionTesting.callError(name, .long(1)))
            #expect(error.code == .typeError)
            #expect(error.message == "type error: expected string, got long")
        }
    }

    @Test func cedarLiteralNamesTheConstructorAndCanonicalString() throws {
        #expect(try Extensions.construct(function: "decimal", argument: "1.5").cedarLiteral == ("decimal", "1.5000"))
        #expect(try Extensions.construct(function: "ip", argument: "10.0.0.1").cedarLiteral == ("ip", "10.0.0.1/32"))
        #expect(try Extensions.construct(function: "datetime", argument: "2024-10-15T11:35:00+0100").cedarLiteral
            == ("datetime", "2024-10-15T10:35:00Z"))
        #expect(try Extensions.construct(function: "duration", argument: "1m30s").cedarLiteral == ("duration", "90000ms"))
    }

    @Test func cedarLiteralRoundTripsThroughConstruct() throws {
        let samples = [
            ("decimal", "-922337203685477.5808"), ("decimal", "0.1"),
            ("ip", "::ffff:a00:1"), ("ip", "ffee::11/64"), ("ip", "0.0.0.0/0"),
            ("datetime", "0000-01-01T00:00:00+2359"), ("datetime", "9999-12-31T23:59:59.999-2359"),
            ("datetime", "1969-12-31T23:59:59.999Z"),
            ("duration", "-9223372036854775808ms"), ("duration", "1d2h3m4s5ms"),
        ]
        for (function, argument) in samples {
            let value = try Extensions.construct(function: function, argument: argument)
            let literal = value.cedarLiteral
            #expect(literal.function == function)
            #expect(try Extensions.construct(function: literal.function, argument: literal.argument) == value, "\(argument)")
        }
    }

    @Test func onlyDatetimesAndDurationsSupportTheOrderingOperators() throws {
        #expect(try Extensions.construct(function: "datetime", argument: "2024-01-01").supportsOrdering)
        #expect(try Extensions.construct(function: "duration", argument: "1h").supportsOrdering)
        #expect(try !Extensions.construct(function: "decimal", argument: "1.0").supportsOrdering)
        #expect(try !Extensions.construct(function: "ip", argument: "1.2.3.4").supportsOrdering)
    }

    @Test func compareOrdersDatetimesAndDurations() throws {
        let early = ExtensionValue.datetime(CedarDatetime(milliseconds: -5))
        let late = ExtensionValue.datetime(CedarDatetime(milliseconds: 7))
        #expect(early.compare(late) == -1)
        #expect(late.compare(early) == 1)
        #expect(late.compare(late) == 0)
        let short = ExtensionValue.duration(CedarDuration(milliseconds: .min))
        let long = ExtensionValue.duration(CedarDuration(milliseconds: .max))
        #expect(short.compare(long) == -1)
        #expect(long.compare(short) == 1)
    }

    @Test func compareIsNilForDecimalsAddressesAndMixedTypes() throws {
        let decimal = ExtensionValue.decimal(CedarDecimal(scaled: 1))
        let address = try Extensions.construct(function: "ip", argument: "1.2.3.4")
        let datetime = ExtensionValue.datetime(CedarDatetime(milliseconds: 1))
        let duration = ExtensionValue.duration(CedarDuration(milliseconds: 1))
        #expect(decimal.compare(decimal) == nil)
        #expect(address.compare(address) == nil)
        #expect(datetime.compare(duration) == nil)
        #expect(duration.compare(datetime) == nil)
    }

    @Test func valuesOfDifferentExtensionTypesAreNeverEqual() {
        #expect(Value.ext(.datetime(CedarDatetime(milliseconds: 0))) != Value.ext(.duration(CedarDuration(milliseconds: 0))))
        #expect(Value.ext(.decimal(CedarDecimal(scaled: 0))) != Value.long(0))
    }
}
