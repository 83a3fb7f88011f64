import Benchmark
import Cedar
import Foundation
import Synchronization
import WritCore

// Wall-clock latency and heap allocations of whole decisions in process, as
// `writ serve` makes them minus HTTP: `DecisionService.authzen` from request bytes
// to response bytes, on an in-memory store.
//
// - `authzen/todo-evaluation`: the AuthZEN Todo example with the body of the HTTP
//   benchmark (Benchmarks/http/evaluation.json) — the median decision.
// - `agent/in-task`: examples/agent-demo, an agent calling `docs___search` inside a
//   task, its credential presented as the `Writ-Task-Credential` header carries it:
//   credential verification (cached after the first use), task lookup, the
//   organisation's policies and the task's mandate, counters charged.
// - `agent/live-task`: what every decision about an agent starts with, alone:
//   verifying its credential (a cache hit after the first use) and looking its task
//   and the tasks above it up (`TaskService.liveTask`).
// - `agent/org-policies-only`: the same Cedar request, with the same `context.task`,
//   decided by the engine against the organisation's policies alone. The gap to
//   `agent/in-task` bounds from above what the task adds (AuthZEN reading, the
//   credential, the lookup, the mandate and the counters).

/// Where the repository's examples are: `WRIT_REPOSITORY`, else the parent of the
/// working directory (`swift package benchmark` runs in Benchmarks/).
func exampleDirectory(_ name: String) -> URL {
    let root = ProcessInfo.processInfo.environment["WRIT_REPOSITORY"]
        ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath).deletingLastPathComponent().path
    return URL(fileURLWithPath: root).appendingPathComponent("examples").appendingPathComponent(name)
}

/// A Cedar datetime as Writ builds one: whole milliseconds since the epoch.
func datetime(_ date: Date) -> Value {
    .ext(.datetime(CedarDatetime(milliseconds: Int64((date.timeIntervalSince1970 * 1000).rounded(.down)))))
}

func bytes(_ url: URL) throws -> [UInt8] { Array(try Data(contentsOf: url)) }

func text(_ url: URL) throws -> String { String(decoding: try Data(contentsOf: url), as: UTF8.self) }

/// A decision service on `example`, bootstrapped into a fresh in-memory store, with
/// `extraEntities` (Cedar entity JSON objects) added to the example's.
func decisionService(_ example: String, extraEntities: [Any] = []) async throws -> DecisionService {
    let directory = exampleDirectory(example)
    let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    let files = try names.filter { $0.hasSuffix(".cedar") }.map { name in
        SourceFile(name: name, text: try text(directory.appendingPathComponent(name)))
    }
    let schema = try names.first { $0.hasSuffix(".cedarschema") }.map { name in
        SchemaSource(format: .cedar, file: SourceFile(name: name, text: try text(directory.appendingPathComponent(name))))
    }
    let mapping = try AuthZENMapping.parse(try bytes(directory.appendingPathComponent("authzen.json")))
    let service = DecisionService(store: MemoryStore(), configuration: .init(authzen: mapping))
    var entities = try bytes(directory.appendingPathComponent("entities.json"))
    if !extraEntities.isEmpty {
        let given = try JSONSerialization.jsonObject(with: Data(entities)) as? [Any] ?? []
        entities = Array(try JSONSerialization.data(withJSONObject: given + extraEntities))
    }
    try await service.bootstrap(PolicySetDraft(files: files, schema: schema, author: "benchmark"), entities: entities)
    return service
}

/// A task service for `service` whose credentials a fresh key ring signs and verifies.
func taskService(_ service: DecisionService) -> TaskService {
    let issuer = "https://writ.benchmark"
    let ring = CredentialKeyRing(
        keys: [SigningKeyRecord.generate(now: Date())], issuer: issuer, gracePeriod: .seconds(3600),
        maxLifetime: .seconds(3600))
    return TaskService(
        decisions: service,
        mint: { task in
            try ring.sign(TaskCredentialClaims(
                issuer: issuer, agent: task.agent, audience: [issuer], taskID: task.id, onBehalfOf: [task.onBehalfOf],
                issuedAt: Date(timeIntervalSince1970: task.openedAt.timeIntervalSince1970.rounded(.down)),
                expiresAt: Date(timeIntervalSince1970: task.expiresAt.timeIntervalSince1970.rounded(.down))))
        },
        verify: { token in
            let claims = try ring.verify(token, audience: issuer, now: Date())
            return TaskCredentialIdentity(taskID: claims.taskID, agent: claims.agent)
        })
}

/// Opens a task for `agent` for alice, with the mandate `mandates/<mandate>` of `example`.
func openTask(_ tasks: TaskService, agent: String, example: String, mandate: String) throws -> OpenedTask {
    let text = try text(exampleDirectory(example).appendingPathComponent("mandates").appendingPathComponent(mandate))
    return try blocking {
        try await tasks.open(TaskOpening(
            agent: agent, onBehalfOf: "alice", purpose: "answer ticket 42",
            mandate: [SourceFile(name: mandate, text: text)], ttl: .seconds(3600), openedBy: "benchmark"))
    }
}

/// Runs `body` to completion from synchronous setup code.
func blocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let result = Mutex<Result<T, any Error>?>(nil)
    let done = DispatchSemaphore(value: 0)
    Task {
        let outcome: Result<T, any Error>
        do { outcome = .success(try await body()) } catch { outcome = .failure(error) }
        result.withLock { $0 = outcome }
        done.signal()
    }
    done.wait()
    return try result.withLock { $0! }.get()
}

/// The Todo example and the HTTP benchmark's request body.
struct TodoDecision: Sendable {
    let service: DecisionService
    let body: [UInt8]

    init() throws {
        service = try blocking { try await decisionService("authzen-todo") }
        let root = exampleDirectory("authzen-todo").deletingLastPathComponent().deletingLastPathComponent()
        body = try bytes(root.appendingPathComponent("Benchmarks/http/evaluation.json"))
        let outcome = try service.authzen(.evaluation, body: body)
        precondition(String(decoding: outcome.body, as: UTF8.self).contains(#""decision":true"#), "the Todo request must be allowed")
    }
}

/// examples/agent-demo with one open task for `support-bot`, and its credential.
struct AgentDecision: Sendable {
    let service: DecisionService
    let tasks: TaskService
    let credential: String
    let body: [UInt8]
    /// The Cedar request `body` becomes inside the task, for the engine alone.
    let request: Request

    init() throws {
        let service = try blocking { try await decisionService("agent-demo") }
        let tasks = taskService(service)
        let opened = try openTask(tasks, agent: "support-bot", example: "agent-demo", mandate: "ticket-42.cedar")
        self.service = service
        self.tasks = tasks
        credential = opened.credential!
        body = Array(#"""
            {"subject": {"type": "agent", "id": "support-bot"}, "action": {"name": "docs___search"},
             "resource": {"type": "tool", "id": "docs___search"}, "context": {"input": {"query": "refund policy"}}}
            """#.utf8)
        let task = opened.record
        let taskContext = Value.record(Record([
            ("id", .string(task.id)), ("purpose", .string(task.purpose)),
            ("onBehalfOf", .entity(EntityUID(type: EntityType("Writ::User"), id: task.onBehalfOf))),
            ("agent", .entity(EntityUID(type: EntityType("Writ::Agent"), id: task.agent))),
            ("depth", .long(0)), ("opened", datetime(task.openedAt)),
            ("expires", datetime(task.expiresAt)), ("labels", .set(CedarSet([Value]()))),
            ("counters", .record(Record([("decisions", .long(0)), ("calls", .long(0)), ("sameTool", .long(0)), ("spend", .long(0))]))),
        ]))
        request = Request(
            principal: EntityUID(type: EntityType("Writ::Agent"), id: "support-bot"),
            action: EntityUID(type: EntityType("Writ::Action"), id: "docs___search"),
            resource: EntityUID(type: EntityType("Writ::Tool"), id: "docs___search"),
            context: Record([
                ("task", taskContext), ("system", .record(Record([("now", datetime(Date()))]))),
                ("input", .record(Record([("query", .string("refund policy"))]))),
            ]))
        let first = try blocking { [self] in try await self.decide() }
        precondition(String(decoding: first.body, as: UTF8.self).contains(#""decision":true"#), "the agent's call must be allowed")
        let direct = try service.decide(request)
        precondition(direct.allowed, "the organisation's policies must allow the call")
    }

    func decide() async throws -> AuthZENOutcome {
        try await service.authzen(.evaluation, body: body, taskCredential: credential, tasks: tasks)
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .throughput],
        warmupIterations: 200,
        maxDuration: .seconds(3),
        maxIterations: 1_000_000
    )

    Benchmark("authzen/todo-evaluation") { benchmark, prepared in
        benchmark.startMeasurement()
        blackHole(try prepared.service.authzen(.evaluation, body: prepared.body))
        benchmark.stopMeasurement()
    } setup: {
        try TodoDecision()
    }

    Benchmark("agent/in-task") { benchmark, prepared in
        benchmark.startMeasurement()
        blackHole(try await prepared.decide())
        benchmark.stopMeasurement()
    } setup: {
        try AgentDecision()
    }

    Benchmark("agent/live-task") { benchmark, prepared in
        benchmark.startMeasurement()
        blackHole(prepared.tasks.liveTask(credential: prepared.credential, agent: "support-bot"))
        benchmark.stopMeasurement()
    } setup: {
        try AgentDecision()
    }

    Benchmark("filter/1000-candidates-in-task") { benchmark, prepared in
        benchmark.startMeasurement()
        blackHole(try await prepared.filter())
        benchmark.stopMeasurement()
    } setup: {
        try FilterDecision()
    }

    Benchmark("filter/1000-as-evaluations-in-task") { benchmark, prepared in
        benchmark.startMeasurement()
        blackHole(try await prepared.evaluations())
        benchmark.stopMeasurement()
    } setup: {
        try FilterDecision()
    }

    Benchmark("agent/org-policies-only") { benchmark, prepared in
        benchmark.startMeasurement()
        blackHole(try prepared.service.decide(prepared.request))
        benchmark.stopMeasurement()
    } setup: {
        try AgentDecision()
    }

    auditBenchmarks()
}
