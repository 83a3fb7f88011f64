import Testing

@testable import Cedar

@Suite struct JSONReaderAccepts {
    @Test func readsEveryKindOfValue() throws {
        let json = try JSON.parse(#" {"a": [1, -2.5e3, true, false, null, "s"], "b": {}} "#)
        let expected: JSON = ["a": [1, .number(JSONNumber(validatedText: "-2.5e3")), true, false, nil, "s"], "b": [:]]
        #expect(json == expected)
    }

    @Test func objectsKeepDocumentOrder() throws {
        let json = try JSON.parse(#"{"z": 1, "a": 2, "m": 3}"#)
        #expect(try json.asObject().keys == ["z", "a", "m"])
    }

    @Test func numbersKeepTheirText() throws {
        let json = try JSON.parse("[1.50E+3, -0, 0.0]")
        #expect(
            try json.asArray().map { element -> String in
                guard case .number(let n) = element else { return "" }
                return n.text
            } == ["1.50E+3", "-0", "0.0"])
    }

    @Test(arguments: [
        // Each of these is a `y_` case of JSONTestSuite or a close variant.
        "[]", "{}", "[[[]]]", #"{"":0}"#, #"["\u0000"]"#, "[1E22]", "[-0]", "[1e-2]", "[0.5]", " \t\r\n[1] \n",
        #"["\u0061\u30af\u30EA\u30b9"]"#, #"["\ud83d\ude00"]"#, #"["\/"]"#, "[\"\u{7F}\"]", "123", "\"only a string\"",
        "null", #"{"a":{"b":{"c":[]}}}"#,
    ])
    func acceptsValidJSON(text: String) throws {
        _ = try JSON.parse(text)
    }

    @Test func decodesStringEscapes() throws {
        let json = try JSON.parse(#""\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00""#)
        #expect(json == .string("\"\\/\u{8}\u{C}\n\r\t\u{E9}\u{1F600}"))
    }

    @Test func readsUTF8Bytes() throws {
        let json = try JSON.parse(Array("[\"h\u{E9}llo \u{1F600}\"]".utf8))
        #expect(json == ["h\u{E9}llo \u{1F600}"])
    }

    @Test func keysThatDifferOnlyByNormalizationAreDistinct() throws {
        let json = try JSON.parse(#"{"\u00e9": 1, "e\u0301": 2}"#)
        #expect(try json.asObject().count == 2)
    }
}

@Suite struct JSONNumberIntegers {
    @Test func extremesOfTheRangeAreExact() throws {
        #expect(JSONNumber(validatedText: "9223372036854775807").int64 == Int64.max)
        #expect(JSONNumber(validatedText: "-9223372036854775808").int64 == Int64.min)
    }

    @Test(arguments: ["9223372036854775808", "-9223372036854775809", "-0", "1.0", "1e2", "1E0", "0.5"])
    func nonIntegersAndOutOfRangeHaveNoInt64(text: String) {
        #expect(JSONNumber(validatedText: text).int64 == nil)
    }

    @Test func zeroIsAnInteger() {
        #expect(JSONNumber(validatedText: "0").int64 == 0)
    }
}

@Suite struct JSONReaderRejects {
    @Test(arguments: [
        // Each of these is an `n_` case of JSONTestSuite or a close variant.
        "", " ", "[1,]", #"{"a":1,}"#, "[01]", "[-01]", "[-]", "[.5]", "[1.]", "[1e]", "[1e+]", "[+1]", "[NaN]",
        "[Infinity]", "['a']", "{a:1}", "[1] // comment", "/* c */ [1]", "[1] x", "[1]]", #"{"a" 1}"#,
        "[true false]", #"["\x"]"#, #"["\u12"]"#, #"["\u12G4"]"#, "[\"a\tb\"]", "[\"a\nb\"]", "\u{FEFF}[]", "[nul]",
        "[tru]", "[", #"{"a":"#, #"{"a""#, "{", #"["abc"#, "[1 2]", #"{"a":1 "b":2}"#, "[,1]", #"{,}"#, "[\u{00A0}1]",
        "{\"a\":1}}", "[1]\u{0}", "-", "--1", "0x10", "1_000", #"["\"#,
    ])
    func rejectsMalformedText(text: String) {
        #expect(throws: JSONError.self) { try JSON.parse(text) }
    }

    @Test func syntaxErrorsGiveLineAndColumn() {
        let error = #expect(throws: JSONError.self) { try JSON.parse("{\n  \"a\": [1,\n  2,]\n}") }
        #expect(error?.code == .syntax)
        #expect(error?.location?.line == 3)
        #expect(error?.location?.column == 5)
        #expect(error?.message == "expected a value, found `]`")
    }

    @Test func columnsCountUnicodeScalars() {
        let error = #expect(throws: JSONError.self) { try JSON.parse("[\"\u{E9}\u{1F600}\" x]") }
        #expect(error?.location?.column == 7)
    }

    @Test func leadingZerosAreNamed() {
        let error = #expect(throws: JSONError.self) { try JSON.parse("[007]") }
        #expect(error?.message == "numbers may not have leading zeros")
    }

    @Test func duplicateKeysNameTheKeyAndPath() {
        let error = #expect(throws: JSONError.self) { try JSON.parse(#"{"a": {"b": [1, {"c": 1, "c": 2}]}}"#) }
        #expect(error?.code == .duplicateKey)
        #expect(error?.message == "duplicate key `c`")
        #expect(error?.path == "$.a.b[1].c")
        #expect(error?.location?.column == 26)
    }

    @Test func duplicateKeysAreFoundInLargeObjects() {
        let members = (0..<100).map { "\"k\($0)\": \($0)" }.joined(separator: ", ")
        let error = #expect(throws: JSONError.self) { try JSON.parse("{\(members), \"k42\": 0}") }
        #expect(error?.code == .duplicateKey)
        #expect(error?.path == "$.k42")
    }

    @Test func duplicateKeysCompareByScalars() {
        let error = #expect(throws: JSONError.self) { try JSON.parse(#"{"\u00e9": 1, "é": 2}"#) }
        #expect(error?.code == .duplicateKey)
    }

    @Test(arguments: [#"["\ud800"]"#, #"["\udc00"]"#, #"["\ud800\u0041"]"#, #"["\ud800x"]"#, #"["\udbff\udbff"]"#])
    func loneSurrogateEscapesAreInvalid(text: String) {
        let error = #expect(throws: JSONError.self) { try JSON.parse(text) }
        #expect(error?.code == .invalidUTF8)
    }

    @Test(
        arguments: [
            [0x22, 0xFF, 0x22], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xE2, 0x82, 0x22],
            [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], [0x22, 0xE0, 0x80, 0x80, 0x22], [0x22, 0x80, 0x22],
            [0x22, 0xE2, 0x82],
        ] as [[UInt8]])
    func invalidUTF8InStringsIsRejected(bytes: [UInt8]) {
        let error = #expect(throws: JSONError.self) { try JSON.parse(bytes) }
        #expect(error?.code == .invalidUTF8)
    }

    @Test func rawControlCharactersInStringsAreRejected() {
        let error = #expect(throws: JSONError.self) { try JSON.parse([0x22, 0x61, 0x01, 0x22]) }
        #expect(error?.code == .syntax)
        #expect(error?.message == "control character 0x01 must be escaped in a string")
    }
}

@Suite struct JSONReaderLimits {
    private func nested(_ depth: Int) -> String {
        String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
    }

    @Test func defaultDepthIsRustCedars() throws {
        _ = try JSON.parse(nested(127))
        let error = #expect(throws: JSONError.self) { try JSON.parse(nested(128)) }
        #expect(error?.code == .tooDeep)
    }

    @Test func depthLimitIsConfigurable() throws {
        let limits = JSONLimits(maxDepth: 3)
        _ = try JSON.parse(#"{"a": [{}]}"#, limits: limits)
        let error = #expect(throws: JSONError.self) { try JSON.parse(#"{"a": [{"b": []}]}"#, limits: limits) }
        #expect(error?.code == .tooDeep)
        #expect(error?.path == "$.a[0].b")
    }

    @Test func hostileNestingStopsAtTheDefaultLimit() {
        let error = #expect(throws: JSONError.self) { try JSON.parse(String(repeating: "[", count: 1_000_000)) }
        #expect(error?.code == .tooDeep)
    }

    @Test func deepNestingUnderAHighLimitDoesNotUseTheCallStack() throws {
        let json = try JSON.parse(nested(5_000), limits: JSONLimits(maxDepth: 5_000))
        guard case .array(let outer) = json else { Issue.record("expected an array"); return }
        #expect(outer.count == 1)
    }

    @Test func sizeLimitIsConfigurable() {
        let error = #expect(throws: JSONError.self) {
            try JSON.parse("[1, 2, 3, 4, 5]", limits: JSONLimits(maxBytes: 10))
        }
        #expect(error?.code == .tooLarge)
        #expect(error?.message == "input of 15 bytes is larger than the limit of 10 bytes")
    }

    @Test func longStringsAndWideArraysAreRead() throws {
        let long = String(repeating: "ab\\n", count: 100_000)
        let json = try JSON.parse("[\"\(long)\", " + Array(repeating: "1", count: 100_000).joined(separator: ",") + "]")
        #expect(try json.asArray().count == 100_001)
    }
}
