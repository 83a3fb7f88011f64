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

    @Test func aQuarantinedToolIsNotListedUntilItsOwnerApprovesTheChange() async throws {
        let decisions = try await InventoryFixtures.decisions()
        let inventory = InventoryService(decisions: decisions, now: clock.now)
        _ = try await inventory.apply(try InventoryFixtures.read(InventoryFixtures.desk), actor: "test")
        let tasks = try await TaskFixtures.service(clock: clock, decisions: decisions)
        let credential = try #require(try await tasks.open(TaskFixtures.opening()).credential)
        #expect(await tasks.callable(["mail___send_email"], credential: credential) == ["mail___send_email"])
        let tool = EntityUID("Writ::Tool", "mail___send_email")
        try await inventory.observe(try InventoryFixtures.definition(description: "Send anything anywhere."), of: tool, actor: "gateway")
        #expect(await tasks.callable(["mail___send_email"], credential: credential) == [])
        _ = try await inventory.approve(tool, by: "ops", actor: "key ops")
        #expect(await tasks.callable(["mail___send_email"], credential: credential) == ["mail___send_email"])
    }

    @Test func usableListsTheResourcesAnActionMightUse() async throws {
        let decisions = try await TaskFixtures.decisions(policies: TaskFixtures.policies + """

            @id("agents-read")
            permit (principal, action == Writ::Action::"retrieve", resource) when { !resource.labels.contains("secret") };
            """, entities: """
            [{"uid": {"type": "Writ::Group", "id": "staff"}, "attrs": {}, "parents": []},
             {"uid": {"type": "Writ::Dataset", "id": "kb"}, "attrs": {"owner": {"__entity": {"type": "Writ::User", "id": "ops"}}, "readers": {"__entity": {"type": "Writ::Group", "id": "staff"}}, "labels": []}, "parents": []},
             {"uid": {"type": "Writ::Document", "id": "open"}, "attrs": {"uri": "kb://open", "dataset": {"__entity": {"type": "Writ::Dataset", "id": "kb"}}, "labels": []}, "parents": [{"type": "Writ::Dataset", "id": "kb"}]},
             {"uid": {"type": "Writ::Document", "id": "secret"}, "attrs": {"uri": "kb://secret", "dataset": {"__entity": {"type": "Writ::Dataset", "id": "kb"}}, "labels": ["secret"]}, "parents": [{"type": "Writ::Dataset", "id": "kb"}]}]
            """)
        let tasks = try await TaskFixtures.service(clock: clock, decisions: decisions)
        let opened = try await tasks.open(TaskFixtures.opening(mandate: TaskFixtures.mandate("""
            permit (principal, action == Writ::Action::"retrieve", resource);
            """)))
        let usable = await tasks.usable(
            ["open", "secret", "unregistered"], action: "retrieve", resourceType: "Writ::Document",
            credential: try #require(opened.credential))
        #expect(usable == ["open"])
    }

    @Test func aCredentialThatDoesNotVerifyListsNothing() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        _ = try await tasks.open(TaskFixtures.opening())
        #expect(await tasks.callable(Self.tools, credential: "forged") == [])
    }
}
