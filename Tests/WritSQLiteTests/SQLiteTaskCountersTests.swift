import Foundation
import GRDB
import Testing
import WritCore
import WritSQLite

/// A task's counters and labels and an answer's audit records as
/// `appendAuditRows(_:addingTaskCounters:)` and `addTaskCounters` leave them in the
/// file: the exact values stored, and stored counters or labels that cannot be read
/// refused as `.corruptState` with nothing changed.
@Suite struct SQLiteTaskCountersTests {
    /// An open store holding the open task `t`; its path.
    private static func store(in directory: TestDirectory) async throws -> SQLiteStore {
        let store = try SQLiteStore(directory: directory.path)
        try await store.insertTask(TaskRecord(
            id: "t", agent: "bot", onBehalfOf: "alice", purpose: "answer",
            mandate: [SourceFile(name: "mandate.cedar", text: "permit(principal, action, resource);\n")],
            openedAt: Date(timeIntervalSinceReferenceDate: 0), expiresAt: Date(timeIntervalSinceReferenceDate: 3_600),
            openedBy: "cli"))
        return store
    }

    /// `body` given a store of its own holding the open task `t`.
    private static func withStore(_ body: (SQLiteStore) async throws -> Void) async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try await Self.store(in: directory)
        defer { try? store.close() }
        try await body(store)
    }

    /// `column` of task `t` as stored, read through a connection of its own.
    private static func stored(_ column: String, _ store: SQLiteStore) throws -> String {
        let queue = try DatabaseQueue(path: store.path)
        defer { try? queue.close() }
        let data = try queue.read { db in try Data.fetchOne(db, sql: "SELECT \(column) FROM task WHERE id = x'74'") }
        return String(decoding: data ?? Data(), as: UTF8.self)
    }

    /// Stores `bytes` as `column` of task `t`, behind the store's back.
    private static func damage(_ column: String, _ bytes: [UInt8], _ store: SQLiteStore) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        let queue = try DatabaseQueue(path: store.path, configuration: configuration)
        defer { try? queue.close() }
        try queue.write { db in
            try db.execute(sql: "UPDATE task SET \(column) = ? WHERE id = x'74'", arguments: [Data(bytes)])
        }
    }

    private static func usage(_ action: String, spend: Int64? = nil) -> TaskCounters {
        TaskCounters(decisions: 1, calls: 1, actions: [action: 1], spend: spend.map { [action: $0] } ?? [:])
    }

    @Test func countersAddedAreStoredAsTheirExactText() async throws {
        try await Self.withStore { (store: SQLiteStore) async throws in
            #expect(try await store.addTaskCounters([TaskCounterIncrement(taskID: "t", counters: Self.usage("pay", spend: -7))]))
            #expect(try await store.appendAuditRows(
                [], addingTaskCounters: [
                    TaskCounterIncrement(taskID: "t", counters: Self.usage("docs___lookup")),
                    TaskCounterIncrement(taskID: "t", counters: Self.usage("pay", spend: 10)),
                ]))
            #expect(try Self.stored("counters", store)
                == #"{"actions":{"docs___lookup":1,"pay":2},"calls":3,"decisions":3,"spend":{"pay":3}}"#)
        }
    }

    @Test func countersStoredInAnotherFormAreReadAndRewrittenInTheStoredForm() async throws {
        try await Self.withStore { (store: SQLiteStore) async throws in
            try Self.damage("counters", Array(#"{ "decisions": 1, "calls": 1, "spend": {}, "actions": {"b": 1, "a": 1} }"#.utf8), store)
            #expect(try await store.addTaskCounters([TaskCounterIncrement(taskID: "t", counters: Self.usage("a"))]))
            #expect(try Self.stored("counters", store) == #"{"actions":{"a":2,"b":1},"calls":2,"decisions":2,"spend":{}}"#)
        }
    }

    @Test func anIncrementAddingNoNewLabelLeavesTheLabelsTextAsStored() async throws {
        try await Self.withStore { (store: SQLiteStore) async throws in
            try Self.damage("labels", Array(#"[ "pii" ]"#.utf8), store)
            #expect(try await store.addTaskCounters([
                TaskCounterIncrement(taskID: "t", counters: Self.usage("a"), labels: ["pii"]),
                TaskCounterIncrement(taskID: "t", counters: Self.usage("a")),
            ]))
            #expect(try Self.stored("labels", store) == #"[ "pii" ]"#)
            #expect(try Self.stored("counters", store) == #"{"actions":{"a":2},"calls":2,"decisions":2,"spend":{}}"#)
        }
    }

    @Test func anIncrementAddingANewLabelStoresAllTheLabelsInByteOrder() async throws {
        try await Self.withStore { (store: SQLiteStore) async throws in
            try Self.damage("labels", Array(#"[ "pii" ]"#.utf8), store)
            #expect(try await store.addTaskCounters([
                TaskCounterIncrement(taskID: "t", counters: Self.usage("a"), labels: ["untrusted"]),
                TaskCounterIncrement(taskID: "t", counters: Self.usage("a"), labels: ["b"]),
            ]))
            #expect(try Self.stored("labels", store) == #"["b","pii","untrusted"]"#)
        }
    }

    static let unreadableCounters: [(String, [UInt8])] = [
        ("truncated", Array(#"{"actions":{"a":1},"calls":1,"decis"#.utf8)),
        ("a string count", Array(#"{"actions":{"a":"1"},"calls":1,"decisions":1,"spend":{}}"#.utf8)),
        ("an array of actions", Array(#"{"actions":[],"calls":1,"decisions":1,"spend":{}}"#.utf8)),
        ("a duplicate member", Array(#"{"actions":{},"calls":1,"calls":2,"decisions":1,"spend":{}}"#.utf8)),
        ("a duplicate action", Array(#"{"actions":{"a":1,"a":1},"calls":1,"decisions":1,"spend":{}}"#.utf8)),
        ("a count past Int64", Array(#"{"actions":{},"calls":9223372036854775808,"decisions":1,"spend":{}}"#.utf8)),
        ("a fraction", Array(#"{"actions":{},"calls":1.5,"decisions":1,"spend":{}}"#.utf8)),
        ("a missing member", Array(#"{"actions":{},"calls":1,"decisions":1}"#.utf8)),
        ("deep nesting", Array((#"{"actions":{},"calls":1,"decisions":1,"spend":{},"x":"# + String(repeating: "[", count: 10_000)).utf8)),
        ("empty", []),
    ]

    @Test(arguments: unreadableCounters)
    func storedCountersThatAreNotCountersAreCorruptStateAndChangeNothing(_ kind: String, _ bytes: [UInt8]) async throws {
        try await Self.withStore { (store: SQLiteStore) async throws in
            try Self.damage("counters", bytes, store)
            let error = await #expect(throws: WritError.self) {
                try await store.appendAuditRows(
                    [SQLiteAuditRowStorageTests.full], addingTaskCounters: [TaskCounterIncrement(taskID: "t", counters: Self.usage("a"))])
            }
            #expect(error == WritError(
                .corruptState, "the counters of task `t` in `\(store.path)` cannot be read: not the counters' JSON"), "\(kind)")
            #expect(try await store.auditHead() == .empty)
            #expect(try Self.stored("counters", store) == String(decoding: bytes, as: UTF8.self))
        }
    }

    @Test func storedCountersThatAreNotUTF8AreCorruptState() async throws {
        try await Self.withStore { (store: SQLiteStore) async throws in
            try Self.damage("counters", [0x7B, 0xFF, 0x7D], store)
            let error = await #expect(throws: WritError.self) {
                try await store.addTaskCounters([TaskCounterIncrement(taskID: "t", counters: Self.usage("a"))])
            }
            #expect(error == WritError(.corruptState, "task `t` in `\(store.path)` has a `counters` that is not UTF-8"))
        }
    }

    @Test(arguments: [
        (#"{"pii":true}"#, "not a JSON array"), (#"["pii""#, "not a JSON array"), (#"["pii",1]"#, "a label is not a string"),
    ])
    func storedLabelsThatAreNotLabelsAreCorruptStateEvenWhenNoLabelIsAdded(_ text: String, _ reason: String) async throws {
        try await Self.withStore { (store: SQLiteStore) async throws in
            try Self.damage("labels", Array(text.utf8), store)
            let error = await #expect(throws: WritError.self) {
                try await store.addTaskCounters([TaskCounterIncrement(taskID: "t", counters: Self.usage("a"))])
            }
            #expect(error == WritError(.corruptState, "the labels of task `t` in `\(store.path)` cannot be read: \(reason)"))
            #expect(try Self.stored("counters", store) == #"{"actions":{},"calls":0,"decisions":0,"spend":{}}"#)
        }
    }
}
