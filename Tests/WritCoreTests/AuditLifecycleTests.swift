import Cedar
import Foundation
import Testing
import WritCore

/// Tasks, approvals and policy changes are recorded after they are stored and before
/// the call returns; a record that cannot be written is an error for the caller.
@Suite struct AuditLifecycleTests {
    let clock = TestClock()

    @Test func openingATaskRecordsWhoForWhomAndUntilWhen() async throws {
        let sink = RecordingSink()
        let tasks = AuditFixtures.tasks(try await AuditFixtures.decisions(), clock: clock, audit: sink)
        let opened = try await tasks.open(TaskFixtures.opening())
        let event = try #require(await sink.events.first)
        #expect(await sink.events.count == 1)
        #expect(event.kind == .taskOpened)
        #expect(event.actor == "key ops")
        #expect(event.taskID == opened.record.id)
        #expect(event.agent == "support-bot")
        #expect(event.user == "alice")
        #expect(event.time == TaskFixtures.start)
        #expect(event.detailsText == #"{"purpose":"answer ticket 42","opened_at":1750000000,"expires_at":1750003600,"depth":0,"labels":[],"mandate":["mandate.cedar"]}"#)
    }

    @Test func delegatingRecordsTheParent() async throws {
        let sink = RecordingSink()
        let tasks = AuditFixtures.tasks(try await AuditFixtures.decisions(), clock: clock, audit: sink)
        let parent = try await tasks.open(TaskFixtures.opening())
        let child = try await tasks.delegate(
            from: parent.record.id,
            TaskDelegation(agent: "sub-bot", purpose: "search", mandate: TaskFixtures.everything))
        let event = try #require(await sink.events(.taskDelegated).first)
        #expect(event.taskID == child.record.id)
        #expect(event.agent == "sub-bot")
        #expect(event.user == "alice")
        #expect(event.detail("parent") == JSON.string(parent.record.id))
        #expect(event.detail("depth") == JSON.number(JSONNumber(1)))
    }

    @Test func closingRecordsEveryTaskClosed() async throws {
        let sink = RecordingSink()
        let tasks = AuditFixtures.tasks(try await AuditFixtures.decisions(), clock: clock, audit: sink)
        let parent = try await tasks.open(TaskFixtures.opening())
        let child = try await tasks.delegate(
            from: parent.record.id, TaskDelegation(agent: "sub-bot", purpose: "search", mandate: TaskFixtures.everything))
        _ = try await tasks.close(parent.record.id, closedBy: "key ops")
        let event = try #require(await sink.events(.taskClosed).first)
        #expect(event.actor == "key ops")
        #expect(event.taskID == parent.record.id)
        #expect(event.user == "alice")
        #expect(event.detail("closed") == JSON.array([.string(parent.record.id), .string(child.record.id)]))
    }

    @Test func aSweepRecordsEachTaskThatExpiredOpen() async throws {
        let sink = RecordingSink()
        let tasks = AuditFixtures.tasks(try await AuditFixtures.decisions(), clock: clock, audit: sink)
        let opened = try await tasks.open(TaskFixtures.opening(ttl: .seconds(60)))
        clock.advance(61)
        #expect(try await tasks.sweep() == [opened.record.id])
        let event = try #require(await sink.events(.taskExpired).first)
        #expect(event.actor == "writ")
        #expect(event.taskID == opened.record.id)
        #expect(event.detailsText == #"{"expires_at":1750000060}"#)
    }

    @Test func aSweepWhoseRecordsFailForgetsNothing() async throws {
        let decisions = try await AuditFixtures.decisions()
        let tasks = AuditFixtures.tasks(decisions, clock: clock)
        _ = try await tasks.open(TaskFixtures.opening(ttl: .seconds(60)))
        let failing = AuditFixtures.tasks(decisions, clock: clock, audit: FailingSink())
        _ = try await failing.load()
        clock.advance(61)
        await #expect(throws: WritError.self) { try await failing.sweep() }
        #expect(failing.heldCount == 1)
    }

    @Test func anOpenWhoseRecordFailsIsAnErrorAfterTheTaskIsStored() async throws {
        let decisions = try await AuditFixtures.decisions()
        let tasks = AuditFixtures.tasks(decisions, clock: clock, audit: FailingSink())
        do {
            _ = try await tasks.open(TaskFixtures.opening())
            Issue.record("the open returned without its record")
        } catch {
            #expect(error.code == .auditUnavailable)
        }
        #expect(try await tasks.tasks(matching: TaskFilter(now: clock.now())).count == 1)
    }

    @Test func replacingPoliciesRecordsTheVersionDigestAndAuthor() async throws {
        let sink = RecordingSink()
        let decisions = try await AuditFixtures.decisions(audit: sink)
        let record = try await decisions.replacePolicies(
            [SourceFile(name: "org.cedar", text: TaskFixtures.policies)], author: "alice-key", comment: "same again")
        let events = await sink.events(.policiesChanged)
        let event = try #require(events.last)
        #expect(events.count == 2)  // the bootstrap, then this
        #expect(event.actor == "alice-key")
        #expect(event.detailsText == #"{"version":2,"digest":"\#(record.summary.digest)","author":"alice-key","comment":"same again"}"#)
    }

    @Test func aRollbackNamesTheVersionItRestores() async throws {
        let sink = RecordingSink()
        let decisions = try await AuditFixtures.decisions(audit: sink)
        _ = try await decisions.replacePolicies([SourceFile(name: "org.cedar", text: TaskFixtures.policies)], author: "a")
        _ = try await decisions.rollback(to: 1, author: "b")
        let event = try #require(await sink.events(.policiesChanged).last)
        #expect(event.detail("rollback_to") == JSON.number(JSONNumber(1)))
        #expect(event.detail("version") == JSON.number(JSONNumber(3)))
    }

    @Test func replacingTheSchemaIsASchemaChange() async throws {
        let sink = RecordingSink()
        let decisions = try await AuditFixtures.decisions(audit: sink)
        _ = try await decisions.replaceSchema(TaskFixtures.schema, author: "a")
        #expect(await sink.events(.schemaChanged).count == 1)
    }

    @Test func upsertingEntitiesRecordsHowMany() async throws {
        let sink = RecordingSink()
        let decisions = try await AuditFixtures.decisions(audit: sink)
        _ = try await decisions.upsertEntities(
            Array(#"[{"uid": {"type": "Writ::User", "id": "carol"}, "attrs": {}, "parents": []}]"#.utf8), author: "a")
        let event = try #require(await sink.events(.entitiesChanged).first)
        #expect(event.actor == "a")
        #expect(event.detailsText == #"{"operation":"upsert","count":1,"stored":15}"#)
    }

    @Test func aPolicyChangeWhoseRecordFailsIsAnErrorButInForce() async throws {
        let decisions = try await AuditFixtures.decisions(store: MemoryStore())
        let failing = DecisionService(
            store: decisions.store, configuration: decisions.configuration, audit: FailingSink())
        try await failing.reload()
        do {
            _ = try await failing.replacePolicies([SourceFile(name: "org.cedar", text: TaskFixtures.policies)], author: "a")
            Issue.record("the change returned without its record")
        } catch {
            #expect(error.code == .auditUnavailable)
        }
        #expect(try failing.engine().version.version == 2)
    }

    @Test func approvalsAskedGrantedAndRefusedAreRecorded() async throws {
        let sink = RecordingSink()
        let decisions = try await TestService.make(policies: ApprovalTests.policies)
        let approvals = ApprovalService(store: decisions.store, now: clock.now, audit: sink)
        func ask(_ amount: Int) async throws -> String {
            let outcome = try await decisions.authzen(
                .evaluation, body: Array(ApprovalTests.pay(amount).utf8), taskCredential: nil, tasks: nil, approvals: approvals)
            return try #require(try ApprovalAnswer(outcome.body).approval)
        }
        let first = try await ask(500)
        let second = try await ask(600)
        _ = try await approvals.approve(id: first, scope: .once, by: "key_approver")
        _ = try await approvals.refuse(id: second, by: "key_approver")
        let events = await sink.events
        #expect(events.map(\.kind) == [.approvalAsked, .approvalAsked, .approvalGranted, .approvalRefused])
        #expect(events[0].detail("approval") == JSON.string(first))
        #expect(events[0].action == #"Action::"pay""#)
        #expect(events[0].resource == #"Account::"bob""#)
        #expect(events[2].actor == "key_approver")
        #expect(events[2].detail("scope") == JSON.string("once"))
        #expect(events[3].detail("approval") == JSON.string(second))
    }
}

/// Approvals that expire are recorded by a sweep.
@Suite struct AuditApprovalExpiryTests {
    @Test func aSweepRecordsEachApprovalThatExpiredOnce() async throws {
        let clock = TestClock()
        let sink = RecordingSink()
        let decisions = try await TestService.make(policies: ApprovalTests.policies)
        let approvals = ApprovalService(store: decisions.store, now: clock.now, audit: sink)
        let outcome = try await decisions.authzen(
            .evaluation, body: Array(ApprovalTests.pay(500).utf8), taskCredential: nil, tasks: nil, approvals: approvals)
        let id = try #require(try ApprovalAnswer(outcome.body).approval)
        #expect(try await approvals.sweep() == [])
        clock.advance(901)
        #expect(try await approvals.sweep() == [id])
        #expect(try await approvals.sweep() == [])
        let event = try #require(await sink.events(.approvalExpired).first)
        #expect(await sink.events(.approvalExpired).count == 1)
        #expect(event.actor == "writ")
        #expect(event.detail("state") == JSON.string("pending"))
        #expect(event.time == TaskFixtures.start.addingTimeInterval(900))
    }
}
