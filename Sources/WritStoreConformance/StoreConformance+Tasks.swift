import Foundation
import Testing
import WritCore

extension StoreConformance {
    static let tasks: [StoreConformanceCase] = [
        .init("tasks: an empty store has none") { store async throws in
            #expect(try await store.task(id: "t1") == nil)
            #expect(try await store.tasks(matching: TaskFilter(now: Fixtures.date(0))) == [])
        },
        .init("tasks: inserted tasks read back exactly, every field") { store async throws in
            var full = Fixtures.task("t1", openedAt: 1)
            full.purpose = Fixtures.awkwardText
            full.agent = "agent \u{E9}"
            full.onBehalfOf = "cafe\u{301}"
            full.openedBy = Fixtures.awkwardText
            full.mandate = [
                SourceFile(name: "a.cedar", text: Fixtures.awkwardText), SourceFile(name: "b.cedar.json", text: "{}"),
            ]
            full.budgets = TaskBudgets(
                maxDecisions: 10, maxCalls: ["mail___send": 3, "x": 0],
                spend: ["pay___refund": SpendCeiling(argument: "amount", ceiling: Int64.max)])
            full.counters = TaskCounters(decisions: 4, calls: 2, actions: ["mail___send": 2], spend: ["pay___refund": -7])
            full.labels = ["pii", "untrusted", "caf\u{E9}", "cafe\u{301}"]
            full.closedAt = Fixtures.date(99)
            let child = Fixtures.task("t2", parent: "t3", depth: 1, openedAt: 2)
            let minimal = TaskRecord(
                id: "t3", agent: "", onBehalfOf: "", purpose: "", mandate: [], openedAt: Date(timeIntervalSinceReferenceDate: 0),
                expiresAt: Date(timeIntervalSinceReferenceDate: 0.5), openedBy: "")
            for task in [full, minimal, child] { try await store.insertTask(task) }
            for task in [full, minimal, child] {
                #expect(Exact.text(try await store.task(id: task.id) as Any) == Exact.text(task))
            }
        },
        .init("tasks: inserting an existing id is a conflict and keeps the first task") { store async throws in
            let first = Fixtures.task("t1", openedAt: 1)
            try await store.insertTask(first)
            let error = await #expect(throws: WritError.self) {
                try await store.insertTask(Fixtures.task("t1", openedAt: 2, agent: "other"))
            }
            #expect(error?.code == .conflict)
            #expect(Exact.text(try await store.tasks(matching: TaskFilter(now: Fixtures.date(0)))) == Exact.text([first]))
        },
        .init("tasks: a task whose parent is unknown, or itself, is not found and not stored") { store async throws in
            let orphan = await #expect(throws: WritError.self) {
                try await store.insertTask(Fixtures.task("t2", parent: "t1", depth: 1))
            }
            #expect(orphan?.code == .notFound)
            let own = await #expect(throws: WritError.self) {
                try await store.insertTask(Fixtures.task("t3", parent: "t3", depth: 1))
            }
            #expect(own?.code == .notFound)
            #expect(try await store.tasks(matching: TaskFilter(now: Fixtures.date(0))) == [])
        },
        .init("tasks: a task whose parent is closed is a conflict and not stored") { store async throws in
            try await store.insertTask(Fixtures.task("root"))
            #expect(try await store.closeTaskSubtree(id: "root", at: Fixtures.date(5)) == ["root"])
            let error = await #expect(throws: WritError.self) {
                try await store.insertTask(Fixtures.task("child", parent: "root", depth: 1))
            }
            #expect(error?.code == .conflict)
            #expect(try await store.task(id: "child") == nil)
        },
        .init("tasks: ids differing only by normalisation are distinct tasks") { store async throws in
            try await store.insertTask(Fixtures.task("caf\u{E9}", agent: "a"))
            try await store.insertTask(Fixtures.task("cafe\u{301}", agent: "b"))
            #expect(try await store.task(id: "caf\u{E9}")?.agent == "a")
            #expect(try await store.task(id: "cafe\u{301}")?.agent == "b")
            #expect(try await store.closeTaskSubtree(id: "cafe\u{301}", at: Fixtures.date(1)) == ["cafe\u{301}"])
            #expect(try await store.task(id: "caf\u{E9}")?.closedAt == nil)
        },
        .init("tasks: listing filters by agent, user and state, oldest first, then by id") { store async throws in
            try await store.insertTask(Fixtures.task("b-late", openedAt: 30, agent: "bot", user: "alice"))
            try await store.insertTask(Fixtures.task("a-open", openedAt: 10, agent: "bot", user: "alice"))
            try await store.insertTask(Fixtures.task("tie-b", openedAt: 20, agent: "bot", user: "bob"))
            try await store.insertTask(Fixtures.task("tie-a", openedAt: 20, agent: "other", user: "bob"))
            try await store.insertTask(Fixtures.task("short", openedAt: 0, expiresAfter: 5, agent: "bot", user: "bob"))
            _ = try await store.closeTaskSubtree(id: "tie-b", at: Fixtures.date(40))
            let now = Fixtures.date(40)
            func ids(_ filter: TaskFilter) async throws -> [String] { try await store.tasks(matching: filter).map(\.id) }
            #expect(try await ids(TaskFilter(now: now)) == ["short", "a-open", "tie-a", "tie-b", "b-late"])
            #expect(try await ids(TaskFilter(agent: "bot", now: now)) == ["short", "a-open", "tie-b", "b-late"])
            #expect(try await ids(TaskFilter(onBehalfOf: "bob", now: now)) == ["short", "tie-a", "tie-b"])
            #expect(try await ids(TaskFilter(state: .open, now: now)) == ["a-open", "tie-a", "b-late"])
            #expect(try await ids(TaskFilter(state: .closed, now: now)) == ["tie-b"])
            #expect(try await ids(TaskFilter(state: .expired, now: now)) == ["short"])
            #expect(try await ids(TaskFilter(agent: "bot", onBehalfOf: "bob", state: .open, now: now)) == [])
            #expect(try await ids(TaskFilter(now: now, limit: 2)) == ["short", "a-open"])
            #expect(try await ids(TaskFilter(now: now, limit: 0)) == [])
            #expect(try await ids(TaskFilter(agent: "BOT", now: now)) == [])
        },
        .init("tasks: a task is expired exactly from its expiry on") { store async throws in
            try await store.insertTask(Fixtures.task("t1", openedAt: 0, expiresAfter: 10))
            let before = TaskFilter(state: .open, now: Fixtures.date(10).addingTimeInterval(-0.001))
            let at = TaskFilter(state: .expired, now: Fixtures.date(10))
            #expect(try await store.tasks(matching: before).map(\.id) == ["t1"])
            #expect(try await store.tasks(matching: at).map(\.id) == ["t1"])
        },
    ]
}
