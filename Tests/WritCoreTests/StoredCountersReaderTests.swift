import Cedar
import Testing
@testable import WritCore

/// Task counters are read and written on every allow straight from and to their stored
/// bytes, without a JSON tree: the text written is the text a JSON tree of the same
/// members encodes to, and text the byte reader does not take is read by the general
/// JSON reader, so neither changes what is stored or read.
@Suite struct StoredCountersReaderTests {
    /// The counters as a JSON tree with sorted members encodes them: what `storedJSON`
    /// wrote before it was written piece by piece.
    static func treeEncoding(_ counters: TaskCounters) -> [UInt8] {
        func numbers<N: BinaryInteger>(_ members: [String: N]) -> JSON {
            .object(JSONObject(uniqueMembers: members
                .sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
                .map { (key: $0.key, value: .number(JSONNumber(Int64($0.value)))) }))
        }
        return JSON.object(JSONObject(uniqueMembers: [
            ("actions", numbers(counters.actions)),
            ("calls", .number(JSONNumber(Int64(counters.calls)))),
            ("decisions", .number(JSONNumber(Int64(counters.decisions)))),
            ("spend", numbers(counters.spend)),
        ])).encodedBytes()
    }

    static let plain: [TaskCounters] = [
        TaskCounters(),
        TaskCounters(decisions: 1, calls: 1, actions: ["docs___lookup": 1]),
        TaskCounters(decisions: 12, calls: 9, actions: ["mail___send": 4, "docs___read": 5, "é": 1, "🦊": 3]),
        TaskCounters(
            decisions: Int.max, calls: Int.min, actions: ["a": Int.min, "b": Int.max, "c": -1, "d": 0],
            spend: ["pay___send": Int64.max, "pay___refund": Int64.min, "x": -3, "y": 10, "z": 1_000_000_000_000]),
        TaskCounters(decisions: -5, calls: 0, actions: [:], spend: ["only": 7]),
        TaskCounters(decisions: 3, calls: 2, actions: Dictionary(uniqueKeysWithValues: (0..<40).map { ("tool\($0)", $0 - 20) })),
    ]

    static let escaped: [TaskCounters] = [
        TaskCounters(decisions: 1, calls: 1, actions: ["say \"hi\"": 1, "back\\slash": 2, "tab\tnew\nline": 3]),
        TaskCounters(decisions: 1, calls: 0, spend: ["\u{0}\u{1}\u{1f}": 4, "\u{7f}": 5, "/": 6]),
    ]

    @Test(arguments: plain + escaped)
    func countersAreWrittenAsTheirJSONTreeEncodes(_ counters: TaskCounters) {
        #expect(counters.storedJSON == Self.treeEncoding(counters))
    }

    @Test(arguments: plain)
    func countersWrittenAreReadBackWithoutTheGeneralReader(_ counters: TaskCounters) {
        #expect(StoredCountersReader.read(counters.storedJSON) == counters)
    }

    @Test(arguments: escaped)
    func keysWrittenWithEscapesAreReadBackByTheGeneralReader(_ counters: TaskCounters) {
        #expect(StoredCountersReader.read(counters.storedJSON) == nil)
        #expect(TaskCounters(storedJSON: counters.storedJSON) == counters)
    }

    @Test func theWrittenFormIsExact() {
        let counters = TaskCounters(decisions: 7, calls: -2, actions: ["b": 2, "a": 1], spend: ["pay": -9_223_372_036_854_775_808])
        #expect(String(decoding: counters.storedJSON, as: UTF8.self)
            == #"{"actions":{"a":1,"b":2},"calls":-2,"decisions":7,"spend":{"pay":-9223372036854775808}}"#)
    }

    /// Text in other forms: the byte reader leaves it to the general reader, which
    /// reads the counters it holds or finds it is not counters.
    static let otherForms: [(String, TaskCounters?)] = [
        (#"{"decisions":2,"calls":1,"actions":{"a":1},"spend":{}}"#, TaskCounters(decisions: 2, calls: 1, actions: ["a": 1])),
        (#"{ "actions": {}, "calls": 1, "decisions": 1, "spend": {} }"#, TaskCounters(decisions: 1, calls: 1)),
        (#"{"actions":{"b":1,"a":2},"calls":0,"decisions":0,"spend":{}}"#, TaskCounters(actions: ["a": 2, "b": 1])),
        (#"{"actions":{"\u0061":1},"calls":0,"decisions":0,"spend":{}}"#, TaskCounters(actions: ["a": 1])),
        (#"{"actions":{},"calls":0,"decisions":0,"spend":{},"extra":[1,{"x":null}]}"#, TaskCounters()),
        (#"{"actions":{},"calls":0,"decisions":0,"spend":{"p":-0}}"#, nil),
        (#"{"actions":{},"calls":01,"decisions":0,"spend":{}}"#, nil),
        (#"{"actions":{},"calls":1.0,"decisions":0,"spend":{}}"#, nil),
        (#"{"actions":{},"calls":1e2,"decisions":0,"spend":{}}"#, nil),
        (#"{"actions":{},"calls":9223372036854775808,"decisions":0,"spend":{}}"#, nil),
        (#"{"actions":{},"calls":-9223372036854775809,"decisions":0,"spend":{}}"#, nil),
        (#"{"actions":{"a":1,"a":2},"calls":0,"decisions":0,"spend":{}}"#, nil),
        (#"{"actions":{},"calls":0,"calls":0,"decisions":0,"spend":{}}"#, nil),
        (#"{"actions":{"a":"1"},"calls":0,"decisions":0,"spend":{}}"#, nil),
        (#"{"actions":[],"calls":0,"decisions":0,"spend":{}}"#, nil),
        (#"{"actions":{},"calls":null,"decisions":0,"spend":{}}"#, nil),
        (#"{"actions":{},"calls":true,"decisions":0,"spend":{}}"#, nil),
        (#"{"actions":{},"calls":0,"decisions":0}"#, nil),
        (#"{"actions":{},"calls":0,"decisions":0,"spend":{}} "#, TaskCounters()),
        (#"{"actions":{},"calls":0,"decisions":0,"spend":{}}x"#, nil),
        (#"{"actions":{},"calls":0,"decisions":0,"spend":{}}}"#, nil),
        (#"{"actions":{"a":1,},"calls":0,"decisions":0,"spend":{}}"#, nil),
        (#"{"actions":{"a\"#, nil),
        ("{\"actions\":{\"a\u{1}\":1},\"calls\":0,\"decisions\":0,\"spend\":{}}", nil),
        ("[1,2]", nil), ("", nil), ("null", nil), ("{}", nil),
    ]

    @Test(arguments: otherForms)
    func textInAnotherFormIsReadByTheGeneralReader(_ text: String, _ expected: TaskCounters?) {
        #expect(StoredCountersReader.read(Array(text.utf8)) == nil)
        #expect(TaskCounters(storedJSON: Array(text.utf8)) == expected)
    }

    @Test func theLargestAndSmallestCountsAreReadWithoutTheGeneralReader() {
        let text = #"{"actions":{},"calls":-9223372036854775808,"decisions":9223372036854775807,"spend":{}}"#
        #expect(StoredCountersReader.read(Array(text.utf8)) == TaskCounters(decisions: Int.max, calls: Int.min))
    }

    @Test func keysThatAreNotUTF8AreLeftToTheGeneralReader() {
        var bytes = Array(#"{"actions":{"a":1},"calls":0,"decisions":0,"spend":{}}"#.utf8)
        bytes[13] = 0xFF
        #expect(StoredCountersReader.read(bytes) == nil)
        #expect(TaskCounters(storedJSON: bytes) == nil)
    }

    @Test func everyTruncationOfWrittenCountersIsNotCounters() {
        let bytes = Self.plain[3].storedJSON
        for length in 0..<bytes.count {
            #expect(TaskCounters(storedJSON: Array(bytes[..<length])) == nil, "\(length)")
        }
    }

    @Test func deeplyNestedTextIsNotCounters() {
        let text = #"{"actions":{},"calls":0,"decisions":0,"spend":{},"x":"# + String(repeating: "[", count: 100_000)
        #expect(TaskCounters(storedJSON: Array(text.utf8)) == nil)
    }

    @Test func keysEqualOnlyAsUnicodeKeepTheLastCountAsTheGeneralReaderDoes() {
        // "é" precomposed and decomposed: different bytes, one Swift string.
        let text = #"{"actions":{"e\#u{301}":1,"é":2},"calls":0,"decisions":0,"spend":{}}"#
        #expect(StoredCountersReader.read(Array(text.utf8)) == TaskCounters(actions: ["é": 2]))
        #expect(TaskCounters(parsingStoredJSON: Array(text.utf8)) == TaskCounters(actions: ["é": 2]))
    }
}
