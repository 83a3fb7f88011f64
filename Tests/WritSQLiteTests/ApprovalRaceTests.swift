import Foundation
import Testing
import WritCore
import WritSQLite

/// Approvals decided and consumed concurrently against the SQLite store: exactly one
/// outcome each time.
@Suite struct ApprovalRaceTests {
    static func pending(_ id: String, now: Date) -> ApprovalRecord {
        ApprovalRecord(
            id: id, digest: "d-\(id)", principal: #"Writ::Agent::"a""#, action: #"Writ::Action::"send""#,
            resource: #"Writ::Tool::"mail""#, arguments: "null", taskID: "t_1",
            policies: [ApprovablePolicy(policyID: "p", text: "ask")], state: .pending, requestedAt: now,
            expiresAt: now.addingTimeInterval(900))
    }

    /// One of two concurrent calls: whether it won, or the error it lost with.
    enum Outcome: Sendable, Equatable {
        case won(ApprovalState)
        case lost(WritError.Code)
    }

    /// A store in memory-backed files when the system has them (`/dev/shm`): the same
    /// SQLite, WAL and transactions, without waiting on the disk for 30,000 commits.
    static func fastStore() throws -> (store: SQLiteStore, remove: @Sendable () -> Void) {
        let shm = "/dev/shm"
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: shm, isDirectory: &isDirectory), isDirectory.boolValue else {
            let directory = try TestDirectory()
            return (try SQLiteStore(directory: directory.path), { directory.remove() })
        }
        let path = "\(shm)/writ-approval-race-\(UUID().uuidString).sqlite"
        return (try SQLiteStore(path: path), {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        })
    }

    @Test func tenThousandConcurrentApproveAndRefuseRoundsEachHaveExactlyOneOutcome() async throws {
        let (store, remove) = try Self.fastStore()
        defer { remove() }
        let approvals = ApprovalService(store: store)
        let rounds = 10_000
        let lanes = 16
        let tallies = try await withThrowingTaskGroup(of: [Int: [Outcome]].self) { group in
            for lane in 0..<lanes {
                group.addTask {
                    var outcomes: [Int: [Outcome]] = [:]
                    for round in stride(from: lane, to: rounds, by: lanes) {
                        let id = "apr_\(round)"
                        try await store.insertApproval(Self.pending(id, now: Date()))
                        outcomes[round] = await withTaskGroup(of: Outcome.self) { pair in
                            pair.addTask { await Self.outcome { try await approvals.approve(id: id, by: "alice") } }
                            pair.addTask { await Self.outcome { try await approvals.refuse(id: id, by: "bob") } }
                            return await pair.reduce(into: []) { $0.append($1) }
                        }
                    }
                    return outcomes
                }
            }
            return try await group.reduce(into: [Int: [Outcome]]()) { $0.merge($1) { a, _ in a } }
        }
        #expect(tallies.count == rounds)
        var approved = 0
        for (round, outcomes) in tallies {
            let won = outcomes.compactMap { if case .won(let state) = $0 { state } else { nil } }
            #expect(won.count == 1, "round \(round): \(outcomes)")
            #expect(outcomes.contains(Outcome.lost(.conflict)), "round \(round): \(outcomes)")
            if won == [ApprovalState.approved] { approved += 1 }
        }
        let stored = try await store.approvals(matching: ApprovalFilter())
        #expect(stored.count == rounds)
        #expect(stored.filter { $0.state == .approved }.count == approved)
        #expect(stored.filter { $0.state == .pending }.isEmpty)
        try store.close()
    }

    @Test func concurrentConsumersOfOneSingleUseApprovalHaveExactlyOneWinner() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(directory: directory.path)
        let approvals = ApprovalService(store: store)
        for round in 0..<200 {
            let id = "apr_\(round)"
            try await store.insertApproval(Self.pending(id, now: Date()))
            _ = try await approvals.approve(id: id, by: "alice")
            let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<8 { group.addTask { try await store.consumeApproval(id: id, at: Date()) } }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(wins == 1, "round \(round)")
        }
        try store.close()
    }

    private static func outcome(_ body: @Sendable () async throws -> ApprovalRecord) async -> Outcome {
        do {
            return .won(try await body().state)
        } catch {
            return .lost((error as? WritError)?.code ?? WritError.Code(rawValue: "\(error)"))
        }
    }
}
