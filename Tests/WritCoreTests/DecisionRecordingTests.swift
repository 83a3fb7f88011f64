import Cedar
import Foundation
import Testing
import WritCore

/// With `DecisionAudit.log`, the decision service records each answer itself before it
/// returns it — and the task counters its allows charge in the same write.
@Suite struct DecisionRecordingTests {
    let clock = TestClock()

    /// The support desk over one store, its audit log appending to that store, and an
    /// open task's id and credential.
    func desk() async throws -> (MemoryStore, DecisionService, TaskService, AuditLog, String, String) {
        let store = MemoryStore()
        let decisions = try await AuditFixtures.decisions(store: store)
        let tasks = AuditFixtures.tasks(decisions, clock: clock)
        let log = try await AuditLogTests.open(store)
        let opened = try await tasks.open(TaskFixtures.opening())
        return (store, decisions, tasks, log, opened.record.id, try #require(opened.credential))
    }

    func answer(_ body: String, _ decisions: DecisionService, _ tasks: TaskService, log: any AuditSink) async throws -> String {
        let outcome = try await decisions.authzen(
            .evaluation, body: Array(body.utf8), taskCredential: nil, tasks: tasks,
            audit: DecisionAudit(actor: "key_pep", requestID: "req-1", log: log))
        return String(decoding: outcome.body, as: UTF8.self)
    }

    @Test func anAllowIsRecordedWithItsCountersBeforeItIsAnswered() async throws {
        let (store, decisions, tasks, log, taskID, token) = try await desk()
        let body = try await answer(TaskAuthZENTests.body(token: token), decisions, tasks, log: log)
        let rows = try await store.auditRows(from: 1, limit: 10)
        #expect(body.contains(#""decision":true"#))
        #expect(rows.map(\.outcome) == ["allow"])
        #expect(AuditFixtures.decisionIDs(body) == rows.compactMap(\.decisionID))
        #expect(try await store.task(id: taskID)?.counters.decisions == 1)
    }

    @Test func anAllowWhoseTaskTheStoreHoldsClosedIsRecordedAndAnsweredAsADeny() async throws {
        let (store, decisions, tasks, log, taskID, token) = try await desk()
        // Closed by another process sharing the store: this service still holds it open.
        _ = try await store.closeTaskSubtree(id: taskID, at: clock.now())
        let body = try await answer(TaskAuthZENTests.body(token: token), decisions, tasks, log: log)
        let rows = try await store.auditRows(from: 1, limit: 10)
        #expect(body.contains(#""decision":false"#))
        #expect(body.contains(#""reason":"task_closed""#))
        #expect(rows.map(\.outcome) == ["deny"])
        #expect(AuditFixtures.decisionIDs(body) == rows.compactMap(\.decisionID))
        #expect(try await store.task(id: taskID)?.counters.decisions == 0)
    }

    @Test func aDenyChargesNothingAndIsRecorded() async throws {
        let (store, decisions, tasks, log, taskID, token) = try await desk()
        let body = try await answer(
            TaskAuthZENTests.body(tool: "payments___refund", input: #"{"amount": 5000}"#, token: token), decisions, tasks,
            log: log)
        #expect(body.contains(#""decision":false"#))
        #expect(try await store.auditRows(from: 1, limit: 10).map(\.outcome) == ["deny"])
        #expect(try await store.task(id: taskID)?.counters.decisions == 0)
    }

    @Test func anAnswerThatCannotBeRecordedIsNotGiven() async throws {
        let (_, decisions, tasks, _, _, token) = try await desk()
        let error = await #expect(throws: WritError.self) {
            _ = try await answer(TaskAuthZENTests.body(token: token), decisions, tasks, log: FailingSink())
        }
        #expect(error?.code == .auditUnavailable)
    }

    @Test func aSearchIsRecordedAsOneEvent() async throws {
        let (store, decisions, tasks, log, _, _) = try await desk()
        let body = #"{"subject": {"type": "user", "id": "alice"}, "action": {"name": "docs___search"}, "resource": {"type": "tool"}}"#
        _ = try await decisions.authzen(
            .resourceSearch, body: Array(body.utf8), taskCredential: nil, tasks: tasks,
            audit: DecisionAudit(actor: "key_pep", requestID: "req-1", log: log))
        #expect(try await store.auditRows(from: 1, limit: 10).map(\.kind) == ["search"])
    }
}
