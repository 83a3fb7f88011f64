import Foundation
import Testing
import WritCore

extension StoreConformance {
    /// A tree: root ← a ← a1, a2; root ← b; and an unrelated task.
    static func insertTree(_ store: any WritStore) async throws {
        try await store.insertTask(Fixtures.task("root", openedAt: 0))
        try await store.insertTask(Fixtures.task("b", parent: "root", depth: 1, openedAt: 2))
        try await store.insertTask(Fixtures.task("a", parent: "root", depth: 1, openedAt: 2))
        try await store.insertTask(Fixtures.task("a2", parent: "a", depth: 2, openedAt: 3))
        try await store.insertTask(Fixtures.task("a1", parent: "a", depth: 2, openedAt: 4))
        try await store.insertTask(Fixtures.task("other", openedAt: 1))
    }

    static let taskClosing: [StoreConformanceCase] = [
        .init("task closing: closes the task and its open descendants, the task first, then by depth, opening, id") { store async throws in
            try await insertTree(store)
            #expect(try await store.closeTaskSubtree(id: "a", at: Fixtures.date(50)) == ["a", "a2", "a1"])
            #expect(try await store.closeTaskSubtree(id: "root", at: Fixtures.date(60)) == ["root", "b"])
            let closed = try await store.tasks(matching: TaskFilter(now: Fixtures.date(0)))
            let dates = Dictionary(uniqueKeysWithValues: closed.map { ($0.id, $0.closedAt) })
            #expect(dates == [
                "root": Fixtures.date(60), "a": Fixtures.date(50), "a1": Fixtures.date(50), "a2": Fixtures.date(50),
                "b": Fixtures.date(60), "other": nil,
            ])
        },
        .init("task closing: closing a closed task returns none and keeps the first date") { store async throws in
            try await insertTree(store)
            #expect(try await store.closeTaskSubtree(id: "root", at: Fixtures.date(50)) == ["root", "a", "b", "a2", "a1"])
            #expect(try await store.closeTaskSubtree(id: "root", at: Fixtures.date(70)) == [])
            #expect(try await store.closeTaskSubtree(id: "a1", at: Fixtures.date(70)) == [])
            #expect(try await store.task(id: "a1")?.closedAt == Fixtures.date(50))
        },
        .init("task closing: an unknown task is not found and nothing changes") { store async throws in
            try await insertTree(store)
            let error = await #expect(throws: WritError.self) {
                try await store.closeTaskSubtree(id: "ROOT", at: Fixtures.date(50))
            }
            #expect(error?.code == .notFound)
            #expect(try await store.tasks(matching: TaskFilter(state: .closed, now: Fixtures.date(0))) == [])
        },
        .init("task counters: increments add to each named task, the same task twice adding twice") { store async throws in
            try await insertTree(store)
            let added = try await store.addTaskCounters([
                TaskCounterIncrement(taskID: "a1", counters: Fixtures.usage("pay", spend: 30)),
                TaskCounterIncrement(taskID: "a", counters: Fixtures.usage("pay", spend: 30)),
                TaskCounterIncrement(taskID: "a", counters: Fixtures.usage("mail")),
            ])
            #expect(added)
            #expect(try await store.task(id: "a1")?.counters == Fixtures.usage("pay", spend: 30))
            #expect(try await store.task(id: "a")?.counters == TaskCounters(
                decisions: 2, calls: 2, actions: ["pay": 1, "mail": 1], spend: ["pay": 30]))
            #expect(try await store.task(id: "root")?.counters == TaskCounters())
        },
        .init("task counters: a closed or unknown task makes the whole increment false and changes nothing") { store async throws in
            try await insertTree(store)
            _ = try await store.closeTaskSubtree(id: "b", at: Fixtures.date(9))
            for missing in ["b", "nope"] {
                let added = try await store.addTaskCounters([
                    TaskCounterIncrement(taskID: "a", counters: Fixtures.usage("pay")),
                    TaskCounterIncrement(taskID: missing, counters: Fixtures.usage("pay")),
                ])
                #expect(added == false)
            }
            #expect(try await store.task(id: "a")?.counters == TaskCounters())
            #expect(try await store.task(id: "b")?.counters == TaskCounters())
        },
        .init("task counters: a sum that would overflow is a conflict and changes nothing") { store async throws in
            try await insertTree(store)
            #expect(try await store.addTaskCounters([
                TaskCounterIncrement(taskID: "a", counters: Fixtures.usage("pay", spend: Int64.max))
            ]))
            let error = await #expect(throws: WritError.self) {
                try await store.addTaskCounters([
                    TaskCounterIncrement(taskID: "b", counters: Fixtures.usage("pay", spend: 1)),
                    TaskCounterIncrement(taskID: "a", counters: Fixtures.usage("pay", spend: 1)),
                ])
            }
            #expect(error?.code == .conflict)
            #expect(try await store.task(id: "a")?.counters == Fixtures.usage("pay", spend: Int64.max))
            #expect(try await store.task(id: "b")?.counters == TaskCounters())
        },
        .init("durable: tasks, closings and counters survive reopening", requires: .durable) { store, harness in
            try await insertTree(store)
            #expect(try await store.addTaskCounters([TaskCounterIncrement(taskID: "a1", counters: Fixtures.usage("pay", spend: 5))]))
            _ = try await store.closeTaskSubtree(id: "b", at: Fixtures.date(9))
            let before = try await store.tasks(matching: TaskFilter(now: Fixtures.date(0)))
            let reopened = try await harness.openStore()
            #expect(Exact.text(try await reopened.tasks(matching: TaskFilter(now: Fixtures.date(0)))) == Exact.text(before))
            #expect(try await reopened.task(id: "a1")?.counters == Fixtures.usage("pay", spend: 5))
            let error = await #expect(throws: WritError.self) {
                try await reopened.insertTask(Fixtures.task("c", parent: "b", depth: 2))
            }
            #expect(error?.code == .conflict)
        },
    ]
}
