import Cedar
import Foundation
import Testing
import WritCore
import WritSQLite

/// Two task services on one SQLite data directory, each with its own connection —
/// a server, and `writ task` run beside it: what one opens the other decides on at the
/// first credential, and what one closes the other denies at the next decision.
@Suite struct TaskServiceSharedStoreTests {
    static let issuer = "https://writ.test"
    static let key = SigningKeyRecord.generate(now: Date())

    static let delegated = [SourceFile(name: "child.cedar", text: #"permit (principal, action == Writ::Action::"docs___search", resource);"#)]

    static let body = Array(#"{"subject": {"type": "agent", "id": "bot"}, "action": {"name": "docs___search"}, "resource": {"type": "tool", "id": "docs___search"}, "context": {"input": {"query": "q"}}}"#.utf8)

    /// A task service on its own connection to the store in `directory`, minting and
    /// verifying real credentials with the shared signing key; loaded from the store.
    static func service(_ directory: TestDirectory) async throws -> (tasks: TaskService, store: SQLiteStore) {
        let store = try SQLiteStore(directory: directory.path)
        var configuration = DecisionService.Configuration()
        configuration.authzen = AuthZENMapping(namespace: "Writ", entityTypes: ["agent": "Writ::Agent", "tool": "Writ::Tool"])
        let decisions = DecisionService(store: store, configuration: configuration)
        let draft = PolicySetDraft(files: [TaskServiceSQLiteTests.policies], schema: TaskServiceSQLiteTests.schema, author: "t")
        if try await !decisions.bootstrap(draft, entities: Array(TaskServiceSQLiteTests.registered.utf8)) { try await decisions.reload() }
        let ring = CredentialKeyRing(keys: [key], issuer: issuer, gracePeriod: .seconds(3600), maxLifetime: .seconds(3600))
        let tasks = TaskService(
            decisions: decisions,
            mint: { task in
                try ring.sign(TaskCredentialClaims(
                    issuer: issuer, agent: task.agent, audience: [issuer], taskID: task.id, onBehalfOf: [task.onBehalfOf],
                    issuedAt: task.openedAt, expiresAt: task.expiresAt))
            },
            verify: { token in
                let claims = try ring.verify(token, audience: issuer, now: Date())
                return TaskCredentialIdentity(taskID: claims.taskID, agent: claims.agent)
            })
        try await tasks.load()
        return (tasks, store)
    }

    /// Runs `body` with a server's and a command line's service on one fresh directory.
    static func withTwoProcesses(
        _ body: (_ server: (tasks: TaskService, store: SQLiteStore), _ cli: TaskService) async throws -> Void
    ) async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let server = try await service(directory)
        let cli = try await service(directory)
        try await body(server, cli.tasks)
    }

    static func decide(_ tasks: TaskService, credential: String?) async throws -> String {
        let outcome = try await tasks.decisions.authzen(.evaluation, body: body, taskCredential: credential, tasks: tasks)
        return String(decoding: outcome.body, as: UTF8.self)
    }

    @Test func aTaskOpenedByAnotherProcessIsDecidedAtItsFirstCredential() async throws {
        try await Self.withTwoProcesses { server, cli in
            let opened = try await cli.open(TaskServiceSQLiteTests.opening())
            let answer = try await Self.decide(server.tasks, credential: opened.credential)
            #expect(answer.hasPrefix(#"{"decision":true"#))
            #expect(try await server.tasks.task(id: opened.record.id)?.counters.decisions == 1)
            #expect(server.tasks.heldCount == 1)
        }
    }

    @Test func aTaskDelegatedByAnotherProcessIsReadWithItsParent() async throws {
        try await Self.withTwoProcesses { server, cli in
            let parent = try await cli.open(TaskServiceSQLiteTests.opening())
            let child = try await cli.delegate(
                from: parent.record.id, TaskDelegation(agent: "bot", purpose: "search", mandate: Self.delegated))
            let answer = try await Self.decide(server.tasks, credential: child.credential)
            #expect(answer.hasPrefix(#"{"decision":true"#))
            #expect(server.tasks.heldCount == 2)
            #expect(try await server.tasks.task(id: parent.record.id)?.counters.decisions == 1)
        }
    }

    @Test func aParentOpenedByAnotherProcessCanBeDelegatedFrom() async throws {
        try await Self.withTwoProcesses { server, cli in
            let parent = try await cli.open(TaskServiceSQLiteTests.opening())
            let child = try await server.tasks.delegate(
                from: parent.record.id, TaskDelegation(agent: "bot", purpose: "search", mandate: Self.delegated))
            #expect(child.record.parentID == parent.record.id)
            #expect(child.record.depth == 1)
        }
    }

    @Test func aTaskClosedByAnotherProcessIsDeniedTaskClosedAtTheNextDecision() async throws {
        try await Self.withTwoProcesses { server, cli in
            let opened = try await server.tasks.open(TaskServiceSQLiteTests.opening())
            #expect(try await Self.decide(server.tasks, credential: opened.credential).hasPrefix(#"{"decision":true"#))
            _ = try await cli.close(opened.record.id, closedBy: "ops")
            let answer = try await Self.decide(server.tasks, credential: opened.credential)
            #expect(answer.contains(#""decision":false"#))
            let next = try await Self.decide(server.tasks, credential: opened.credential)
            #expect(answer.contains(#""reason":"task_closed","message":"the store holds the task, or one it was delegated from, as closed""#))
            #expect(next.contains(#""reason":"task_closed","message":"task `\#(opened.record.id)` is closed""#))
            #expect(try await server.tasks.task(id: opened.record.id)?.counters.decisions == 1)
        }
    }

    @Test func aTaskClosedByAnotherProcessBeforeItWasHeldIsDeniedTaskClosed() async throws {
        try await Self.withTwoProcesses { server, cli in
            let opened = try await cli.open(TaskServiceSQLiteTests.opening())
            _ = try await cli.close(opened.record.id, closedBy: "ops")
            let answer = try await Self.decide(server.tasks, credential: opened.credential)
            #expect(answer.contains(#""reason":"task_closed","message":"task `\#(opened.record.id)` is closed""#))
        }
    }

    @Test func aStoreThatFailsWhileReadingAnUnheldTaskLeavesItDenied() async throws {
        try await Self.withTwoProcesses { server, cli in
            let opened = try await cli.open(TaskServiceSQLiteTests.opening())
            try server.store.close()
            let answer = try await Self.decide(server.tasks, credential: opened.credential)
            #expect(answer.contains(#""reason":"no_task","message":"task `\#(opened.record.id)` is not open on this server""#))
            #expect(server.tasks.heldCount == 0)
        }
    }
}
