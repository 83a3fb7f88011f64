import Cedar
import Crypto
import Foundation
import Testing
import WritCore
import WritSQLite

/// The task service on SQLite: counters that survive a restart, and a store that
/// fails turning allows into denials.
@Suite struct TaskServiceSQLiteTests {
    static let schema = BaseSchema.extended(with: """
          action "docs___search" in [call] appliesTo {
            principal: [Agent], resource: [Tool],
            context: { task: TaskContext, system: SystemContext, input: { query: String } }
          };
        """)
    static let policies = SourceFile(name: "org.cedar", text: "permit (principal is Writ::Agent, action, resource);")
    static let mandate = [SourceFile(name: "mandate.cedar", text: "permit (principal, action, resource);")]
    static let search = Request(
        principal: EntityUID(type: BaseSchema.agentType, id: "bot"),
        action: EntityUID(type: EntityType("Writ::Action"), id: "docs___search"),
        resource: EntityUID(type: EntityType("Writ::Tool"), id: "docs___search"),
        context: Record([("input", .record(Record([("query", .string("q"))])))]))

    /// Agent `bot`, registered as the inventory requires (docs/INVENTORY.md).
    static let bot = #"{"uid": {"type": "Writ::Agent", "id": "bot"}, "attrs": {"owner": {"__entity": {"type": "Writ::User", "id": "ops"}}}, "parents": []}"#
    /// `bot` and the `docs___search` tool.
    static let registered = #"[\#(bot), {"uid": {"type": "Writ::Tool", "id": "docs___search"}, "attrs": {"name": "search", "owner": {"__entity": {"type": "Writ::User", "id": "ops"}}, "labels": [], "egress": false}, "parents": []}]"#

    static func opening(budgets: TaskBudgets = TaskBudgets()) -> TaskOpening {
        TaskOpening(
            agent: "bot", onBehalfOf: "alice", purpose: "p", mandate: mandate, ttl: .seconds(600), budgets: budgets,
            openedBy: "ops")
    }

    /// A task service over `store`, bootstrapped with `policies` and `entities` (JSON)
    /// unless the store has a policy set, and loaded from it.
    static func service(_ store: SQLiteStore, policies: SourceFile = policies, entities: String? = nil) async throws -> TaskService {
        let decisions = DecisionService(store: store)
        let draft = PolicySetDraft(files: [policies], schema: schema, author: "test")
        if try await !decisions.bootstrap(draft, entities: Array((entities ?? registered).utf8)) {
            try await decisions.reload()
        }
        let tasks = TaskService(decisions: decisions)
        try await tasks.load()
        return tasks
    }

    @Test func countersAndClosesSurviveARestart() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path)
        let tasks = try await Self.service(store)
        let task = try await tasks.open(Self.opening(budgets: TaskBudgets(maxDecisions: 3))).record
        let closed = try await tasks.open(Self.opening()).record
        _ = try await tasks.close(closed.id, closedBy: "ops")
        for _ in 0..<2 { #expect(await tasks.decide(taskID: task.id, request: Self.search).allowed) }
        try store.close()

        let reopened = try SQLiteStore(directory: directory.path)
        defer { try? reopened.close() }
        let restarted = try await Self.service(reopened)
        #expect(try await restarted.task(id: task.id)?.counters == TaskCounters(
            decisions: 2, calls: 2, actions: ["docs___search": 2]))
        #expect(await restarted.decide(taskID: task.id, request: Self.search).allowed)
        #expect(await restarted.decide(taskID: task.id, request: Self.search).denial?.reason == .decisionsExhausted)
        #expect(await restarted.decide(taskID: closed.id, request: Self.search).denial?.reason == .noTask)
    }

    @Test func anAllowWhoseCountersCannotBeStoredIsADeny() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path)
        let tasks = try await Self.service(store)
        let task = try await tasks.open(Self.opening()).record
        #expect(await tasks.decide(taskID: task.id, request: Self.search).allowed)
        try store.close()
        let decision = await tasks.decide(taskID: task.id, request: Self.search)
        #expect(decision.denial?.reason == .storeUnavailable)
        #expect(decision.denial?.message.hasPrefix("the decision could not be recorded in the task's counters: ") == true)
        #expect(decision.policies?.allowed == true)
    }

    @Test func anAuthZENAllowWhoseCountersCannotBeStoredIsADeny() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path)
        var configuration = DecisionService.Configuration()
        configuration.authzen = AuthZENMapping(namespace: "Writ", entityTypes: ["agent": "Writ::Agent", "tool": "Writ::Tool"])
        let decisions = DecisionService(store: store, configuration: configuration)
        #expect(try await decisions.bootstrap(
            PolicySetDraft(files: [Self.policies], schema: Self.schema, author: "t"), entities: Array(Self.registered.utf8)))
        let key = Curve25519.Signing.PrivateKey()
        let tasks = TaskService(
            decisions: decisions,
            mint: { task in task.id + "~" + task.agent + "~" + (try key.signature(for: Data((task.id + "~" + task.agent).utf8))).base64EncodedString() },
            verify: { token in
                let parts = token.split(separator: "~").map(String.init)
                guard parts.count == 3, let signature = Data(base64Encoded: parts[2]),
                    key.publicKey.isValidSignature(signature, for: Data((parts[0] + "~" + parts[1]).utf8))
                else { throw CocoaError(.coderInvalidValue) }
                return TaskCredentialIdentity(taskID: parts[0], agent: parts[1])
            })
        let opened = try await tasks.open(Self.opening())
        let body = Array(#"{"subject": {"type": "agent", "id": "bot"}, "action": {"name": "docs___search"}, "resource": {"type": "tool", "id": "docs___search"}, "context": {"input": {"query": "q"}}}"#.utf8)
        let allowed = try await decisions.authzen(.evaluation, body: body, taskCredential: opened.credential, tasks: tasks)
        #expect(allowed.decisions == [true])
        try store.close()
        let denied = try await decisions.authzen(.evaluation, body: body, taskCredential: opened.credential, tasks: tasks)
        #expect(denied.decisions == [false])
        #expect(String(decoding: denied.body, as: UTF8.self).contains(#""reason":"store_unavailable""#))
    }
}
