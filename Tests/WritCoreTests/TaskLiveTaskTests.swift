import Foundation
import Testing
import WritCore

/// `TaskService.liveTask(credential:agent:)`: the task a credential stands for, only
/// while it and every task above it are open and unexpired.
@Suite struct TaskLiveTaskTests {
    let clock = TestClock()

    @Test func aCredentialOfAnOpenTaskNamesItsTask() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let opened = try await tasks.open(TaskFixtures.opening())
        let live = try tasks.liveTask(credential: try #require(opened.credential), agent: "support-bot").get()
        #expect(live.id == opened.record.id)
        #expect(live.agent == "support-bot")
    }

    @Test func aForgedCredentialIsNoTask() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let opened = try await tasks.open(TaskFixtures.opening())
        let token = try #require(opened.credential)
        let forged = String(token.dropLast()) + (token.hasSuffix("0") ? "1" : "0")
        #expect(tasks.liveTask(credential: forged).failureReason == .noTask)
    }

    @Test func anotherAgentPresentingTheCredentialIsNoTask() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let opened = try await tasks.open(TaskFixtures.opening())
        let result = tasks.liveTask(credential: try #require(opened.credential), agent: "other-bot")
        #expect(result.failureReason == .noTask)
    }

    @Test func aClosedTasksCredentialIsTaskClosed() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let opened = try await tasks.open(TaskFixtures.opening())
        _ = try await tasks.close(opened.record.id, closedBy: "key ops")
        #expect(tasks.liveTask(credential: try #require(opened.credential)).failureReason == .taskClosed)
    }

    @Test func aDelegatedTasksCredentialDiesWithItsParent() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let parent = try await tasks.open(TaskFixtures.opening())
        let child = try await tasks.delegate(
            from: parent.record.id,
            TaskDelegation(agent: "refund-helper", purpose: "refund", mandate: TaskFixtures.everything))
        _ = try await tasks.close(parent.record.id, closedBy: "key ops")
        #expect(tasks.liveTask(credential: try #require(child.credential)).failureReason == .taskClosed)
    }

    @Test func anExpiredTasksCredentialIsTaskExpired() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let opened = try await tasks.open(TaskFixtures.opening(ttl: .seconds(60)))
        clock.advance(60)
        #expect(tasks.liveTask(credential: try #require(opened.credential)).failureReason == .taskExpired)
    }
}

extension Result where Failure == TaskDenial {
    /// The denial's reason; nil for a success.
    var failureReason: TaskDenial.Reason? {
        if case .failure(let denial) = self { return denial.reason }
        return nil
    }
}

