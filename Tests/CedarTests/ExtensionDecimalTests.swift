import Testing
@testable import Cedar

@Suite struct ExtensionDecimalParsing {
    private func scaled(_ text: String) throws -> Int64 {
        try CedarDecimal(parsing: text).scaled
    }

    private func error(_ text: String) throws -> EvaluationError {
        try #require(ExtensionTesting.constructionError("decimal", text), "`\(text)` parsed")
    }

    @Test func decimalAcceptsRustsValidExamples() throws {
        #expect(try scaled("1.0") == 10_000)
        #expect(try scaled("-1.0") == -10_000)
        #expect(try scaled("123.456") == 1_234_560)
        #expect(try scaled("0.1234") == 1_234)
        #expect(try scaled("-0.0123") == -123)
        #expect(try scaled("55.1") == 551_000)
        #expect(try scaled("00.000") == 0)
        #expect(try scaled("0123.0") == 1_230_000)
    }

    @Test func decimalAcceptsTheExtremesOfTheRange() throws {
        #expect(try scaled("922337203685477.5807") == .max)
        #expect(try scaled("-922337203685477.5808") == .min)
    }

    @Test func negativeZeroEqualsZero() throws {
        #expect(try CedarDecimal(parsing: "-0.0") == CedarDecimal(parsing: "0.0"))
        #expect(try scaled("-0.0") == 0)
    }

    @Test func decimalRejectsStringsThatAreNotDigitsPointDigits() throws {
        for text in ["1234", "1.0.", "1.", ".1", "1.a", "-.", "", "-", ".", "+1.0", " 1.0", "1.0 ", "1,0", "1e3", "--1.0", "1.-0", "0x1.0"] {
            let error = try error(text)
            #expect(error.code == .extensionError)
            #expect(error.message == "error while evaluating `decimal` extension function: `\(text)` is not a well-formed decimal value")
        }
    }

    @Test func decimalRejectsATrailingNewline() throws {
        #expect(try error("1.0\n").message.hasSuffix("`1.0\n` is not a well-formed decimal value"))
    }

    @Test func decimalRejectsFiveFractionDigits() throws {
        let error = try error("0.12345")
        #expect(error.code == .extensionError)
        #expect(error.message == "error while evaluating `decimal` extension function: too many digits after the decimal in `0.12345`")
    }

    @Test func decimalRejectsFiveFractionDigitsEvenWhenTheyAreZeros() throws {
        #expect(try error("0.00000").message.hasSuffix("too many digits after the decimal in `0.00000`"))
    }

    @Test func decimalReportsOverflowJustOutsideTheRange() throws {
        for text in ["922337203685477.5808", "-922337203685477.5809", "-922337203685478.0", "1000000000000000.0", "99999999999999999999.0"] {
            let error = try error(text)
            #expect(error.code == .extensionError)
            #expect(error.message == "error while evaluating `decimal` extension function: overflow when converting to decimal")
        }
    }

    @Test func integerOverflowIsReportedBeforeTooManyFractionDigits() throws {
        #expect(try error("99999999999999999999.12345").message.hasSuffix("overflow when converting to decimal"))
    }

    @Test func nonASCIIDigitsAreWellFormedButOverflow() throws {
        // Rust's `\d` matches any Unicode decimal digit, but its integer parser does not.
        #expect(try error("١.٠").message.hasSuffix("overflow when converting to decimal"))
        #expect(try error("1.０").message.hasSuffix("overflow when converting to decimal"))
    }

    @Test func fractionDigitsAreCountedInUTF8Bytes() throws {
        // Three Arabic-Indic digits are six bytes: "too many", as in Rust.
        #expect(try error("1.١١١").message.hasSuffix("too many digits after the decimal in `1.١١١`"))
        #expect(try error("1.١١").message.hasSuffix("overflow when converting to decimal"))
    }

    @Test func nonDigitNumeralsAreNotWellFormed() throws {
        #expect(try error("1.²").message.hasSuffix("is not a well-formed decimal value"))
        #expect(try error("Ⅻ.0").message.hasSuffix("is not a well-formed decimal value"))
    }

    @Test func decimalRejectsAnEmbeddedNUL() throws {
        #expect(try error("1.0\u{0}").message.hasSuffix("is not a well-formed decimal value"))
    }

    @Test func aVeryLongIntegerPartOverflowsWithoutCrashing() throws {
        let text = String(repeating: "9", count: 100_000) + ".0"
        #expect(try error(text).message.hasSuffix("overflow when converting to decimal"))
    }

    @Test func aVeryLongFractionIsTooManyDigits() throws {
        let text = "1." + String(repeating: "0", count: 100_000)
        #expect(try error(text).message.contains("too many digits after the decimal"))
    }
}

@Suite struct ExtensionDecimalFormatting {
    @Test func descriptionHasExactlyFourFractionDigits() {
        #expect(CedarDecimal(scaled: 10_000).description == "1.0000")
        #expect(CedarDecimal(scaled: 1_234_560).description == "123.4560")
        #expect(CedarDecimal(scaled: 1).description == "0.0001")
        #expect(CedarDecimal(scaled: 0).description == "0.0000")
    }

    @Test func descriptionOfANegativeFractionKeepsTheSign() {
        #expect(CedarDecimal(scaled: -5_000).description == "-0.5000")
        #expect(CedarDecimal(scaled: -123).description == "-0.0123")
    }

    @Test func descriptionOfTheExtremes() {
        #expect(CedarDecimal(scaled: .max).description == "922337203685477.5807")
        #expect(CedarDecimal(scaled: .min).description == "-922337203685477.5808")
    }

    @Test func descriptionParsesBackToTheSameValue() throws {
        for text in ["123.0", "1.2300", "123.4560", "-123.4560", "0.0", "-0.0001", "922337203685477.5807", "-922337203685477.5808"] {
            let value = try CedarDecimal(parsing: text)
            #expect(try CedarDecimal(parsing: value.description) == value)
        }
    }
}

@Suite struct ExtensionDecimalMethods {
    private func d(_ text: String) throws -> Value { try ExtensionTesting.value("decimal", text) }

    private func holds(_ name: String, _ a: String, _ b: String) throws -> Bool {
        try ExtensionTesting.call(name, d(a), d(b)) == .bool(true)
    }

    @Test func lessThanMatchesRust() throws {
        #expect(try holds("lessThan", "1.23", "1.24"))
        #expect(try !holds("lessThan", "1.23", "1.23"))
        #expect(try !holds("lessThan", "123.45", "1.23"))
        #expect(try holds("lessThan", "-1.23", "1.23"))
        #expect(try !holds("lessThan", "-1.23", "-1.24"))
        #expect(try holds("lessThan", "-0.0001", "0.0"))
        #expect(try !holds("lessThan", "-0.0023", "-0.23"))
        #expect(try holds("lessThan", "-1.0000", "-0.9999"))
    }

    @Test func lessThanOrEqualMatchesRust() throws {
        #expect(try holds("lessThanOrEqual", "1.23", "1.24"))
        #expect(try holds("lessThanOrEqual", "1.23", "1.23"))
        #expect(try !holds("lessThanOrEqual", "123.45", "1.23"))
        #expect(try holds("lessThanOrEqual", "-1.23", "1.23"))
        #expect(try !holds("lessThanOrEqual", "-1.23", "-1.24"))
    }

    @Test func greaterThanMatchesRust() throws {
        #expect(try !holds("greaterThan", "1.23", "1.24"))
        #expect(try !holds("greaterThan", "1.23", "1.23"))
        #expect(try holds("greaterThan", "123.45", "1.23"))
        #expect(try !holds("greaterThan", "-1.23", "1.23"))
        #expect(try holds("greaterThan", "-1.23", "-1.24"))
    }

    @Test func greaterThanOrEqualMatchesRust() throws {
        #expect(try !holds("greaterThanOrEqual", "1.23", "1.24"))
        #expect(try holds("greaterThanOrEqual", "1.23", "1.23"))
        #expect(try holds("greaterThanOrEqual", "123.45", "1.23"))
        #expect(try !holds("greaterThanOrEqual", "-1.23", "1.23"))
        #expect(try holds("greaterThanOrEqual", "-1.23", "-1.24"))
    }

    @Test func comparisonsSpanTheWholeRange() throws {
        #expect(try holds("lessThan", "-922337203685477.5808", "922337203685477.5807"))
        #expect(try holds("greaterThan", "922337203685477.5807", "-922337203685477.5808"))
    }

    @Test func lessThanRejectsAStringArgument() throws {
        let error = try #require(ExtensionTesting.callError("lessThan", d("-1.23"), .string("1.23")))
        #expect(error.code == .typeError)
        #expect(error.message == "type error: expected decimal, got string")
    }

    @Test func lessThanRejectsADatetimeReceiver() throws {
        let error = try #require(
            ExtensionTesting.callError("lessThan", ExtensionTesting.value("datetime", "2024-01-01"), d("1.0"))
        )
        #expect(error.message == "type error: expected decimal, got datetime")
    }

    @Test func theReceiverIsCheckedBeforeTheArgument() throws {
        let error = try #require(ExtensionTesting.callError("greaterThan", .long(1), .bool(true)))
        #expect(error.message == "type error: expected decimal, got long")
    }

    @Test func decimalsWithTheSameValueAreEqualWhateverTheirSpelling() throws {
        #expect(try d("123.0") == d("123.0000"))
        #expect(try d("0123.0") == d("123.0"))
        #expect(try d("123.456") != d("1.23"))
        #expect(try d("123.0") != .string("123.0"))
    }
}
