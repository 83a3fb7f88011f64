import Testing
@testable import Cedar

@Suite struct ExtensionDatetimeParsing {
    private func ms(_ text: String) throws -> Int64 { try CedarDatetime(parsing: text).milliseconds }

    private func message(_ text: String) throws -> String {
        let error = try #require(ExtensionTesting.constructionError("datetime", text), "`\(text)` parsed")
        #expect(error.code == .extensionError)
        return error.message
    }

    private func reason(_ text: String) throws -> String {
        let prefix = "error while evaluating `datetime` extension function: "
        let message = try message(text)
        #expect(message.hasPrefix(prefix))
        return String(message.dropFirst(prefix.count))
    }

    @Test func aDateAloneIsMidnightUTC() throws {
        #expect(try ms("1970-01-01") == 0)
        #expect(try ms("2024-10-28") == 1_730_073_600_000)
        #expect(try ms("1969-12-31") == -86_400_000)
    }

    @Test func datetimeAcceptsSecondsAndMillisecondsInUTC() throws {
        #expect(try ms("2024-10-28T01:22:33Z") == 1_730_078_553_000)
        #expect(try ms("2024-10-28T01:22:33.456Z") == 1_730_078_553_456)
    }

    @Test func anOffsetIsSubtractedToGetUTC() throws {
        #expect(try ms("2024-10-28T10:12:13.456-0700") == 1_730_135_533_456)
        #expect(try ms("2024-10-15T11:38:02.101+1134") == ms("2024-10-15T00:04:02.101Z"))
        #expect(try ms("2024-10-15T11:38:02.101-1134") == ms("2024-10-15T23:12:02.101Z"))
        #expect(try ms("2024-10-15T11:38:02+1134") == ms("2024-10-15T00:04:02Z"))
        #expect(try ms("2024-10-15T11:38:02-1134") == ms("2024-10-15T23:12:02Z"))
        #expect(try ms("2024-10-15T23:59:00+2359") == ms("2024-10-15"))
        #expect(try ms("2024-10-15T00:00:00-2359") == ms("2024-10-15T23:59:00Z"))
        #expect(try ms("2024-10-15T00:00:00-0000") == ms("2024-10-15"))
    }

    @Test func theCalendarIsProlepticGregorianFromYearZero() throws {
        #expect(try ms("0000-01-01") == -62_167_219_200_000)
        #expect(try ms("0000-02-29") == ms("0000-03-01") - 86_400_000)
        #expect(try ms("2000-02-29") == ms("2000-03-01") - 86_400_000)
        #expect(try ms("2024-02-29") == 1_709_164_800_000)
    }

    @Test func theExtremeOffsetsReachJustPastYearsZeroAndNineThousand() throws {
        #expect(try ms("0000-01-01T00:00:00+2359") == -62_167_219_200_000 - 86_340_000)
        #expect(try ms("9999-12-31T23:59:59.999-2359") == 253_402_387_139_999)
    }

    @Test func malformedDatesAreAnInvalidDatePattern() throws {
        for text in ["", "a", "-", "-1", "11-12-13", "1111-1x-20", "0000-0a-01", "10000-01-01", "10000-01-01T00:00:00Z",
                     "2024-1-01", "-2024-10-15", "٢٠٢٤-10-15", "2024/10/15"] {
            #expect(try reason(text) == "invalid date pattern", "\(text)")
        }
    }

    @Test func nonexistentDatesAreInvalid() throws {
        for text in ["2024-00-01", "2024-01-00", "2024-02-30", "2025-02-29", "1900-02-29", "2024-20-01", "2024-01-32", "2024-01-99", "2024-04-31"] {
            #expect(try reason(text) == "invalid date: \(text)")
        }
    }

    @Test func malformedTimesAreAnInvalidTimePattern() throws {
        for text in ["2024-10-15Z", "2024-01-01T", "2024-01-01Ta", "2024-01-01T01:", "2024-01-01T01:02", "2024-01-01T01:02:0b",
                     "2024-01-01T01::02:03", "2024-10-15t00:00:00Z", "2024-10-15 00:00:00Z", "2024-10-155", "2024-10-15x"] {
            #expect(try reason(text) == "invalid hour/minute/second pattern", "\(text)")
        }
    }

    @Test func malformedEndingsAreAnInvalidMillisecondOrOffsetPattern() throws {
        for text in ["2024-01-01T00:00:00", "2024-01-01T00:00:00T", "2024-01-01T00:00:00ZZ", "2024-01-01T00:00:00x001Z",
                     "2024-01-01T00:00:00.001ZZ", "2024-01-01T00:00:00➕0000", "2024-01-01T00:00:00.0001Z",
                     "2024-01-01T00:00:00.00Z", "2024-01-01T00:00:00.001+00000", "2024-01-01T00:00:00.001-000",
                     "2024-01-01T00:00:00+00:00", "2024-01-01T00:00:00z", "2024-01-01T00:00:00Z\n", "2024-01-01T00:00:00Z\u{0}"] {
            #expect(try reason(text) == "invalid millisecond and/or offset pattern", "\(text)")
        }
    }

    @Test func outOfRangeTimesAreInvalidIncludingLeapSeconds() throws {
        #expect(try reason("2024-01-01T31:02:03Z") == "invalid hour/minute/second: 31:02:03")
        #expect(try reason("2024-01-01T24:00:00Z") == "invalid hour/minute/second: 24:00:00")
        #expect(try reason("2024-01-01T01:60:03Z") == "invalid hour/minute/second: 01:60:03")
        #expect(try reason("2016-12-31T23:59:60Z") == "invalid hour/minute/second: 23:59:60")
    }

    @Test func outOfRangeOffsetsPrintTheirPartsUnpadded() throws {
        #expect(try reason("2016-12-31T00:00:00+1160") == "invalid offset range: 1160")
        #expect(try reason("2016-12-31T00:00:00+1199") == "invalid offset range: 1199")
        #expect(try reason("2016-12-31T00:00:00+2400") == "invalid offset range: 240")
        #expect(try reason("2016-12-31T00:00:00-0060") == "invalid offset range: 060")
    }

    @Test func shapeIsCheckedBeforeMeaning() throws {
        #expect(try reason("2024-02-30T25:00:00") == "invalid millisecond and/or offset pattern")
        #expect(try reason("2024-02-30Tab") == "invalid hour/minute/second pattern")
    }

    @Test func theDateIsCheckedBeforeTheTimeAndTheTimeBeforeTheOffset() throws {
        #expect(try reason("2024-02-30T25:00:00Z") == "invalid date: 2024-02-30")
        #expect(try reason("2024-02-28T25:00:00+2400") == "invalid hour/minute/second: 25:00:00")
    }

    @Test func hostileStringsAreRejectedWithoutCrashing() throws {
        #expect(try reason("\u{0}") == "invalid date pattern")
        #expect(try reason("2024-10-15" + String(repeating: "T", count: 100_000)) == "invalid hour/minute/second pattern")
        #expect(try reason("2024-10-15T00:00:00" + String(repeating: "9", count: 100_000)) == "invalid millisecond and/or offset pattern")
    }
}

@Suite struct ExtensionDatetimeFormatting {
    private func text(_ milliseconds: Int64) -> String { CedarDatetime(milliseconds: milliseconds).description }

    @Test func midnightPrintsAsADate() throws {
        #expect(text(0) == "1970-01-01")
        #expect(try CedarDatetime(parsing: "2024-10-15T02:00:00+0200").description == "2024-10-15")
    }

    @Test func wholeSecondsPrintWithoutMilliseconds() throws {
        #expect(try CedarDatetime(parsing: "2024-10-15T11:35:00Z").description == "2024-10-15T11:35:00Z")
    }

    @Test func millisecondsPrintWithThreeDigits() {
        #expect(text(7) == "1970-01-01T00:00:00.007Z")
        #expect(text(-1) == "1969-12-31T23:59:59.999Z")
    }

    @Test func instantsJustOutsideYearsZeroToNineThousandUseTheExtremeOffset() throws {
        #expect(try CedarDatetime(parsing: "0000-01-01T00:00:00+2359").description == "0000-01-01T00:00:00+2359")
        #expect(try CedarDatetime(parsing: "9999-12-31T23:59:59.999-2359").description == "9999-12-31T23:59:59.999-2359")
    }

    @Test func instantsBeyondWhatDatetimeDenotesUseASignedExpandedYear() {
        #expect(text(.max) == "+292278994-08-17T07:12:55.807Z")
        #expect(text(.min) == "-292275055-05-16T16:47:04.192Z")
        #expect(text(-62_167_219_200_000 - 86_400_000) == "-0001-12-31")
    }

    @Test func descriptionParsesBackToTheSameInstant() throws {
        for milliseconds: Int64 in [0, 1, -1, 1_730_135_533_456, -62_167_219_200_000, -62_167_219_200_000 - 86_340_000, 253_402_387_139_999] {
            let value = CedarDatetime(milliseconds: milliseconds)
            #expect(try CedarDatetime(parsing: value.description) == value)
        }
    }
}

@Suite struct ExtensionDatetimeMethods {
    private func dt(_ text: String) throws -> Value { try ExtensionTesting.value("datetime", text) }
    private func dur(_ text: String) throws -> Value { try ExtensionTesting.value("duration", text) }
    private func at(_ milliseconds: Int64) -> Value { .ext(.datetime(CedarDatetime(milliseconds: milliseconds))) }
    private func lasting(_ milliseconds: Int64) -> Value { .ext(.duration(CedarDuration(milliseconds: milliseconds))) }

    @Test func offsetAddsADuration() throws {
        #expect(try ExtensionTesting.call("offset", dt("2024-10-28T10:12:13.456-0700"), dur("-7h")) == dt("2024-10-28T10:12:13.456Z"))
        #expect(try ExtensionTesting.call("offset", at(0), dur("1d")) == dt("1970-01-02"))
        #expect(try ExtensionTesting.call("offset", at(0), dur("-1d")) == dt("1969-12-31"))
    }

    @Test func offsetReachesTheEdgesOfTheRange() throws {
        #expect(try ExtensionTesting.call("offset", at(.max), dur("-1ms")) == at(.max - 1))
        #expect(try ExtensionTesting.call("offset", at(.min), dur("1ms")) == at(.min + 1))
    }

    @Test func offsetPastTheMaximumOverflowsWithRustsMessage() throws {
        let error = try #require(ExtensionTesting.callError("offset", at(.max), dur("1ms")))
        #expect(error.code == .extensionError)
        #expect(error.message == "error while evaluating `offset` extension function: overflows when adding an offset: (datetime(\"1970-01-01\")).offset(duration(\"9223372036854775807ms\"))+(1ms)")
    }

    @Test func offsetPastTheMinimumOverflows() throws {
        let error = try #require(ExtensionTesting.callError("offset", at(.min), dur("-1ms")))
        #expect(error.message.hasSuffix("overflows when adding an offset: (datetime(\"1970-01-01\")).offset(duration(\"-9223372036854775808ms\"))+(-1ms)"))
    }

    @Test func offsetRejectsAStringDuration() throws {
        let error = try #require(ExtensionTesting.callError("offset", dt("2024-01-01"), .string("7h")))
        #expect(error.code == .typeError)
        #expect(error.message == "type error: expected duration, got string")
    }

    @Test func offsetRejectsANonDatetimeReceiver() throws {
        let error = try #require(ExtensionTesting.callError("offset", ExtensionTesting.value("ip", "1.2.3.4"), dur("1d")))
        #expect(error.message == "type error: expected datetime, got ipaddr")
    }

    @Test func durationSinceSubtractsDatetimes() throws {
        #expect(try ExtensionTesting.call("durationSince", dt("2024-10-24"), at(0)) == dur("20020d"))
        #expect(try ExtensionTesting.call("durationSince", dt("2024-10-23"), dt("2024-10-24")) == dur("-1d"))
        #expect(try ExtensionTesting.call("durationSince", dt("2024-10-28T10:12:13.456+0700"), dt("2024-10-28T10:12:13.456Z")) == dur("-7h"))
    }

    @Test func durationSinceOverflowsWithRustsMessage() throws {
        let error = try #require(ExtensionTesting.callError("durationSince", dt("2024-10-15"), at(.min)))
        #expect(error.code == .extensionError)
        #expect(error.message == "error while evaluating `durationSince` extension function: overflows when computing the duration between (datetime(\"1970-01-01\")).offset(duration(\"1728950400000ms\")) and (datetime(\"1970-01-01\")).offset(duration(\"-9223372036854775808ms\"))")
    }

    @Test func durationSinceRejectsADuration() throws {
        let error = try #require(ExtensionTesting.callError("durationSince", dt("2024-01-01"), dur("1d")))
        #expect(error.message == "type error: expected datetime, got duration")
    }

    @Test func toDateTruncatesToMidnightUTC() throws {
        #expect(try ExtensionTesting.call("toDate", dt("2024-10-28T10:12:13.456+0700")) == dt("2024-10-28"))
        #expect(try ExtensionTesting.call("toDate", dt("2024-10-28T10:12:13.456-0700")) == dt("2024-10-28"))
        #expect(try ExtensionTesting.call("toDate", dt("1900-01-01T23:59:59.999Z")) == dt("1900-01-01"))
    }

    @Test func toDateRoundsInstantsBeforeTheEpochDown() throws {
        #expect(try ExtensionTesting.call("toDate", dt("1969-12-31T23:59:59.999Z")) == dt("1969-12-31"))
        #expect(try ExtensionTesting.call("toDate", at(-86_400_000)) == at(-86_400_000))
    }

    @Test func toDateOfTheMinimumOverflows() throws {
        let error = try #require(ExtensionTesting.callError("toDate", at(.min)))
        #expect(error.code == .extensionError)
        #expect(error.message == "error while evaluating `toDate` extension function: overflows when computing the date of (datetime(\"1970-01-01\")).offset(duration(\"-9223372036854775808ms\"))")
    }

    @Test func toDateOfTheMaximumSucceeds() throws {
        let date = try ExtensionTesting.call("toDate", at(.max))
        #expect(try ExtensionTesting.call("toTime", date) == lasting(0))
    }

    @Test func toTimeIsTheTimeSinceMidnightUTC() throws {
        #expect(try ExtensionTesting.call("toTime", dt("2024-10-28T10:12:13.456+0700")) == dur("3h12m13s456ms"))
        #expect(try ExtensionTesting.call("toTime", dt("2024-10-28T10:12:13.456-0700")) == dur("17h12m13s456ms"))
        #expect(try ExtensionTesting.call("toTime", dt("2024-01-01")) == dur("0ms"))
    }

    @Test func toTimeIsNeverNegative() throws {
        #expect(try ExtensionTesting.call("toTime", dt("1969-12-31T23:59:59.999Z")) == dur("23h59m59s999ms"))
        #expect(try ExtensionTesting.call("toTime", at(-86_400_000)) == lasting(0))
        #expect(try ExtensionTesting.call("toTime", at(.min)) == lasting(60_424_192))
    }

    @Test func datetimesWrittenWithDifferentOffsetsAreEqual() throws {
        #expect(try dt("2024-10-28T10:12:13.456-0700") == dt("2024-10-28T17:12:13.456Z"))
        #expect(try dt("2024-10-15") == dt("2024-10-15T00:00:00.000+0000"))
    }

    @Test func datetimesOrderByInstant() throws {
        guard case .ext(let earlier) = try dt("2024-10-28T10:12:13.456-0700"),
              case .ext(let later) = try dt("2024-10-28T17:12:13.456-0800")
        else { Issue.record("not extension values"); return }
        #expect(earlier.compare(later) == -1)
    }
}
