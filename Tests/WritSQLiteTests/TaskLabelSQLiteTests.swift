import Cedar
import Foundation
import Testing
import WritCore
import WritSQLite

/// Labels on SQLite: learned, reported and passed up before a restart, seen by the
/// policies after it.
@Suite struct TaskLabelSQLiteTests {
    static let policies = SourceFile(name: "org.cedar", text: """
        permit (principal is Writ::Agent, action, resource);
        forbid (principal, action, resource) when { context.task.labels.containsAll(["pii", "untrusted"]) };
        """)
    static let entities = """
        [\(TaskServiceSQLiteTests.bot), {"uid": {"type": "Writ::Tool", "id": "docs___search"}, "attrs": {"name": "search", "owner": {"__entity": {"type": "Writ::User", "id": "ops"}}, "labels": [], "egress": false, "outputLabels": ["untrusted"]}, "parents": []}]
        """

    static func service(_ store: SQLiteStore) async throws -> TaskService {
        try await TaskServiceSQLiteTests.service(store, policies: policies, entities: entities)
    }

    @Test func labelsSurviveARestartAndStillDeny() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path)
        let tasks = try await Self.service(store)
        let parent = try await tasks.open(TaskServiceSQLiteTests.opening()).record
        let child = try await tasks.delegate(
            from: parent.id, TaskDelegation(agent: "bot", purpose: "search", mandate: TaskServiceSQLiteTests.mandate)).record
        #expect(await tasks.decide(taskID: child.id, request: TaskServiceSQLiteTests.search).allowed)
        _ = try await tasks.close(child.id, closedBy: "ops")
        #expect(try await tasks.addLabels(["pii"], to: parent.id) == ["pii", "untrusted"])
        try store.close()

        let reopened = try SQLiteStore(directory: directory.path)
        defer { try? reopened.close() }
        let restarted = try await Self.service(reopened)
        #expect(try await restarted.task(id: parent.id)?.labels == ["pii", "untrusted"])
        #expect(try await restarted.task(id: child.id)?.labels == ["untrusted"])
        let denied = await restarted.decide(taskID: parent.id, request: TaskServiceSQLiteTests.search)
        #expect(denied.denial?.reason == .policyDenied)
    }
}
