import Cedar
import Foundation
import Testing
import WritCore

/// Labels: learned from the inventory with an allow, reported by the enforcing point,
/// inherited from the tasks above, passed up when a task closes — and seen by policies.
@Suite struct TaskLabelTests {
    let clock = TestClock()

    @Test func retrievingADocumentGivesTheTaskItsLabelsAndThoseOfItsDataset() async throws {
        let tasks = try await TaskLabelFixtures.service(clock: clock)
        let task = try await tasks.open(TaskLabelFixtures.opening()).record
        #expect(await tasks.decide(taskID: task.id, request: TaskLabelFixtures.retrieve()).allowed)
        #expect(try await tasks.task(id: task.id)?.labels == ["pii", "secret"])
    }

    @Test func callingAToolGivesTheTaskTheToolsOutputLabels() async throws {
        let tasks = try await TaskLabelFixtures.service(clock: clock)
        let task = try await tasks.open(TaskLabelFixtures.opening()).record
        #expect(await tasks.decide(taskID: task.id, request: TaskFixtures.search()).allowed)
        #expect(await tasks.decide(taskID: task.id, request: TaskFixtures.refund(5)).allowed)
        #expect(try await tasks.task(id: task.id)?.labels == ["untrusted"])
    }

    @Test func aDeniedDecisionGivesTheTaskNoLabels() async throws {
        let tasks = try await TaskLabelFixtures.service(clock: clock)
        let mailOnly = TaskFixtures.mandate(#"permit (principal, action == Writ::Action::"mail___send_email", resource);"#)
        let task = try await tasks.open(TaskFixtures.opening(mandate: mailOnly)).record
        #expect(await tasks.decide(taskID: task.id, request: TaskFixtures.search()).denial?.reason == .mandateDenied)
        #expect(try await tasks.task(id: task.id)?.labels == [])
    }

    @Test func egressIsAllowedWithOneKindOfDataAndDeniedOnceTheTaskCarriesBoth() async throws {
        let tasks = try await TaskLabelFixtures.service(clock: clock)
        let task = try await tasks.open(TaskLabelFixtures.opening()).record
        #expect(await tasks.decide(taskID: task.id, request: TaskLabelFixtures.retrieve()).allowed)
        #expect(await tasks.decide(taskID: task.id, request: TaskFixtures.email("a@example.com")).allowed)
        #expect(await tasks.decide(taskID: task.id, request: TaskFixtures.search()).allowed)
        let egress = await tasks.decide(taskID: task.id, request: TaskFixtures.email("a@example.com"))
        #expect(egress.denial?.reason == .approvalRequired)
        #expect(egress.policies?.reasons == ["lethal-trifecta"])
        #expect(await tasks.decide(taskID: task.id, request: TaskFixtures.refund(5)).allowed)
    }

    @Test func reportedLabelsOnlyGrowAndCountInDecisions() async throws {
        let tasks = try await TaskLabelFixtures.service(clock: clock)
        let task = try await tasks.open(TaskLabelFixtures.opening(labels: ["pii"])).record
        #expect(try await tasks.addLabels(["untrusted"], to: task.id) == ["pii", "untrusted"])
        #expect(try await tasks.addLabels([], to: task.id) == ["pii", "untrusted"])
        #expect(try await tasks.addLabels(["pii", "financial"], to: task.id) == ["financial", "pii", "untrusted"])
        #expect(try await tasks.task(id: task.id)?.labels == ["financial", "pii", "untrusted"])
        #expect(await tasks.decide(taskID: task.id, request: TaskFixtures.email("a@example.com")).denial?.reason == .approvalRequired)
    }

    @Test func reportingLabelsToAClosedOrExpiredTaskIsAConflictAndChangesNothing() async throws {
        let tasks = try await TaskLabelFixtures.service(clock: clock)
        let closed = try await tasks.open(TaskLabelFixtures.opening()).record
        _ = try await tasks.close(closed.id, closedBy: "key ops")
        let closing = await #expect(throws: WritError.self) { try await tasks.addLabels(["pii"], to: closed.id) }
        #expect(closing?.code == .conflict)
        #expect(closing?.message == "task `\(closed.id)` is closed; a closed task gains no labels")
        let expired = try await tasks.open(TaskFixtures.opening(mandate: TaskLabelFixtures.mandate, ttl: .seconds(5))).record
        clock.advance(5)
        let expiring = await #expect(throws: WritError.self) { try await tasks.addLabels(["pii"], to: expired.id) }
        #expect(expiring?.code == .conflict)
        #expect(try await tasks.task(id: closed.id)?.labels == [])
        #expect(try await tasks.task(id: expired.id)?.labels == [])
    }

    @Test func reportingLabelsToAnUnknownTaskIsNotFound() async throws {
        let tasks = try await TaskLabelFixtures.service(clock: clock)
        let error = await #expect(throws: WritError.self) { try await tasks.addLabels(["pii"], to: "t_nope") }
        #expect(error?.code == .notFound)
    }

    @Test func labelsThatAreNotLabelsOrTooManyAreRefusedAndChangeNothing() async throws {
        let configuration = TaskService.Configuration(maxLabels: 4, maxTaskLabels: 5)
        let tasks = try await TaskLabelFixtures.service(clock: clock, configuration: configuration)
        let task = try await tasks.open(TaskLabelFixtures.opening(labels: ["a", "b"])).record
        let refusals: [(Set<String>, WritError.Code, String)] = [
            (["pii "], .invalidIdentifier,
             "`labels[pii ]` is not a label: labels are ASCII letters, digits, `_`, `-`, `.` and `:`, starting with a letter or digit"),
            (["_pii"], .invalidIdentifier,
             "`labels[_pii]` is not a label: labels are ASCII letters, digits, `_`, `-`, `.` and `:`, starting with a letter or digit"),
            (["caf\u{E9}"], .invalidIdentifier,
             "`labels[caf\u{E9}]` is not a label: labels are ASCII letters, digits, `_`, `-`, `.` and `:`, starting with a letter or digit"),
            ([""], .invalidIdentifier, "`labels[]` is empty"),
            ([String(repeating: "x", count: 65)], .tooLarge, "`labels[\(String(repeating: "x", count: 32))…]` is 65 bytes; a label is at most 64"),
            (["c", "d", "e", "f", "g"], .tooLarge, "`labels` has 5 labels; at most 4 are accepted"),
            (["c", "d", "e", "f"], .tooLarge, "task `\(task.id)` would carry 6 labels; a task carries at most 5"),
        ]
        for (labels, code, message) in refusals {
            let error = await #expect(throws: WritError.self) { try await tasks.addLabels(labels, to: task.id) }
            #expect(error?.code == code)
            #expect(error?.message == message)
        }
        #expect(try await tasks.task(id: task.id)?.labels == ["a", "b"])
    }

    @Test func aDecisionThatWouldTakeTheTaskPastItsLabelLimitIsDenied() async throws {
        let tasks = try await TaskLabelFixtures.service(clock: clock, configuration: TaskService.Configuration(maxTaskLabels: 2))
        let task = try await tasks.open(TaskLabelFixtures.opening(labels: ["financial"])).record
        let decision = await tasks.decide(taskID: task.id, request: TaskLabelFixtures.retrieve())
        #expect(decision.denial == TaskDenial(
            .labelsRefused, "task `\(task.id)` would carry 3 labels; a task carries at most 2", taskID: task.id))
        #expect(try await tasks.task(id: task.id)?.labels == ["financial"])
        #expect(try await tasks.task(id: task.id)?.counters == TaskCounters())
    }

    @Test func aTaskPastItsLabelLimitStillDecidesWhatGivesItNothingNew() async throws {
        let tasks = try await TaskLabelFixtures.service(clock: clock, configuration: TaskService.Configuration(maxTaskLabels: 2))
        let parent = try await tasks.open(TaskLabelFixtures.opening(labels: ["financial"])).record
        for label in ["a", "b"] {
            let child = try await tasks.delegate(
                from: parent.id,
                TaskDelegation(agent: "support-bot", purpose: "read", mandate: TaskLabelFixtures.mandate, labels: [label])).record
            _ = try await tasks.close(child.id, closedBy: "key ops")
        }
        #expect(try await tasks.task(id: parent.id)?.labels == ["a", "b", "financial"])
        #expect(await tasks.decide(taskID: parent.id, request: TaskFixtures.refund(5)).allowed)
        #expect(try await tasks.addLabels(["a"], to: parent.id) == ["a", "b", "financial"])
        let gaining = await #expect(throws: WritError.self) { try await tasks.addLabels(["untrusted"], to: parent.id) }
        #expect(gaining?.code == .tooLarge)
        let reading = await tasks.decide(taskID: parent.id, request: TaskLabelFixtures.retrieve())
        #expect(reading.denial?.reason == .labelsRefused)
        #expect(try await tasks.task(id: parent.id)?.labels == ["a", "b", "financial"])
    }

    @Test func inventoryLabelsThatAreNotLabelsDenyTheRead() async throws {
        let tasks = try await TaskLabelFixtures.service(clock: clock, documentLabels: #"["top secret"]"#)
        let task = try await tasks.open(TaskLabelFixtures.opening()).record
        let decision = await tasks.decide(taskID: task.id, request: TaskLabelFixtures.retrieve())
        #expect(decision.denial?.reason == .labelsRefused)
        #expect(decision.denial?.reason.rawValue == "labels_refused")
        #expect(try await tasks.task(id: task.id)?.labels == [])
    }

    @Test func aChildStartsWithItsParentsLabelsAndSeesThoseTheParentGainsLater() async throws {
        let tasks = try await TaskLabelFixtures.service(clock: clock)
        let parent = try await tasks.open(TaskLabelFixtures.opening(labels: ["pii"])).record
        let child = try await tasks.delegate(
            from: parent.id, TaskDelegation(agent: "search-bot", purpose: "mail", mandate: TaskLabelFixtures.mandate)).record
        #expect(child.labels == ["pii"])
        #expect(await tasks.decide(taskID: child.id, request: TaskFixtures.email("a@example.com", by: "search-bot")).allowed)
        #expect(try await tasks.addLabels(["untrusted"], to: parent.id) == ["pii", "untrusted"])
        let egress = await tasks.decide(taskID: child.id, request: TaskFixtures.email("a@example.com", by: "search-bot"))
        #expect(egress.denial?.reason == .approvalRequired)
        #expect(try await tasks.task(id: child.id)?.labels == ["pii"])
    }

    @Test func closingATaskPassesItsLabelsAndItsChildrensToEveryTaskAbove() async throws {
        let tasks = try await TaskLabelFixtures.service(clock: clock)
        let root = try await tasks.open(TaskLabelFixtures.opening()).record
        func delegate(from parent: String) async throws -> String {
            try await tasks.delegate(
                from: parent, TaskDelegation(agent: "support-bot", purpose: "help", mandate: TaskLabelFixtures.mandate)).record.id
        }
        let middle = try await delegate(from: root.id)
        let reader = try await delegate(from: middle)
        let searcher = try await delegate(from: middle)
        let below = try await delegate(from: searcher)
        #expect(await tasks.decide(taskID: reader, request: TaskLabelFixtures.retrieve()).allowed)
        #expect(await tasks.decide(taskID: below, request: TaskFixtures.search()).allowed)
        #expect(try await tasks.task(id: root.id)?.labels == [])

        _ = try await tasks.close(reader, closedBy: "key ops")
        #expect(try await tasks.task(id: middle)?.labels == ["pii", "secret"])
        #expect(try await tasks.task(id: root.id)?.labels == ["pii", "secret"])
        #expect(await tasks.decide(taskID: root.id, request: TaskFixtures.email("a@example.com")).allowed)

        _ = try await tasks.close(searcher, closedBy: "key ops")
        #expect(try await tasks.task(id: searcher)?.labels == ["untrusted"])
        #expect(try await tasks.task(id: root.id)?.labels == ["pii", "secret", "untrusted"])
        let egress = await tasks.decide(taskID: root.id, request: TaskFixtures.email("a@example.com"))
        #expect(egress.denial?.reason == .approvalRequired)
    }

    @Test func concurrentReportsAndReadsAllLand() async throws {
        let tasks = try await TaskLabelFixtures.service(clock: clock)
        let task = try await tasks.open(TaskLabelFixtures.opening()).record
        let reported = (0..<20).map { "reported-\($0)" }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for label in reported {
                group.addTask { _ = try await tasks.addLabels([label], to: task.id) }
                group.addTask {
                    let read = await tasks.decide(taskID: task.id, request: TaskLabelFixtures.retrieve())
                    #expect(read.allowed)
                }
            }
            try await group.waitForAll()
        }
        #expect(try await tasks.task(id: task.id)?.labels == Set(reported + ["pii", "secret"]))
        #expect(try await tasks.task(id: task.id)?.counters.decisions == 20)
    }
}
