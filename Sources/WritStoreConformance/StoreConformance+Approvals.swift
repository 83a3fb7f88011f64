import Foundation
import Testing
import WritCore

extension StoreConformance {
    static func approval(
        _ id: String, digest: String = "d1", requestedAt: Int = 1, expiresAt: Int = 100, state: ApprovalState = .pending
    ) -> ApprovalRecord {
        ApprovalRecord(
            id: id, digest: digest, principal: #"Writ::Agent::"a""#, action: #"Writ::Action::"send""#,
            resource: #"Writ::Tool::"mail""#, arguments: #"{"to":"caf\u00e9"}"#, taskID: "t_1",
            policies: [ApprovablePolicy(policyID: "p", text: Fixtures.awkwardText)], state: state,
            requestedAt: Fixtures.date(requestedAt), expiresAt: Fixtures.date(expiresAt))
    }

    static func verdict(_ state: ApprovalState, at: Int, scope: ApprovalScope? = .once, until: Int = 50) -> ApprovalVerdict {
        ApprovalVerdict(state: state, scope: scope, expiresAt: Fixtures.date(until), decidedAt: Fixtures.date(at), decidedBy: "key-1")
    }

    static let approvals: [StoreConformanceCase] = [
        .init("approvals: inserted approvals read back exactly; an unknown id is nil") { store async throws in
            let record = approval(Fixtures.awkwardText)
            try await store.insertApproval(record)
            #expect(try await store.approval(id: Fixtures.awkwardText) == record)
            #expect(try await store.approval(id: "missing") == nil)
        },
        .init("approvals: inserting an existing id is a conflict and keeps the first") { store in
            try await store.insertApproval(approval("a1"))
            let error = await #expect(throws: WritError.self) { try await store.insertApproval(approval("a1", digest: "d2")) }
            #expect(error?.code == .conflict)
            #expect(try await store.approval(id: "a1")?.digest == "d1")
        },
        .init("approvals: listed oldest first, filtered by state, digest and expiry") { store in
            try await store.insertApproval(approval("late", requestedAt: 3))
            try await store.insertApproval(approval("early", digest: "d2", requestedAt: 1, expiresAt: 5))
            try await store.insertApproval(approval("mid", requestedAt: 2, state: .refused))
            #expect(try await store.approvals(matching: ApprovalFilter()).map(\.id) == ["early", "mid", "late"])
            #expect(try await store.approvals(matching: ApprovalFilter(state: .pending)).map(\.id) == ["early", "late"])
            #expect(try await store.approvals(matching: ApprovalFilter(digest: "d1")).map(\.id) == ["mid", "late"])
            let unexpired = ApprovalFilter(unexpired: true, now: Fixtures.date(5))
            #expect(try await store.approvals(matching: unexpired).map(\.id) == ["mid", "late"])
            #expect(try await store.approvals(matching: ApprovalFilter(limit: 1)).map(\.id) == ["early"])
            #expect(try await store.approvals(matching: ApprovalFilter(limit: 0)).isEmpty)
        },
        .init("approvals: a pending approval is decided once; the second decision changes nothing") { store in
            try await store.insertApproval(approval("a1"))
            let decided = try #require(try await store.decideApproval(id: "a1", verdict(.approved, at: 10)))
            #expect(decided.state == .approved)
            #expect(decided.scope == .once)
            #expect(decided.decidedBy == "key-1")
            #expect(decided.expiresAt == Fixtures.date(50))
            #expect(try await store.decideApproval(id: "a1", verdict(.refused, at: 11, scope: nil)) == nil)
            #expect(try await store.approval(id: "a1") == decided)
            #expect(try await store.decideApproval(id: "missing", verdict(.approved, at: 10)) == nil)
        },
        .init("approvals: an expired pending approval cannot be decided") { store in
            try await store.insertApproval(approval("a1", expiresAt: 10))
            #expect(try await store.decideApproval(id: "a1", verdict(.approved, at: 10)) == nil)
            #expect(try await store.approval(id: "a1")?.state == .pending)
        },
        .init("approvals: a single-use approval is consumed exactly once, and only while it grants") { store in
            try await store.insertApproval(approval("once"))
            try await store.insertApproval(approval("wide"))
            try await store.insertApproval(approval("pending"))
            _ = try await store.decideApproval(id: "once", verdict(.approved, at: 10))
            _ = try await store.decideApproval(id: "wide", verdict(.approved, at: 10, scope: .task))
            #expect(try await store.consumeApproval(id: "once", at: Fixtures.date(50)) == false)
            #expect(try await store.consumeApproval(id: "once", at: Fixtures.date(20)))
            #expect(try await store.consumeApproval(id: "once", at: Fixtures.date(21)) == false)
            #expect(try await store.approval(id: "once")?.state == .consumed)
            #expect(try await store.consumeApproval(id: "wide", at: Fixtures.date(20)) == false)
            #expect(try await store.consumeApproval(id: "pending", at: Fixtures.date(20)) == false)
            #expect(try await store.consumeApproval(id: "missing", at: Fixtures.date(20)) == false)
        },
    ]
}
