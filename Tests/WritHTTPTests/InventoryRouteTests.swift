import Cedar
import Foundation
import HTTPTypes
import Testing
import WritCore
import WritHTTP

/// `/v1/inventory` on a real server over loopback, serving examples/agent-demo.
@Suite struct InventoryRoutes {
    static let server = TestServer(auth: .required, example: "agent-demo", tasks: true)

    static let mailSchema = #"{"type": "object", "properties": {"to": {"type": "string"}}, "required": ["to"]}"#
    static let document = #"""
        {"version": 1, "items": [
          {"uid": "Writ::Agent::\"support-bot\"", "owner": "Writ::User::\"ops\"", "description": "answers tickets",
           "parents": ["Writ::AgentGroup::\"support\""]},
          {"uid": "Writ::Tool::\"mail___send_email\"", "owner": "Writ::User::\"ops\"", "labels": ["can-send-out"],
           "parents": ["Writ::McpServer::\"mail\""],
           "definition": {"name": "send_email", "description": "Send an email.", "inputSchema": \#(mailSchema)}}
        ]}
        """#

    struct Keys {
        let manage: String
        let approve: String
        let decide: String
        init(_ client: TestServer.Client) async throws {
            manage = try await client.makeKey("admin", [.manage]).token
            approve = try await client.makeKey("ops-approves", [.approve]).token
            decide = try await client.makeKey("pep", [.decide]).token
        }
    }

    @Test func anAppliedDocumentReadsBackWithItsRevision() async throws {
        try await Self.server.run { client in
            let keys = try await Keys(client)
            let put = try await client.send(.put, "/v1/inventory", json: Self.document, key: keys.manage)
            #expect(put.status == 200)
            #expect(put.body == #"{"revision":1,"added":2,"changed":0,"removed":0,"unchanged":0}"#)
            let list = try await client.send(.get, "/v1/inventory", key: keys.manage)
            #expect(list.status == 200)
            #expect(list.object["revision"] as? Int == 1)
            #expect((list.object["items"] as? [[String: Any]])?.map { $0["uid"] as? String } == [
                #"Writ::Agent::"support-bot""#, #"Writ::Tool::"mail___send_email""#,
            ])
            let one = try await client.send(.get, "/v1/inventory/tool/mail___send_email", key: keys.manage)
            #expect(one.status == 200)
            #expect(one.object["hash"] as? String == "sha256:6be62a925f0ef6b2fd5808667be474e6471b27b42609dfd94aa9ae475e4e4c6a")
            #expect(one.object["state"] as? String == "active")
        }
    }

    @Test func aDocumentWithoutAnOwnerIs400AndChangesNothing() async throws {
        try await Self.server.run { client in
            let keys = try await Keys(client)
            let bad = #"{"version": 1, "items": [{"uid": "Writ::Agent::\"x\""}]}"#
            let put = try await client.send(.put, "/v1/inventory", json: bad, key: keys.manage)
            #expect(put.status == 400)
            #expect(put.errorCode == "missing_field")
            let list = try await client.send(.get, "/v1/inventory", key: keys.manage)
            #expect(list.body == #"{"version":1,"revision":0,"items":[]}"#)
        }
    }

    @Test func applyingNeedsTheManageScope() async throws {
        try await Self.server.run { client in
            let keys = try await Keys(client)
            let put = try await client.send(.put, "/v1/inventory", json: Self.document, key: keys.decide)
            #expect(put.status == 403)
        }
    }

    @Test func anUnknownItemIs404() async throws {
        try await Self.server.run { client in
            let keys = try await Keys(client)
            #expect(try await client.send(.get, "/v1/inventory/tool/nope", key: keys.manage).status == 404)
            #expect(try await client.send(.get, "/v1/inventory/widget/nope", key: keys.manage).status == 404)
        }
    }

    @Test func anUnregisteredToolIsDeniedUnregisteredOverAuthZEN() async throws {
        try await AgentDemo.demo.run { client in
            let desk = try await AgentDemo.Desk(client)
            let task = try await desk.open()
            let body = try AgentDemo.json([
                "subject": ["type": "agent", "id": "support-bot"], "action": ["name": "docs___search"],
                "resource": ["type": "tool", "id": "docs___unlisted"], "context": ["input": ["query": "refunds"]],
            ])
            let answer = try await desk.decide(body, credential: task.credential)
            #expect(answer.decision == false)
            #expect(answer.reason == "unregistered")
        }
    }

    @Test func aQuarantinedToolIsDeniedThenItsOwnerApprovesIt() async throws {
        try await Self.server.run { client in
            let keys = try await Keys(client)
            #expect(try await client.send(.put, "/v1/inventory", json: Self.document, key: keys.manage).status == 200)
            let desk = try await AgentDemo.Desk(client)
            let task = try await desk.open()
            let email = try AgentDemo.call("mail___send_email", ["to": "customer@example.com"])
            #expect(try await desk.decide(email, credential: task.credential).decision == true)
            let changed = try ToolDefinition(name: "send_email", description: "Send any email.", inputSchema: Self.mailSchema)
            let inventory = InventoryService(decisions: client.service)
            #expect(try await inventory.observe(changed, of: EntityUID("Writ::Tool", "mail___send_email"), actor: "gateway") == .quarantined)
            #expect(try await desk.decide(email, credential: task.credential).reason == "tool_changed")

            let path = "/v1/inventory/tool/mail___send_email/approve"
            let byMallory = try await client.send(.post, path, json: #"{"by": "Writ::User::\"mallory\""}"#, key: keys.approve)
            #expect(byMallory.status == 403)
            let withDecideKey = try await client.send(.post, path, json: #"{"by": "Writ::User::\"ops\""}"#, key: keys.decide)
            #expect(withDecideKey.status == 403)
            let approved = try await client.send(
                .post, path, json: #"{"by": "Writ::User::\"ops\"", "hash": "\#(changed.hash)"}"#, key: keys.approve)
            #expect(approved.status == 200)
            #expect(approved.object["hash"] as? String == changed.hash)
            #expect(try await desk.decide(email, credential: task.credential).decision == true)
            let again = try await client.send(.post, path, json: #"{"by": "Writ::User::\"ops\""}"#, key: keys.manage)
            #expect(again.status == 409)
        }
    }

    @Test func anApprovalWithAnUnknownMemberIs400() async throws {
        try await Self.server.run { client in
            let keys = try await Keys(client)
            let reply = try await client.send(
                .post, "/v1/inventory/tool/mail___send_email/approve", json: #"{"by": "Writ::User::\"ops\"", "sure": true}"#,
                key: keys.approve)
            #expect(reply.status == 400)
        }
    }

    @Test func aDocumentOverTheDocumentLimitIs413() async throws {
        var limits = RequestLimits()
        limits.maxDocumentBytes = 4096
        let server = TestServer(auth: .off, limits: limits, example: "agent-demo")
        let reply = try await server.run { client in
            try await client.send(.put, "/v1/inventory", json: Self.document + String(repeating: " ", count: 4096))
        }
        #expect(reply.status == 413)
    }

    @Test func anIDWithASpaceIsReadPercentEncoded() async throws {
        try await Self.server.run { client in
            let keys = try await Keys(client)
            let document = #"{"version": 1, "items": [{"uid": "Writ::Agent::\"night bot\"", "owner": "Writ::User::\"ops\""}]}"#
            #expect(try await client.send(.put, "/v1/inventory", json: document, key: keys.manage).status == 200)
            let one = try await client.send(.get, "/v1/inventory/agent/night%20bot", key: keys.manage)
            #expect(one.status == 200)
            #expect(one.object["uid"] as? String == #"Writ::Agent::"night bot""#)
        }
    }
}
