import Testing

@testable import Cedar

/// JSON written piece by piece (`JSONByteWriter`) is the same text as the same value
/// written whole: what the AuthZEN decision response relies on.
@Suite struct JSONByteWriterTests {
    static let hostile = [
        "plain",
        #"a "quoted" word"#,
        #"back\slash and \" both"#,
        "\u{0}\u{1}\u{8}\u{9}\u{A}\u{C}\u{D}\u{1B}\u{1F}",
        "line\u{2028}and paragraph\u{2029}separators",
        "é and e\u{301}, \u{202E}bidi, 🙂",
        "",
    ]

    @Test(arguments: hostile) func aStringIsWrittenAsTheWholeValueWritesIt(_ string: String) {
        var writer = JSONByteWriter()
        writer.writeString(string)
        #expect(writer.output == JSON.string(string).encodedBytes())
    }

    @Test func controlCharactersQuotesAndBackslashesAreEscapedAndSeparatorsKept() {
        var writer = JSONByteWriter()
        writer.writeString("\"\\\u{1}\n\u{1F}\u{2028}")
        #expect(String(decoding: writer.output, as: UTF8.self) == "\"\\\"\\\\\\u0001\\n\\u001f\u{2028}\"")
    }

    @Test func runsBetweenEscapesAndAtBothEndsAreWrittenWhole() {
        var writer = JSONByteWriter()
        writer.writeString("\"ab\\cd\u{0}é\n")
        writer.writeString("xyz")
        #expect(String(decoding: writer.output, as: UTF8.self) == "\"\\\"ab\\\\cd\\u0000é\\n\"\"xyz\"")
    }

    @Test func membersWrittenSortedComeInKeyOrderWhetherOrNotTheyWereStoredSo() {
        let stored: JSON = .object(JSONObject(uniqueMembers: [("b", 1), ("a", 2), ("é", 3), ("e", 4)]))
        let inOrder: JSON = .object(JSONObject(uniqueMembers: [("a", 2), ("b", 1), ("e", 4), ("é", 3)]))
        #expect(String(decoding: stored.encodedBytes(sortingMembers: true), as: UTF8.self) == #"{"a":2,"b":1,"e":4,"é":3}"#)
        #expect(inOrder.encodedBytes(sortingMembers: true) == stored.encodedBytes(sortingMembers: true))
    }

    @Test(arguments: [Int64.min, -1, 0, 7, Int64.max]) func anIntegerIsWrittenAsJSONNumberWritesIt(_ integer: Int64) {
        var writer = JSONByteWriter()
        writer.writeInteger(integer)
        #expect(writer.output == JSON.number(JSONNumber(integer)).encodedBytes())
    }

    @Test func piecesAndWholeValuesMakeOneDocument() {
        var writer = JSONByteWriter(capacity: 8)
        writer.append(#"{"a":"#)
        writer.writeInteger(-3)
        writer.append(#","b":"#)
        writer.write(["c": [true, nil, "d\n"]])
        writer.append("}")
        #expect(String(decoding: writer.output, as: UTF8.self) == #"{"a":-3,"b":{"c":[true,null,"d\n"]}}"#)
    }
}
