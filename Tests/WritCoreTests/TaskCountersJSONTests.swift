import Foundation
import Testing
@testable import WritCore

/// Task counters are stored as JSON that Writ writes and reads itself; stores written
/// before that (with Foundation's coders) must read the same.
@Suite struct TaskCountersJSONTests {
    static let counters = TaskCounters(
        decisions: 12, calls: 9, actions: ["mail___send": 4, "docs___read": 5, "é\"quoted\"": 1],
        spend: ["pay___send": 9_223_372_036_854_775_807, "pay___refund": -3])

    @Test func countersAreWrittenWithTheirMembersInKeyOrder() {
        let text = String(decoding: TaskCounters(decisions: 2, calls: 1, actions: ["b": 1, "a": 1]).storedJSON, as: UTF8.self)
        #expect(text == #"{"actions":{"a":1,"b":1},"calls":1,"decisions":2,"spend":{}}"#)
    }

    @Test func countersReadBackAsWritten() {
        #expect(TaskCounters(storedJSON: Self.counters.storedJSON) == Self.counters)
    }

    @Test func countersFoundationWroteAreRead() throws {
        let written = try JSONEncoder().encode(Self.counters)
        #expect(TaskCounters(storedJSON: Array(written)) == Self.counters)
    }

    @Test func countersWrittenAreReadByFoundation() throws {
        #expect(try JSONDecoder().decode(TaskCounters.self, from: Data(Self.counters.storedJSON)) == Self.counters)
    }

    @Test(arguments: [
        #"{"calls":1,"decisions":1,"actions":{}}"#,
        #"{"calls":1.5,"decisions":1,"actions":{},"spend":{}}"#,
        #"{"calls":1,"decisions":1,"actions":{"a":"1"},"spend":{}}"#,
        #"{"calls":1,"decisions":99999999999999999999,"actions":{},"spend":{}}"#,
        #"[1,2]"#, "", #"{"calls":1,"calls":2,"decisions":1,"actions":{},"spend":{}}"#,
    ])
    func textThatIsNotCountersIsNotRead(_ text: String) {
        #expect(TaskCounters(storedJSON: Array(text.utf8)) == nil)
    }
}
