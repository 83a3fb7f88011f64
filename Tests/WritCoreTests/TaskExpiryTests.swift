import Cedar
import Foundation
import Testing
import WritCore

/// Tasks end at their expiry, on the service's clock, and delegated ones never
/// outlive their parent.
@Suite struct TaskExpiryTests {
    let clock = TestClock()

    @Test func aTaskDecidesUntilItsExpiryAndIsExpiredFromThenOn() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let task = try await tasks.open(TaskFixtures.opening(ttl: .seconds(60))).record
        clock.advance(59.999)
        #expect(await tasks.decide(taskID: task.id, request: TaskFixtures.search()).allowed)
        clock.advance(0.001)
        let expired = await tasks.decide(taskID: task.id, request: TaskFixtures.search())
        #expect(expired.denial == TaskDenial(.taskExpired, "task `\(task.id)` has expired", taskID: task.id))
    }

    @Test func theSystemTimeInTheContextIsTheServicesClock() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let task = try await tasks.open(TaskFixtures.opening(mandate: TaskFixtures.mandate("""
            permit (principal, action, resource) when {
              context.system.now < datetime("2025-06-15T15:07:00Z") && context.task.opened == datetime("2025-06-15T15:06:40Z")
            };
            """))).record
        clock.advance(19)
        #expect(await tasks.decide(taskID: task.id, request: TaskFixtures.search()).allowed)
        clock.advance(1)
        #expect(await tasks.decide(taskID: task.id, request: TaskFixtures.search()).denial?.reason == .mandateDenied)
    }

    @Test func aChildEndsWithItsParentByDefaultAndCannotOutliveIt() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let parent = try await tasks.open(TaskFixtures.opening(ttl: .seconds(100))).record
        clock.advance(40)
        let longer = await #expect(throws: WritError.self) {
            try await tasks.delegate(
                from: parent.id, TaskDelegation(agent: "h", purpose: "p", mandate: [], ttl: .seconds(61)))
        }
        #expect(longer?.code == .invalidRequest)
        let exact = try await tasks.delegate(
            from: parent.id, TaskDelegation(agent: "h", purpose: "p", mandate: TaskFixtures.everything, ttl: .seconds(60)))
        #expect(exact.record.expiresAt == parent.expiresAt)
        clock.advance(60)
        #expect(await tasks.decide(taskID: exact.record.id, request: TaskFixtures.search(by: "h")).denial?.reason == .taskExpired)
    }

    @Test func delegatingFromAnExpiredTaskIsAConflict() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let parent = try await tasks.open(TaskFixtures.opening(ttl: .seconds(10))).record
        clock.advance(10)
        let error = await #expect(throws: WritError.self) {
            try await tasks.delegate(from: parent.id, TaskDelegation(agent: "h", purpose: "p", mandate: []))
        }
        #expect(error == WritError(.conflict, ""))
        #expect(error?.message == "cannot delegate from task `\(parent.id)`: task `\(parent.id)` has expired")
    }

    @Test func expireForgetsEndedTasksAndNamesTheOnesThatWereOpen() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let short = try await tasks.open(TaskFixtures.opening(ttl: .seconds(10))).record
        let closed = try await tasks.open(TaskFixtures.opening(ttl: .seconds(10))).record
        let long = try await tasks.open(TaskFixtures.opening(ttl: .seconds(100))).record
        _ = try await tasks.close(closed.id, closedBy: "key ops")
        #expect(tasks.expire() == [])
        #expect(tasks.heldCount == 3)
        clock.advance(10)
        #expect(tasks.expire() == [short.id])
        #expect(tasks.heldCount == 1)
        #expect(await tasks.decide(taskID: short.id, request: TaskFixtures.search()).denial?.reason == .noTask)
        #expect(await tasks.decide(taskID: long.id, request: TaskFixtures.search()).allowed)
        #expect(try await tasks.task(id: short.id)?.state(at: clock.now()) == .expired)
    }
}
