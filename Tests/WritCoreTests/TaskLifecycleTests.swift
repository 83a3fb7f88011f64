import Cedar
import Crypto
import Foundation
import Testing
import WritCore

/// Opening, delegating and closing tasks, and what each does to decisions.
@Suite struct TaskLifecycleTests {
    let clock = TestClock()

    @Test func openingStoresTheTaskAndMintsItsCredential() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let opened = try await tasks.open(TaskFixtures.opening(ttl: .milliseconds(90_500), labels: ["pii"]))
        let record = opened.record
        #expect(record.id.hasPrefix("t_") && record.id.utf8.count == 24)
        #expect(record.id.dropFirst(2).allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        let expected = TaskRecord(
            id: record.id, agent: "support-bot", onBehalfOf: "alice", purpose: "answer ticket 42",
            mandate: TaskFixtures.everything, openedAt: TaskFixtures.start,
            expiresAt: TaskFixtures.start.addingTimeInterval(90), openedBy: "key ops", labels: ["pii"])
        #expect(record == expected)
        #expect(try await tasks.task(id: record.id) == expected)
        #expect(opened.credential.map { try? TestCredentials.verify($0) } == TaskCredentialIdentity(taskID: record.id, agent: "support-bot"))
    }

    @Test func everyTaskGetsAFreshId() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        var ids: Set<String> = []
        for _ in 0..<20 { ids.insert(try await tasks.open(TaskFixtures.opening()).record.id) }
        #expect(ids.count == 20)
    }

    @Test func aCallTheOrganisationAndTheMandateAllowIsAllowed() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let task = try await tasks.open(TaskFixtures.opening()).record
        let decision = await tasks.decide(taskID: task.id, request: TaskFixtures.refund(200))
        #expect(decision.allowed)
        #expect(decision.denial == nil)
        #expect(decision.policies?.reasons == ["agents-call-tools"])
    }

    @Test func aCallOutsideTheMandateIsDeniedByTheMandate() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let mandate = TaskFixtures.mandate("""
            permit (principal, action == Writ::Action::"mail___send_email", resource)
            when { context.input.to like "*@example.com" };
            """)
        let task = try await tasks.open(TaskFixtures.opening(mandate: mandate)).record
        #expect(await tasks.decide(taskID: task.id, request: TaskFixtures.email("bob@example.com")).allowed)
        let outside = await tasks.decide(taskID: task.id, request: TaskFixtures.email("eve@evil.test"))
        #expect(outside.denial == TaskDenial(
            .mandateDenied, "the mandate of task `\(task.id)` does not allow the request", taskID: task.id))
        #expect(await tasks.decide(taskID: task.id, request: TaskFixtures.refund(5)).denial?.reason == .mandateDenied)
    }

    @Test func whatTheOrganisationForbidsNoMandateAllows() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let task = try await tasks.open(TaskFixtures.opening()).record
        let decision = await tasks.decide(taskID: task.id, request: TaskFixtures.refund(5000))
        #expect(decision.denial == TaskDenial(
            .policyDenied, "the organisation's policies do not allow the request", taskID: task.id))
        #expect(decision.policies?.reasons == ["no-big-refunds"])
    }

    @Test func anEmptyMandatePermitsNothing() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let task = try await tasks.open(TaskFixtures.opening(mandate: [])).record
        #expect(await tasks.decide(taskID: task.id, request: TaskFixtures.search()).denial?.reason == .mandateDenied)
    }

    @Test func anotherAgentCannotDecideInTheTask() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let task = try await tasks.open(TaskFixtures.opening()).record
        let decision = await tasks.decide(taskID: task.id, request: TaskFixtures.search(by: "intruder"))
        #expect(decision.denial == TaskDenial(
            .noTask, "task `\(task.id)` is not a task of agent `intruder`", taskID: task.id))
    }

    @Test func anUnknownTaskIsNoTask() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let decision = await tasks.decide(taskID: "t_unknown", request: TaskFixtures.search())
        #expect(decision.denial == TaskDenial(.noTask, "task `t_unknown` is not open on this server", taskID: "t_unknown"))
    }

    @Test func aPrincipalThatIsNotAnAgentHasNoTask() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let task = try await tasks.open(TaskFixtures.opening()).record
        var request = TaskFixtures.search()
        request.principal = EntityUID(type: BaseSchema.userType, id: "support-bot")
        #expect(await tasks.decide(taskID: task.id, request: request).denial?.reason == .noTask)
    }

    @Test func delegatingMakesAChildOneLevelDeeperActingForTheSameUser() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let parent = try await tasks.open(TaskFixtures.opening(labels: ["pii"])).record
        clock.advance(10)
        let child = try await tasks.delegate(
            from: parent.id,
            TaskDelegation(agent: "search-bot", purpose: "find the policy", mandate: TaskFixtures.everything, labels: ["untrusted"]))
        let expected = TaskRecord(
            id: child.record.id, agent: "search-bot", onBehalfOf: "alice", purpose: "find the policy",
            mandate: TaskFixtures.everything, parentID: parent.id, depth: 1,
            openedAt: TaskFixtures.start.addingTimeInterval(10), expiresAt: parent.expiresAt,
            openedBy: "task:\(parent.id)", labels: ["pii", "untrusted"])
        #expect(child.record == expected)
        #expect(try await tasks.task(id: child.record.id) == expected)
        #expect(child.credential.map { try? TestCredentials.verify($0) }
            == TaskCredentialIdentity(taskID: child.record.id, agent: "search-bot"))
        #expect(await tasks.decide(taskID: child.record.id, request: TaskFixtures.search(by: "search-bot")).allowed)
    }

    @Test func aSubAgentCannotExceedItsParentWhateverItsOwnMandateSays() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let parent = try await tasks.open(TaskFixtures.opening(mandate: TaskFixtures.mandate("""
            permit (principal, action == Writ::Action::"docs___search", resource);
            """))).record
        let child = try await tasks.delegate(
            from: parent.id, TaskDelegation(agent: "refund-bot", purpose: "refund", mandate: TaskFixtures.everything)).record
        let grandchild = try await tasks.delegate(
            from: child.id, TaskDelegation(agent: "refund-bot", purpose: "refund", mandate: TaskFixtures.everything)).record
        for task in [child, grandchild] {
            let decision = await tasks.decide(taskID: task.id, request: TaskFixtures.refund(10, by: "refund-bot"))
            #expect(decision.denial == TaskDenial(
                .mandateDenied, "the mandate of task `\(parent.id)` does not allow the request", taskID: parent.id))
        }
        #expect(await tasks.decide(taskID: grandchild.id, request: TaskFixtures.search(by: "refund-bot")).allowed)
    }

    @Test func aChildMandateNarrowsWhatItsParentAllows() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let parent = try await tasks.open(TaskFixtures.opening()).record
        let child = try await tasks.delegate(
            from: parent.id,
            TaskDelegation(agent: "support-bot", purpose: "look", mandate: TaskFixtures.mandate("""
                permit (principal, action == Writ::Action::"docs___search", resource);
                """))).record
        #expect(await tasks.decide(taskID: child.id, request: TaskFixtures.search()).allowed)
        #expect(await tasks.decide(taskID: child.id, request: TaskFixtures.refund(1)).denial?.taskID == child.id)
        #expect(await tasks.decide(taskID: parent.id, request: TaskFixtures.refund(1)).allowed)
    }

    @Test func eachMandateSeesItsOwnTaskInTheContext() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let parent = try await tasks.open(TaskFixtures.opening(mandate: TaskFixtures.mandate("""
            permit (principal, action, resource) when { context.task.depth == 0 && context.task.agent == Writ::Agent::"support-bot" };
            """))).record
        let child = try await tasks.delegate(
            from: parent.id,
            TaskDelegation(agent: "search-bot", purpose: "look", mandate: TaskFixtures.mandate("""
                permit (principal, action, resource) when { context.task.depth == 1 && context.task has parent };
                """))).record
        #expect(await tasks.decide(taskID: child.id, request: TaskFixtures.search(by: "search-bot")).allowed)
    }

    @Test func closingClosesTheTaskAndEverythingDelegatedFromIt() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let root = try await tasks.open(TaskFixtures.opening()).record
        let other = try await tasks.open(TaskFixtures.opening()).record
        let child = try await tasks.delegate(
            from: root.id, TaskDelegation(agent: "helper", purpose: "help", mandate: TaskFixtures.everything)).record
        let grandchild = try await tasks.delegate(
            from: child.id, TaskDelegation(agent: "helper", purpose: "help", mandate: TaskFixtures.everything)).record
        clock.advance(5)
        let closure = try await tasks.close(root.id, closedBy: "key ops")
        #expect(closure.closedIDs == [root.id, child.id, grandchild.id])
        #expect(closure.closedAt == TaskFixtures.start.addingTimeInterval(5))
        for (task, agent) in [(root, "support-bot"), (child, "helper"), (grandchild, "helper")] {
            let decision = await tasks.decide(taskID: task.id, request: TaskFixtures.search(by: agent))
            #expect(decision.denial?.reason == .taskClosed)
            #expect(try await tasks.task(id: task.id)?.closedAt == closure.closedAt)
        }
        #expect(await tasks.decide(taskID: other.id, request: TaskFixtures.search()).allowed)
        #expect(try await tasks.task(id: other.id)?.closedAt == nil)
    }

    @Test func closingAChildLeavesItsParentOpen() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let root = try await tasks.open(TaskFixtures.opening()).record
        let child = try await tasks.delegate(
            from: root.id, TaskDelegation(agent: "helper", purpose: "help", mandate: TaskFixtures.everything)).record
        #expect(try await tasks.close(child.id, closedBy: "task:\(root.id)").closedIDs == [child.id])
        #expect(await tasks.decide(taskID: root.id, request: TaskFixtures.search()).allowed)
        #expect(await tasks.decide(taskID: child.id, request: TaskFixtures.search(by: "helper")).denial == TaskDenial(
            .taskClosed, "task `\(child.id)` is closed", taskID: child.id))
    }

    @Test func closingReturnsAReceiptSignedOverItsPayload() async throws {
        let key = Curve25519.Signing.PrivateKey()
        let tasks = try await TaskFixtures.service(clock: clock, sign: { payload in
            (kid: "k1", signature: Array(try key.signature(for: payload)))
        })
        let root = try await tasks.open(TaskFixtures.opening()).record
        let child = try await tasks.delegate(
            from: root.id, TaskDelegation(agent: "helper", purpose: "help", mandate: TaskFixtures.everything)).record
        let closure = try await tasks.close(root.id, closedBy: "key ops")
        let receipt = try #require(closure.receipt)
        let payload = #"{"typ":"writ-task-close-receipt","task":"\#(root.id)","closed":["\#(root.id)","\#(child.id)"],"closed_at":1750000000,"closed_by":"key ops","sequence":\#(closure.sequence)}"#
        #expect(String(decoding: receipt.payload, as: UTF8.self) == payload)
        #expect(receipt.keyID == "k1")
        #expect(key.publicKey.isValidSignature(receipt.signature, for: receipt.payload))
        #expect(closure.receiptFailure == nil)
    }

    @Test func aSignerThatFailsLeavesTheTasksClosedWithoutAReceipt() async throws {
        struct KeyRingEmpty: Error {}
        let tasks = try await TaskFixtures.service(clock: clock, sign: { _ in throw KeyRingEmpty() })
        let root = try await tasks.open(TaskFixtures.opening()).record
        let closure = try await tasks.close(root.id, closedBy: "key ops")
        #expect(closure.receipt == nil)
        #expect(closure.receiptFailure == "the receipt could not be signed: KeyRingEmpty()")
        #expect(await tasks.decide(taskID: root.id, request: TaskFixtures.search()).denial?.reason == .taskClosed)
    }

    @Test func closingAClosedTaskIsAConflictAndAnUnknownOneNotFound() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let root = try await tasks.open(TaskFixtures.opening()).record
        _ = try await tasks.close(root.id, closedBy: "key ops")
        let again = await #expect(throws: WritError.self) { try await tasks.close(root.id, closedBy: "key ops") }
        #expect(again == WritError(.conflict, "task `\(root.id)` is already closed"))
        #expect(again?.message == "task `\(root.id)` is already closed")
        let unknown = await #expect(throws: WritError.self) { try await tasks.close("t_nope", closedBy: "key ops") }
        #expect(unknown?.message == "task `t_nope` does not exist")
    }

    @Test func aNewServiceLoadsTheOpenTasksAndTheirCountersFromTheStore() async throws {
        let store = MemoryStore()
        let decisions = try await TaskFixtures.decisions(store: store)
        let first = TaskService(decisions: decisions, now: clock.now)
        let open = try await first.open(TaskFixtures.opening(budgets: TaskBudgets(maxDecisions: 2))).record
        let closed = try await first.open(TaskFixtures.opening()).record
        _ = try await first.close(closed.id, closedBy: "key ops")
        #expect(await first.decide(taskID: open.id, request: TaskFixtures.search()).allowed)

        let second = TaskService(decisions: decisions, now: clock.now)
        #expect(await second.decide(taskID: open.id, request: TaskFixtures.search()).denial?.reason == .noTask)
        #expect(try await second.load() == [])
        #expect(second.heldCount == 1)
        #expect(await second.decide(taskID: open.id, request: TaskFixtures.search()).allowed)
        #expect(await second.decide(taskID: open.id, request: TaskFixtures.search()).denial?.reason == .decisionsExhausted)
        #expect(await second.decide(taskID: closed.id, request: TaskFixtures.search()).denial?.reason == .noTask)
    }

    @Test func listingSelectsByAgentUserAndState() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let a = try await tasks.open(TaskFixtures.opening(agent: "a")).record
        clock.advance(1)
        let b = try await tasks.open(TaskFixtures.opening(agent: "b")).record
        _ = try await tasks.close(a.id, closedBy: "key ops")
        let now = clock.now()
        #expect(try await tasks.tasks(matching: TaskFilter(now: now)).map(\.id) == [a.id, b.id])
        #expect(try await tasks.tasks(matching: TaskFilter(state: .open, now: now)).map(\.id) == [b.id])
        #expect(try await tasks.tasks(matching: TaskFilter(agent: "a", now: now)).map(\.id) == [a.id])
        #expect(try await tasks.tasks(matching: TaskFilter(onBehalfOf: "bob", now: now)).map(\.id) == [])
    }
}
