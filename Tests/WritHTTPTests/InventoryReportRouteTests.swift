import Cedar
import Foundation
import HTTPTypes
import Testing
import WritCore
import WritHTTP

/// `GET /v1/inventory/report` on a real server over loopback, serving examples/agent-demo,
/// recording its decisions in its SQLite store's audit log.
@Suite struct InventoryReportRoutes {
    /// Records into the audit log of the server's store, once the test opened it.
    actor StoreLog: AuditSink {
        private var log: AuditLog?
        func open(_ client: TestServer.Client) async throws {
            log = try await AuditLog.open(
                store: client.service.store, signingKey: .generate(), configuration: .init(checkpointInterval: nil))
        }
        func record(_ events: [AuditEvent]) async throws(WritError) { try await log?.record(events) }
    }

    static func keys(_ client: TestServer.Client) async throws -> (manage: String, audit: String) {
        (try await client.makeKey("admin", [.manage]).token, try await client.makeKey("auditor", [.audit]).token)
    }

    @Test func theReportCarriesTheDecisionTheServerRecorded() async throws {
        let log = StoreLog()
        try await TestServer(auth: .required, example: "agent-demo", tasks: true, audit: log).run { client in
            try await log.open(client)
            let keys = try await Self.keys(client)
            #expect(try await client.send(.put, "/v1/inventory", json: InventoryRoutes.document, key: keys.manage).status == 200)
            let desk = try await AgentDemo.Desk(client)
            let task = try await desk.open()
            let email = try AgentDemo.call("mail___send_email", ["to": "customer@example.com"])
            #expect(try await desk.decide(email, credential: task.credential).decision == true)

            let reply = try await client.send(.get, "/v1/inventory/report?last=1", key: keys.audit)
            #expect(reply.status == 200)
            #expect(reply.header("Content-Type") == "application/json")
            #expect(reply.object["format"] as? String == "writ-inventory-report/1")
            let resources = try #require(reply.object["resources"] as? [[String: Any]])
            #expect(resources.map { $0["uid"] as? String } == [#"Writ::Tool::"mail___send_email""#])
            let decisions = try #require(resources.first?["decisions"] as? [[String: Any]])
            #expect(decisions.map { $0["decision"] as? String } == ["allow"])
            #expect(decisions.map { $0["policies"] as? [String] } == [["support-agents-call-tools"]])
            #expect(decisions.map { $0["task"] as? String } == [task.id])
        }
    }

    @Test func theReportNeedsTheAuditScope() async throws {
        try await TestServer(auth: .required, example: "agent-demo").run { client in
            let keys = try await Self.keys(client)
            #expect(try await client.send(.get, "/v1/inventory/report", key: keys.manage).status == 403)
            #expect(try await client.send(.get, "/v1/inventory/report", key: keys.audit).status == 200)
        }
    }

    @Test func htmlIsOneSelfContainedPage() async throws {
        try await TestServer(auth: .off, example: "agent-demo").run { client in
            #expect(try await client.send(.put, "/v1/inventory", json: InventoryRoutes.document).status == 200)
            let reply = try await client.send(.get, "/v1/inventory/report?format=html")
            #expect(reply.status == 200)
            #expect(reply.header("Content-Type") == "text/html; charset=utf-8")
            #expect(reply.body.hasPrefix("<!DOCTYPE html>"))
            #expect(reply.body.contains(#"<tr data-kind="tool" data-resource="Tool::&quot;mail___send_email&quot;""#))
        }
    }

    @Test func outOfRangeUnknownOrRepeatedParametersAre400NamingThem() async throws {
        try await TestServer(auth: .off, example: "agent-demo").run { client in
            let replies = [
                try await client.send(.get, "/v1/inventory/report?last=1001"),
                try await client.send(.get, "/v1/inventory/report?last=-1"),
                try await client.send(.get, "/v1/inventory/report?last=99999999999999999999999"),
                try await client.send(.get, "/v1/inventory/report?format=xml"),
                try await client.send(.get, "/v1/inventory/report?limit=3"),
                try await client.send(.get, "/v1/inventory/report?last=1&last=2"),
            ]
            #expect(replies.map(\.status) == [400, 400, 400, 400, 400, 400])
            #expect(replies.map(\.errorCode) == Array(repeating: "invalid_request", count: 6))
            #expect(replies[0].body.contains("`last` must be 0 to 1000, not `1001`"))
            #expect(replies[3].body.contains("`format` must be json or html, not `xml`"))
            #expect(replies[4].body.contains("unknown parameter `limit`"))
        }
    }
}
