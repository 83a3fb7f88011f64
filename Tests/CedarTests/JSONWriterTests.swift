import Testing

@testable import Cedar

@Suite struct JSONWriter {
    private let sample: JSON = ["b": [1, true, nil, "x"], "a": [:], "c": [], "d": ["e": "f"]]

    @Test func compactOutputHasNoWhitespaceAndKeepsMemberOrder() {
        #expect(sample.encoded() == #"{"b":[1,true,null,"x"],"a":{},"c":[],"d":{"e":"f"}}"#)
    }

    @Test func prettyOutputIndentsByTwoSpacesLikeRustCedar() {
        let expected = """
            {
              "b": [
                1,
                true,
                null,
                "x"
              ],
              "a": {},
              "c": [],
              "d": {
                "e": "f"
              }
            }
            """
        #expect(sample.encoded(pretty: true) == expected)
    }

    @Test func stringsEscapeQuotesBackslashesAndControlCharacters() {
        let json = JSON.string("q\"b\\s/\u{8}\u{C}\n\r\t\u{0}\u{1F}\u{7F}\u{E9}\u{1F600}")
        #expect(json.encoded() == "\"q\\\"b\\\\s/\\b\\f\\n\\r\\t\\u0000\\u001f\u{7F}\u{E9}\u{1F600}\"")
    }

    @Test func numbersAreWrittenAsRead() throws {
        #expect(try JSON.parse("[1.50E+3,-0,9223372036854775808]").encoded() == "[1.50E+3,-0,9223372036854775808]")
    }

    @Test func writtenTextReadsBackAsTheSameValue() throws {
        let value: JSON = ["s": "\u{0}\u{1}\"\\\u{2028}e\u{301}", "n": [-9223372036854775808, 0], "o": ["": nil]]
        #expect(try JSON.parse(value.encoded()) == value)
        #expect(try JSON.parse(value.encoded(pretty: true)) == value)
    }

    @Test func objectEqualityIgnoresMemberOrderButNotValues() {
        #expect(JSON(dictionaryLiteral: ("a", 1), ("b", 2)) == JSON(dictionaryLiteral: ("b", 2), ("a", 1)))
        #expect(JSON(dictionaryLiteral: ("a", 1)) != JSON(dictionaryLiteral: ("a", 2)))
        #expect(JSON.string("\u{E9}") != JSON.string("e\u{301}"))
    }
}

@Suite struct JSONErrorDescription {
    @Test func pathsQuoteKeysThatAreNotIdentifiers() {
        let error = JSONError(
            .invalidValue, "bad", path: [.key("a"), .index(2), .key("two words"), .key("9x"), .key("_ok")])
        #expect(error.path == #"$.a[2]["two words"]["9x"]._ok"#)
    }

    @Test func descriptionGivesWhereThenWhat() {
        #expect(
            JSONError(.missingKey, "missing required key `id`", path: [.key("uid")]).description
                == "at $.uid: missing required key `id`")
        let syntax = JSONError(
            .syntax, "unterminated string", location: SourceLocation(line: 2, column: 3, offset: 9), path: nil)
        #expect(syntax.description == "2:3: unterminated string")
    }
}
