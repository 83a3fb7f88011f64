import Testing
@testable import Cedar

@Suite struct ExtensionDurationParsing {
    private func ms(_ text: String) throws -> Int64 { try CedarDuration(parsing: text).milliseconds }

    private func message(_ text: String) throws -> String {
        let error = try #require(ExtensionTesting.constructionError("duration", text), "`\(text)` parsed")
        #expect(error.code == .extensionError)
        return error.message
    }

    private let invalid = "error while evaluating `duration` extension function: invalid duration pattern"
    private let overflow = "error while evaluating `duration` extension function: Duration overflows internal representation"

    /// `milliseconds` written with every unit, as Rust's tests build extreme durations.
    private func allUnits(_ milliseconds: Int64) -> String {
        var rest = milliseconds.magnitude
        let ms = rest % 1000; rest /= 1000
        let s = rest % 60; rest /= 60
        let m = rest % 60; rest /= 60
        let h = rest % 24; rest /= 24
        return "\(milliseconds < 0 ? "-" : "")\(rest)d\(h)h\(m)m\(s)s\(ms)ms"
    }

    @Test func durationAcceptsRustsExamples() throws {
        #expect(try ms("1h") == 3_600_000)
        #expect(try ms("-10h") == -36_000_000)
        #expect(try ms("5d3ms") == 432_000_003)
        #expect(try ms("-3h5m") == -11_100_000)
        #expect(try ms("1d2h3m4s50ms") == 93_784_050)
    }

    @Test func aLeadingMinusNegatesEveryUnit() throws {
        #expect(try ms("-1d2h3m4s5ms") == -93_784_005)
    }

    @Test func mIsMinutesAndMsIsMilliseconds() throws {
        #expect(try ms("1m") == 60_000)
        #expect(try ms("1ms") == 1)
        #expect(try ms("1m1ms") == 60_001)
        #expect(try ms("1m1s") == 61_000)
    }

    @Test func quantitiesMayHaveLeadingZerosAndBeZero() throws {
        #expect(try ms("0000000000000000000000000000000001ms") == 1)
        #expect(try ms("0d") == 0)
        #expect(try ms("-0ms") == 0)
    }

    @Test func durationReachesBothEndsOfTheRange() throws {
        #expect(try ms("9223372036854775807ms") == .max)
        #expect(try ms("-9223372036854775808ms") == .min)
        #expect(try ms(allUnits(.max)) == .max)
        #expect(try ms(allUnits(.min)) == .min)
        #expect(allUnits(.max) == "106751991167d7h12m55s807ms")
    }

    @Test func durationRejectsMalformedStrings() throws {
        for text in ["", "a", "-", "-1", "1", "➖1ms", "11dd", "00000mm", "-d", "-h", "-1hh", "-h2d", "-ms", "1D", "+1d",
                     " 1d", "1d ", "1.5h", "--1d", "1w", "1us", "١d", "1d\n", "1d\u{0}", "d1"] {
            #expect(try message(text) == invalid, "\(text)")
        }
    }

    @Test func unitsMustAppearOnceInDecreasingSize() throws {
        for text in ["1ms1s", "1ms1m", "1ms1h", "0ms1d", "1s1m", "1s1h", "0s0d", "0m0h", "0m0d", "1h1d", "1ms1m1d", "1d1d", "1ms1ms", "1mms", "1sms"] {
            #expect(try message(text) == invalid, "\(text)")
        }
    }

    @Test func durationOverflowsJustOutsideTheRange() throws {
        #expect(try message("9223372036854775808ms") == overflow)
        #expect(try message("-9223372036854775809ms") == overflow)
        #expect(try message("106751991167d7h12m55s808ms") == overflow)
        #expect(try message("-106751991167d7h12m55s809ms") == overflow)
        #expect(try message("106751991168d") == overflow)
    }

    @Test func quantitiesBeyondSixtyFourBitsOverflow() throws {
        #expect(try message("18446744073709551616ms") == overflow)
        #expect(try message(String(repeating: "9", count: 100_000) + "s") == overflow)
    }

    @Test func aMalformedStringIsInvalidEvenWithAnOverflowingQuantity() throws {
        #expect(try message("99999999999999999999999d1x") == invalid)
    }
}

@Suite struct ExtensionDurationMethods {
    private func dur(_ text: String) throws -> Value { try ExtensionTesting.value("duration", text) }

    private func convert(_ name: String, _ text: String) throws -> Value {
        try ExtensionTesting.call(name, dur(text))
    }

    @Test func conversionsOfAPositiveDuration() throws {
        #expect(try convert("toMilliseconds", "1d2h3m4s50ms") == .long(93_784_050))
        #expect(try convert("toSeconds", "1d2h3m4s50ms") == .long(93_784))
        #expect(try convert("toMinutes", "1d2h3m4s50ms") == .long(1_563))
        #expect(try convert("toHours", "1d2h3m4s50ms") == .long(26))
        #expect(try convert("toDays", "1d2h3m4s50ms") == .long(1))
    }

    @Test func conversionsTruncateTowardZero() throws {
        #expect(try convert("toMilliseconds", "-1d2h3m4s50ms") == .long(-93_784_050))
        #expect(try convert("toSeconds", "-1d2h3m4s50ms") == .long(-93_784))
        #expect(try convert("toDays", "-1d2h3m4s50ms") == .long(-1))
        #expect(try convert("toSeconds", "-1999ms") == .long(-1))
        #expect(try convert("toMinutes", "-59s") == .long(0))
        #expect(try convert("toHours", "-3599s") == .long(0))
        #expect(try convert("toDays", "-86399999ms") == .long(0))
        #expect(try convert("toDays", "-86400000ms") == .long(-1))
    }

    @Test func conversionsOfTheExtremes() throws {
        #expect(try convert("toDays", "9223372036854775807ms") == .long(106_751_991_167))
        #expect(try convert("toDays", "-9223372036854775808ms") == .long(-106_751_991_167))
        #expect(try convert("toMilliseconds", "-9223372036854775808ms") == .long(.min))
    }

    @Test func conversionsRejectOtherTypes() throws {
        let error = try #require(ExtensionTesting.callError("toDays", .string("1d")))
        #expect(error.code == .typeError)
        #expect(error.message == "type error: expected duration, got string")
    }

    @Test func durationsOfTheSameLengthAreEqual() throws {
        #expect(try dur("-3d") == dur("-72h"))
        #expect(try dur("1m") == dur("60s"))
        #expect(try dur("-2h") != dur("1h"))
    }

    @Test func descriptionIsMilliseconds() throws {
        #expect(CedarDuration(milliseconds: 93_784_005).description == "93784005ms")
        #expect(CedarDuration(milliseconds: -1).description == "-1ms")
        #expect(CedarDuration(milliseconds: .min).description == "-9223372036854775808ms")
    }

    @Test func descriptionParsesBackToTheSameDuration() throws {
        for milliseconds: Int64 in [0, 1, -1, .max, .min, 93_784_005] {
            let value = CedarDuration(milliseconds: milliseconds)
            #expect(try CedarDuration(parsing: value.description) == value)
        }
    }
}
