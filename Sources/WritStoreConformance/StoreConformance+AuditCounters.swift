import Testing
import WritCore

extension StoreConformance {
    /// `AuditCounterStore.appendAuditRows(_:addingTaskCounters:)`: an answer's audit
    /// records and the counters its allows charge, both or neither.
    static let auditCounters: [StoreConformanceCase] = [
        .init("audit with counters: the rows are appended and the counters and labels added together") { store async throws in
            try await insertTree(store)
            let rows = AuditFixtures.chain(2)
            let written = try await store.appendAuditRows(
                rows, addingTaskCounters: [TaskCounterIncrement(taskID: "a", counters: Fixtures.usage("mail"), labels: ["pii"])])
            #expect(written)
            #expect(Exact.text(try await store.auditRows(from: 1, limit: 10)) == Exact.text(rows))
            #expect(try await store.task(id: "a")?.counters == Fixtures.usage("mail"))
            #expect(try await store.task(id: "a")?.labels == ["pii"])
        },
        .init("audit with counters: a closed or unknown task writes neither the rows nor any counter") { store async throws in
            try await insertTree(store)
            _ = try await store.closeTaskSubtree(id: "b", at: Fixtures.date(9))
            for refused in ["b", "nope"] {
                let written = try await store.appendAuditRows(
                    AuditFixtures.chain(1),
                    addingTaskCounters: [
                        TaskCounterIncrement(taskID: "a", counters: Fixtures.usage("pay")),
                        TaskCounterIncrement(taskID: refused, counters: Fixtures.usage("pay")),
                    ])
                #expect(written == false)
            }
            #expect(try await store.auditHead() == .empty)
            #expect(try await store.task(id: "a")?.counters == TaskCounters())
        },
        .init("audit with counters: rows that do not follow the head are a conflict and add no counter") { store async throws in
            try await insertTree(store)
            let rows = AuditFixtures.chain(3)
            try await store.appendAuditRows([rows[0]])
            let error = await #expect(throws: WritError.self) {
                try await store.appendAuditRows(
                    [rows[2]], addingTaskCounters: [TaskCounterIncrement(taskID: "a", counters: Fixtures.usage("pay"))])
            }
            #expect(error?.code == .conflict)
            #expect(try await store.auditHead().sequence == 1)
            #expect(try await store.task(id: "a")?.counters == TaskCounters())
        },
        .init("audit with counters: a sum that would overflow is a conflict and appends no row") { store async throws in
            try await insertTree(store)
            #expect(try await store.addTaskCounters([
                TaskCounterIncrement(taskID: "a", counters: Fixtures.usage("pay", spend: Int64.max))
            ]))
            let error = await #expect(throws: WritError.self) {
                try await store.appendAuditRows(
                    AuditFixtures.chain(1),
                    addingTaskCounters: [TaskCounterIncrement(taskID: "a", counters: Fixtures.usage("pay", spend: 1))])
            }
            #expect(error?.code == .conflict)
            #expect(try await store.auditHead() == .empty)
            #expect(try await store.task(id: "a")?.counters == Fixtures.usage("pay", spend: Int64.max))
        },
    ]
}
