import Cedar
import Foundation
import Testing
import WritCore

extension StoreConformance {
    static let audit: [StoreConformanceCase] = [
        .init("audit: an empty store has no records, the empty head and no checkpoints") { store async throws in
            #expect(try await store.auditHead() == .empty)
            #expect(try await store.auditRows(from: 1, limit: 10) == [])
            #expect(try await store.queryAuditRows(AuditQuery()) == [])
            #expect(try await store.auditCheckpoints() == [])
        },
        .init("audit: appended rows read back exactly, every column and every byte") { store in
            let rows = AuditFixtures.chain(3)
            try await store.appendAuditRows(rows)
            #expect(Exact.text(try await store.auditRows(from: 1, limit: 10)) == Exact.text(rows))
            #expect(try await store.auditHead() == AuditHead(sequence: 3, hash: rows[2].hash))
        },
        .init("audit: awkward text in every column reads back scalar for scalar") { store in
            let awkward = Fixtures.awkwardText
            let event = AuditEvent(
                kind: .decision, time: Fixtures.date(1), actor: awkward, decisionID: awkward, taskID: awkward,
                agent: awkward, user: awkward, resource: awkward, action: awkward, outcome: .ask,
                details: ["text": .string(awkward)])
            let row = AuditCanonical.encode(event, sequence: 1, previousHash: AuditCanonical.zeroHash)
            try await store.appendAuditRows([row])
            #expect(Exact.text(try await store.auditRows(from: 1, limit: 1)) == Exact.text([row]))
            #expect(try await store.queryAuditRows(AuditQuery(taskID: awkward)).map(\.sequence) == [1])
            #expect(try await store.queryAuditRows(AuditQuery(taskID: "caf\u{E9}")).map(\.sequence) == [])
        },
        .init("audit: an append whose first sequence is not head + 1 is a conflict and stores nothing") { store async throws in
            let rows = AuditFixtures.chain(4)
            try await store.appendAuditRows(Array(rows[0..<2]))
            for bad in [[rows[3]], [rows[0]], [rows[1]]] {
                let error = await #expect(throws: WritError.self) { try await store.appendAuditRows(bad) }
                #expect(error?.code == .conflict)
            }
            #expect(try await store.auditHead().sequence == 2)
        },
        .init("audit: an append with a gap inside the batch is a conflict and stores none of it") { store async throws in
            let rows = AuditFixtures.chain(4)
            let error = await #expect(throws: WritError.self) {
                try await store.appendAuditRows([rows[0], rows[1], rows[3]])
            }
            #expect(error?.code == .conflict)
            #expect(try await store.auditRows(from: 1, limit: 10) == [])
        },
        .init("audit: rows are read by sequence range in pages") { store in
            try await store.appendAuditRows(AuditFixtures.chain(7))
            #expect(try await store.auditRows(from: 3, limit: 2).map(\.sequence) == [3, 4])
            #expect(try await store.auditRows(from: 6, limit: 5).map(\.sequence) == [6, 7])
            #expect(try await store.auditRows(from: 8, limit: 5).map(\.sequence) == [])
            #expect(try await store.auditRows(from: 1, limit: 0).map(\.sequence) == [])
        },
        .init("audit: queries select on task, agent, user, resource, action, actor and decision id") { store in
            try await store.appendAuditRows(AuditFixtures.chain(12))
            #expect(try await store.queryAuditRows(AuditQuery(taskID: "t1")).map(\.sequence) == [10, 7, 4, 1])
            #expect(try await store.queryAuditRows(AuditQuery(agent: "bot-1")).map(\.sequence) == [11, 9, 7, 5, 3, 1])
            #expect(try await store.queryAuditRows(AuditQuery(user: "alice")).map(\.sequence) == [9, 5, 1])
            #expect(try await store.queryAuditRows(AuditQuery(resource: "Tool::\"t2\"")).map(\.sequence) == [12, 10, 8, 6, 4, 2])
            #expect(try await store.queryAuditRows(AuditQuery(action: "Action::\"call\"")).map(\.sequence).count == 12)
            #expect(try await store.queryAuditRows(AuditQuery(actor: "k2")).map(\.sequence) == [11, 8, 5, 2])
            #expect(try await store.queryAuditRows(AuditQuery(decisionID: "d5")).map(\.sequence) == [5])
            #expect(try await store.queryAuditRows(AuditQuery(taskID: "t1", agent: "bot-1")).map(\.sequence) == [7, 1])
        },
        .init("audit: queries select on outcome, kind and a time range") { store in
            try await store.appendAuditRows(AuditFixtures.chain(12))
            #expect(try await store.queryAuditRows(AuditQuery(outcome: .deny)).map(\.sequence) == [11, 8, 5, 2])
            #expect(try await store.queryAuditRows(AuditQuery(kind: .taskOpened)).map(\.sequence) == [12, 6])
            #expect(
                try await store.queryAuditRows(AuditQuery(since: Fixtures.date(3), until: Fixtures.date(6))).map(\.sequence)
                    == [5, 4, 3])
        },
        .init("audit: records appended one at a time are all found by every query, paged in either order") { store in
            // More records than a store may keep outside its indexes at once (SQLite
            // indexes them in batches): queries must see the indexed and the pending alike.
            let rows = AuditFixtures.chain(300)
            for row in rows { try await store.appendAuditRows([row]) }
            let queries: [(AuditQuery, (AuditRow) -> Bool)] = [
                (AuditQuery(taskID: "t1"), { $0.taskID == "t1" }),
                (AuditQuery(agent: "bot-2"), { $0.agent == "bot-2" }),
                (AuditQuery(user: "carol"), { $0.user == "carol" }),
                (AuditQuery(resource: "Tool::\"t1\""), { $0.resource == "Tool::\"t1\"" }),
                (AuditQuery(decisionID: "d299"), { $0.decisionID == "d299" }),
                (AuditQuery(decisionID: "d5"), { $0.decisionID == "d5" }),
                (AuditQuery(since: Fixtures.date(250), until: Fixtures.date(290)), { (250..<290).contains($0.sequence) }),
                (AuditQuery(), { _ in true }),
            ]
            for (query, matches) in queries {
                let expected = rows.filter(matches).map(\.sequence)
                for newestFirst in [true, false] {
                    var paged: [Int] = []
                    var page = query
                    page.limit = 7
                    page.newestFirst = newestFirst
                    while true {
                        let got = try await store.queryAuditRows(page).map(\.sequence)
                        paged += got
                        guard got.count == 7, let last = got.last else { break }
                        page.after = last
                    }
                    #expect(paged == (newestFirst ? expected.reversed() : expected), "\(query) newest first: \(newestFirst)")
                }
            }
        },
        .init("audit: a cursor and a limit page through a query in either order") { store in
            try await store.appendAuditRows(AuditFixtures.chain(10))
            #expect(try await store.queryAuditRows(AuditQuery(limit: 3)).map(\.sequence) == [10, 9, 8])
            #expect(try await store.queryAuditRows(AuditQuery(after: 8, limit: 3)).map(\.sequence) == [7, 6, 5])
            #expect(try await store.queryAuditRows(AuditQuery(limit: 3, newestFirst: false)).map(\.sequence) == [1, 2, 3])
            #expect(
                try await store.queryAuditRows(AuditQuery(after: 3, limit: 3, newestFirst: false)).map(\.sequence)
                    == [4, 5, 6])
            #expect(try await store.queryAuditRows(AuditQuery(agent: "bot-2", after: 6, limit: 2)).map(\.sequence) == [4, 2])
            #expect(try await store.queryAuditRows(AuditQuery(limit: 0)) == [])
            #expect(try await store.queryAuditRows(AuditQuery(after: 1)) == [])
        },
        .init("audit: checkpoints read back exactly, in the order stored") { store in
            let key = AuditSigningKey.generate()
            let rows = AuditFixtures.chain(2)
            let first = try key.sign(AuditHead(sequence: 2, hash: rows[1].hash), at: Fixtures.date(5))
            let second = try key.sign(AuditHead.empty, at: Fixtures.date(6))
            try await store.insertAuditCheckpoint(first)
            try await store.insertAuditCheckpoint(second)
            #expect(Exact.text(try await store.auditCheckpoints()) == Exact.text([first, second]))
        },
        .init("durable: audit records and checkpoints survive reopening, and the head continues", requires: .durable) {
            store, harness in
            let rows = AuditFixtures.chain(5)
            try await store.appendAuditRows(Array(rows[0..<3]))
            let checkpoint = try AuditSigningKey.generate().sign(AuditHead(sequence: 3, hash: rows[2].hash), at: Fixtures.date(9))
            try await store.insertAuditCheckpoint(checkpoint)
            let reopened = try await harness.openStore()
            #expect(try await reopened.auditHead() == AuditHead(sequence: 3, hash: rows[2].hash))
            #expect(Exact.text(try await reopened.auditCheckpoints()) == Exact.text([checkpoint]))
            try await reopened.appendAuditRows(Array(rows[3...]))
            #expect(Exact.text(try await reopened.auditRows(from: 1, limit: 10)) == Exact.text(rows))
        },
    ]
}

/// Audit rows for conformance cases.
enum AuditFixtures {
    /// A valid chain of `count` records; record n (1-based) is at second n, for task
    /// `t\((n - 1) % 3 + 1)`, agent `bot-\((n - 1) % 2 + 1)`, user alice/bob/carol/dave by
    /// `(n - 1) % 4`, resource `Tool::"t\((n - 1) % 2 + 1)"`, actor `k\((n - 1) % 3 + 1)`,
    /// decision id `d<n>`, outcome allow/deny/ask by `(n - 1) % 3`, and every sixth a
    /// `task.opened`.
    static func chain(_ count: Int) -> [AuditRow] {
        let users = ["alice", "bob", "carol", "dave"]
        let outcomes: [AuditOutcome] = [.allow, .deny, .ask]
        var rows: [AuditRow] = []
        var previous = AuditCanonical.zeroHash
        for n in 1...max(1, count) where n <= count {
            let opened = n % 6 == 0
            let event = AuditEvent(
                kind: opened ? .taskOpened : .decision, time: Fixtures.date(n), actor: "k\((n - 1) % 3 + 1)",
                decisionID: opened ? nil : "d\(n)", taskID: "t\((n - 1) % 3 + 1)", agent: "bot-\((n - 1) % 2 + 1)",
                user: users[(n - 1) % 4], resource: "Tool::\"t\((n - 1) % 2 + 1)\"", action: "Action::\"call\"",
                outcome: opened ? nil : outcomes[(n - 1) % 3], details: ["n": .number(JSONNumber(Int64(n)))])
            let row = AuditCanonical.encode(event, sequence: n, previousHash: previous)
            previous = row.hash
            rows.append(row)
        }
        return rows
    }
}
