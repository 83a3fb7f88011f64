import Cedar
import Foundation
import Testing
import WritCore

/// `TaskService.callable`: the tools a listing shows, decided without arguments and
/// without charging the task.
@Suite struct TaskListingTests {
    let clock = TestClock()
    static let tools = ["docs___search", "mail___send_email", "payments___refund"]

    @Test func everyToolTheTaskMayCallIsListedWithoutCharging() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let opened = try await tasks.open(TaskFixtures.opening())
        #expect(await tasks.callable(Self.tools, credential: try #require(opened.credential)) == Self.tools)
        #expect(try await tasks.task(id: opened.record.id)?.counters.decisions == 0)
    }

    @Test func aToolTheMandateDoesNotNameIsNotListed() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let opened = try await tasks.open(TaskFixtures.opening(mandate: TaskFixtures.mandate("""
            permit (principal, action == Writ::Action::"docs___search", resource);
            """)))
        #expect(await tasks.callable(Self.tools, credential: try #require(opened.credential)) == ["docs___search"])
    }

    @Test func aToolWhosePermitReadsTheArgumentsIsListed() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let opened = try await tasks.open(TaskFixtures.opening(mandate: TaskFixtures.mandate("""
            permit (principal, action == Writ::Action::"payments___refund", resource) when { context.input.amount <= 200 };
            """)))
        #expect(await tasks.callable(Self.tools, credential: try #require(opened.credential)) == ["payments___refund"])
    }

    @Test func aToolAnUnconditionalForbidCoversIsNotListed() async throws {
        let decisions = try await TaskFixtures.decisions(policies: TaskFixtures.policies + """

            forbid (principal, action == Writ::Action::"mail___send_email", resource);
            """)
        let tasks = try await TaskFixtures.service(clock: clock, decisions: decisions)
        let opened = try await tasks.open(TaskFixtures.opening())
        #expect(await tasks.callable(Self.tools, credential: try #require(opened.credential))
            == ["docs___search", "payments___refund"])
    }

    @Test func aToolThePolicySetDoesNotKnowIsNotListed() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let opened = try await tasks.open(TaskFixtures.opening())
        #expect(await tasks.callable(["shell___run"], credential: try #require(opened.credential)) == [])
    }

    @Test func aClosedTaskListsNothing() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let opened = try await tasks.open(TaskFixtures.opening())
        _ = try await tasks.close(opened.record.id, closedBy: "key ops")
        #expect(await tasks.callable(Self.tools, credential: try #require(opened.credential)) == [])
    }

    @Test func aCredentialThatDoesNotVerifyListsNothing() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        _ = try await tasks.open(TaskFixtures.opening())
        #expect(await tasks.callable(Self.tools, credential: "forged") == [])
    }
}
