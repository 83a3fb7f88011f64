import Benchmark
import Foundation
import WritCore
import WritSQLite

// What recording a decision costs, in process, step by step (issue 7's budget):
//
// - `audit/todo-events`: the Todo decision of `authzen/todo-evaluation` made with an
//   audit caller, so it also builds its `AuditEvent` (the request as sent, redacted,
//   and why it was decided). The gap to `authzen/todo-evaluation` is building the event.
// - `audit/todo-recorded-memory`: the decision and its record appended to an
//   `AuditLog` on the in-memory store: chaining and hashing, no disk.
// - `audit/todo-recorded-sqlite-normal` and `-full`: the same on a SQLite store in a
//   temporary directory, with `--durability normal` (no fsync per commit) and `full`
//   (an fsync per commit). One caller, so each decision is its own transaction; under
//   load, group commit shares one transaction between the decisions waiting for it.
// - `audit/todo-recorded-sqlite-{normal,full}-x64`: 64 such decisions at once, as 64
//   callers (the HTTP benchmark's usual `-c64`); one iteration ends when all 64 are
//   recorded, so its time is the slowest caller's and group commit is at work.

/// The Todo decision with an audit log to record it in.
struct AuditedTodoDecision: Sendable {
    let todo: TodoDecision
    let log: AuditLog
    let audit = DecisionAudit(actor: "benchmark", requestID: nil)

    init(store: any AuditStore) throws {
        todo = try TodoDecision()
        log = try blocking { try await AuditLog.open(store: store, signingKey: .generate(), configuration: .init(checkpointInterval: nil)) }
    }

    func decide() async throws -> AuthZENOutcome {
        try await todo.service.authzen(.evaluation, body: todo.body, taskCredential: nil, tasks: nil, audit: audit)
    }

    func decideAndRecord() async throws {
        let outcome = try await decide()
        try await log.record(outcome.events)
    }

    /// `callers` decisions made and recorded at once; returns when every one is recorded.
    func decideAndRecordConcurrently(_ callers: Int) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<callers { group.addTask { try await self.decideAndRecord() } }
            try await group.waitForAll()
        }
    }

    static func sqlite(_ durability: SQLiteStore.Durability) throws -> AuditedTodoDecision {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("writ-audit-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try SQLiteStore(directory: directory.path, configuration: .init(durability: durability))
        return try AuditedTodoDecision(store: store)
    }
}

func auditBenchmarks() {
    Benchmark("audit/todo-events") { benchmark, prepared in
        benchmark.startMeasurement()
        blackHole(try await prepared.decide())
        benchmark.stopMeasurement()
    } setup: {
        try AuditedTodoDecision(store: MemoryStore())
    }

    Benchmark("audit/todo-recorded-memory") { benchmark, prepared in
        benchmark.startMeasurement()
        try await prepared.decideAndRecord()
        benchmark.stopMeasurement()
    } setup: {
        try AuditedTodoDecision(store: MemoryStore())
    }

    Benchmark("audit/todo-recorded-sqlite-normal") { benchmark, prepared in
        benchmark.startMeasurement()
        try await prepared.decideAndRecord()
        benchmark.stopMeasurement()
    } setup: {
        try AuditedTodoDecision.sqlite(.normal(syncInterval: .milliseconds(200)))
    }

    Benchmark("audit/todo-recorded-sqlite-full") { benchmark, prepared in
        benchmark.startMeasurement()
        try await prepared.decideAndRecord()
        benchmark.stopMeasurement()
    } setup: {
        try AuditedTodoDecision.sqlite(.full)
    }

    for (name, durability) in [("normal", SQLiteStore.Durability.normal(syncInterval: .milliseconds(200))), ("full", .full)] {
        Benchmark("audit/todo-recorded-sqlite-\(name)-x64", configuration: .init(
            metrics: [.wallClock, .mallocCountTotal, .throughput], warmupIterations: 20, maxDuration: .seconds(3),
            maxIterations: 100_000)
        ) { benchmark, prepared in
            benchmark.startMeasurement()
            try await prepared.decideAndRecordConcurrently(64)
            benchmark.stopMeasurement()
        } setup: {
            try AuditedTodoDecision.sqlite(durability)
        }
    }
}
