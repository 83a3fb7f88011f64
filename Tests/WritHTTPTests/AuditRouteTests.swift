import Cedar
import Foundation
import HTTPTypes
import Testing
import WritCore
import WritHTTP

/// `GET /v1/audit` on a real server: filters, pages, the `audit` scope, hostile parameters.
@Suite struct AuditRoutes {
    /// Records six decisions: task t1 for odd n, t2 for even; deny for n divisible by 3.
    static func recordSix(_ client: TestServer.Client) async throws {
        let log = try await AuditLog.open(
            store: client.service.store, signingKey: .generate(), configuration: .init(checkpointInterval: nil))
        for n in 1...6 {
            try await log.record([
                AuditEvent(
                    kind: .decision, time: Date(timeIntervalSince1970: 1_750_000_000 + Double(n)), actor: "pep",
                    decisionID: "d\(n)", taskID: n % 2 == 1 ? "t1" : "t2", agent: "bot", user: "alice",
                    resource: "Tool::\"search\"", action: "Action::\"call\"", outcome: n % 3 == 0 ? .deny : .allow,
                    details: ["n": .number(.init(Int64(n)))])
            ])
        }
        try await log.close()
    }

    static func sequences(_ reply: Reply) -> [Int] {
        (reply.object["records"] as? [[String: Any]] ?? []).compactMap { $0["sequence"] as? Int }
    }

    @Test func recordsAreFilteredAndPagedWithTheNextCursor() async throws {
        try await TestServer().run { client in
            try await Self.recordSix(client)
            let first = try await client.send(.get, "/v1/audit?task=t1&limit=2")
            let next = try #require(first.object["next"] as? String)
            let second = try await client.send(.get, "/v1/audit?task=t1&limit=2&after=\(next)")
            let denied = try await client.send(.get, "/v1/audit?outcome=deny&order=oldest")
            #expect(first.status == 200)
            #expect(Self.sequences(first) == [5, 3])
            #expect(Self.sequences(second) == [1])
            #expect(second.object["next"] == nil)
            #expect(Self.sequences(denied) == [3, 6])
        }
    }

    @Test func aRecordCarriesItsFieldsDetailsAndHashes() async throws {
        try await TestServer().run { client in
            try await Self.recordSix(client)
            let reply = try await client.send(.get, "/v1/audit?decision=d2")
            let record = try #require((reply.object["records"] as? [[String: Any]])?.first)
            #expect(record["time"] as? String == "2025-06-15T15:06:42.000000Z")
            #expect(record["kind"] as? String == "decision")
            #expect(record["task_id"] as? String == "t2")
            #expect(record["outcome"] as? String == "allow")
            #expect((record["details"] as? [String: Any])?["n"] as? Int == 2)
            #expect((record["hash"] as? String)?.count == 64)
        }
    }

    @Test func readingTheAuditLogNeedsTheAuditScope() async throws {
        try await TestServer(auth: .required).run { client in
            let decide = try await client.makeKey("pep", [.decide]).token
            let auditor = try await client.makeKey("auditor", [.audit]).token
            let refused = try await client.send(.get, "/v1/audit", key: decide)
            let allowed = try await client.send(.get, "/v1/audit", key: auditor)
            #expect(refused.status == 403)
            #expect(allowed.status == 200)
            #expect(allowed.body == #"{"records":[]}"#)
        }
    }

    @Test(arguments: [
        ("limit=0", "limit"), ("limit=1001", "limit"), ("limit=ten", "limit"), ("outcome=maybe", "outcome"),
        ("kind=decided", "kind"), ("since=yesterday", "since"), ("until=2026-13-01T00:00:00Z", "until"),
        ("after=-1", "after"), ("order=random", "order"), ("task=", "task"), ("agent=a%00b", "agent"),
        ("bogus=1", "bogus"), ("task=a&task=b", "task"),
    ])
    func aHostileQueryParameterIsA400NamingIt(_ query: String, _ parameter: String) async throws {
        try await TestServer().run { client in
            let reply = try await client.send(.get, "/v1/audit?\(query)")
            #expect(reply.status == 400)
            #expect(reply.errorCode == "invalid_request")
            let message = (reply.object["error"] as? [String: Any])?["message"] as? String ?? ""
            #expect(message.contains("`\(parameter)`"))
        }
    }
}
