import Foundation
import Testing
import WritCore

extension StoreConformance {
    /// A chain root ← a ← a1 ← a11, with a2 under a, and an unrelated task.
    private static func insertLabelledTree(_ store: any WritStore) async throws {
        try await store.insertTask(Fixtures.task("root", openedAt: 0))
        try await store.insertTask(Fixtures.task("a", parent: "root", depth: 1, openedAt: 1))
        try await store.insertTask(Fixtures.task("a1", parent: "a", depth: 2, openedAt: 2))
        try await store.insertTask(Fixtures.task("a11", parent: "a1", depth: 3, openedAt: 3))
        try await store.insertTask(Fixtures.task("a2", parent: "a", depth: 2, openedAt: 4))
        try await store.insertTask(Fixtures.task("other", openedAt: 5))
    }

    private static func labels(_ store: any WritStore) async throws -> [String: Set<String>] {
        let all = try await store.tasks(matching: TaskFilter(now: Fixtures.date(0)))
        return Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0.labels) })
    }

    static let taskLabels: [StoreConformanceCase] = [
        .init("task labels: adding grows the task's labels, never removes one, and returns them all") { store async throws in
            try await insertLabelledTree(store)
            #expect(try await store.addTaskLabels(["pii", "untrusted"], to: "a") == ["pii", "untrusted"])
            #expect(try await store.addTaskLabels(["secret", "pii"], to: "a") == ["pii", "secret", "untrusted"])
            #expect(try await store.addTaskLabels([], to: "a") == ["pii", "secret", "untrusted"])
            let all = try await labels(store)
            #expect(all == ["root": [], "a": ["pii", "secret", "untrusted"], "a1": [], "a11": [], "a2": [], "other": []])
        },
        .init("task labels: an unknown task is not found, a closed task a conflict, and nothing changes") { store async throws in
            try await insertLabelledTree(store)
            _ = try await store.closeTaskSubtree(id: "other", at: Fixtures.date(9))
            let unknown = await #expect(throws: WritError.self) { try await store.addTaskLabels(["pii"], to: "A") }
            #expect(unknown?.code == .notFound)
            let closed = await #expect(throws: WritError.self) { try await store.addTaskLabels(["pii"], to: "other") }
            #expect(closed?.code == .conflict)
            #expect(try await labels(store).values.allSatisfy(\.isEmpty))
        },
        .init("task labels: concurrent adds to one task all land") { store async throws in
            try await insertLabelledTree(store)
            let added = (0..<40).map { "label-\($0)" }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for label in added {
                    group.addTask { _ = try await store.addTaskLabels([label, "shared"], to: "a1") }
                    group.addTask {
                        let added = try await store.addTaskCounters([
                            TaskCounterIncrement(taskID: "a1", counters: Fixtures.usage("read"), labels: ["\(label)-read"])
                        ])
                        #expect(added)
                    }
                }
                try await group.waitForAll()
            }
            let expected = Set(added + added.map { "\($0)-read" } + ["shared"])
            #expect(try await store.task(id: "a1")?.labels == expected)
            #expect(try await store.task(id: "a1")?.counters.decisions == 40)
        },
        .init("task labels: counter increments add their labels to their own task only") { store async throws in
            try await insertLabelledTree(store)
            #expect(try await store.addTaskCounters([
                TaskCounterIncrement(taskID: "a1", counters: Fixtures.usage("read"), labels: ["pii"]),
                TaskCounterIncrement(taskID: "a", counters: Fixtures.usage("read")),
                TaskCounterIncrement(taskID: "a1", counters: Fixtures.usage("read"), labels: ["secret"]),
            ]))
            #expect(try await labels(store) == ["root": [], "a": [], "a1": ["pii", "secret"], "a11": [], "a2": [], "other": []])
            _ = try await store.closeTaskSubtree(id: "a2", at: Fixtures.date(9))
            #expect(try await store.addTaskCounters([
                TaskCounterIncrement(taskID: "a1", counters: Fixtures.usage("read"), labels: ["x"]),
                TaskCounterIncrement(taskID: "a2", counters: Fixtures.usage("read"), labels: ["y"]),
            ]) == false)
            #expect(try await store.task(id: "a1")?.labels == ["pii", "secret"])
        },
        .init("task labels: closing passes each closed task's labels to its parent and the closed task's to every task above") { store async throws in
            try await insertLabelledTree(store)
            _ = try await store.addTaskLabels(["deep"], to: "a11")
            _ = try await store.addTaskLabels(["mid"], to: "a1")
            _ = try await store.addTaskLabels(["side"], to: "a2")
            #expect(try await store.closeTaskSubtree(id: "a1", at: Fixtures.date(9)) == ["a1", "a11"])
            #expect(try await labels(store) == [
                "root": ["deep", "mid"], "a": ["deep", "mid"], "a1": ["deep", "mid"], "a11": ["deep"], "a2": ["side"],
                "other": [],
            ])
            #expect(try await store.closeTaskSubtree(id: "a", at: Fixtures.date(10)) == ["a", "a2"])
            #expect(try await store.task(id: "root")?.labels == ["deep", "mid", "side"])
            #expect(try await store.task(id: "other")?.labels == [])
            #expect(try await store.closeTaskSubtree(id: "a", at: Fixtures.date(11)) == [])
            #expect(try await store.task(id: "root")?.labels == ["deep", "mid", "side"])
        },
        .init("durable: labels survive reopening", requires: .durable) { store, harness in
            try await insertLabelledTree(store)
            _ = try await store.addTaskLabels(["pii"], to: "a1")
            #expect(try await store.addTaskCounters([TaskCounterIncrement(taskID: "a", counters: Fixtures.usage("read"), labels: ["untrusted"])]))
            _ = try await store.closeTaskSubtree(id: "a1", at: Fixtures.date(9))
            let reopened = try await harness.openStore()
            #expect(try await labels(reopened) == [
                "root": ["pii"], "a": ["pii", "untrusted"], "a1": ["pii"], "a11": [], "a2": [], "other": [],
            ])
        },
    ]
}
