import Foundation
import HTTPTypes
import Testing
import WritCore
import WritHTTP

/// Approvals over HTTP with examples/lethal-trifecta: after a task read private data
/// and untrusted content, sending email asks a person; an approval allows that exact
/// call (once, or for the task), a refusal denies it.
@Suite struct ApprovalRoutes {
    static let server = LethalTrifecta.server

    /// The trifecta's desk with an approver's key.
    struct Approver {
        let desk: LethalTrifecta.Desk
        let key: String
        var client: TestServer.Client { desk.client }

        init(_ client: TestServer.Client) async throws {
            desk = try await LethalTrifecta.Desk(client)
            key = try await client.makeKey("alice-approves", [.approve]).token
        }

        /// A task that has read private data and untrusted content.
        func taintedTask() async throws -> (id: String, credential: String) {
            let task = try await desk.open()
            #expect(try await desk.decide(LethalTrifecta.lookup, credential: task.credential).allowed == true)
            #expect(try await desk.decide(LethalTrifecta.fetch, credential: task.credential).allowed == true)
            return task
        }

        /// The full decision body.
        func decide(_ body: String, credential: String) async throws -> [String: Any] {
            let reply = try await client.send(
                .post, "/access/v1/evaluation", json: body, headers: [WritServer.taskCredentialHeader: credential],
                key: desk.base.pep)
            #expect(reply.status == 200)
            return reply.object
        }

        func post(_ path: String, json: String? = nil, key: String? = nil) async throws -> Reply {
            try await client.send(.post, path, json: json, key: key ?? self.key)
        }
    }

    static func context(_ answer: [String: Any]) -> [String: Any] { answer["context"] as? [String: Any] ?? [:] }

    /// The approval id an `approval_required` answer names.
    static func approvalID(_ answer: [String: Any]) throws -> String {
        let request = try #require(context(answer)["access_request"] as? [String: Any])
        let approval = try #require(request["approval"] as? [String: Any])
        return try #require(approval["id"] as? String)
    }

    @Test func egressAfterPrivateAndUntrustedAsksWithWhatThePersonSees() async throws {
        try await Self.server.run { client in
            let approver = try await Approver(client)
            let task = try await approver.taintedTask()
            let answer = try await approver.decide(LethalTrifecta.email, credential: task.credential)
            #expect(answer["decision"] as? Bool == false)
            let context = Self.context(answer)
            #expect(context["reason"] as? String == "approval_required")
            #expect(context["reasons"] as? [String] == ["lethal-trifecta"])
            let request = try #require(context["access_request"] as? [String: Any])
            let approval = try #require(request["approval"] as? [String: Any])
            #expect(context["evaluation_id"] as? String == approval["id"] as? String)
            #expect(request["endpoint"] as? String == "/v1/approvals/\(try Self.approvalID(answer))")
            #expect(approval["status"] as? String == "pending")
            #expect(approval["principal"] as? String == #"Writ::Agent::"assistant""#)
            #expect(approval["action"] as? String == #"Writ::Action::"mail___send_email""#)
            #expect(approval["arguments"] as? [String: String] == ["to": "bob@customer.example"])
            #expect(approval["task"] as? String == task.id)
            let policies = try #require(approval["policies"] as? [[String: String]])
            #expect(policies.map { $0["policy"] } == ["lethal-trifecta"])
            #expect(policies.first?["text"]?.hasPrefix("The task has read private data and untrusted content") == true)

            // Asking again before anyone decided names the same approval.
            let again = try await approver.decide(LethalTrifecta.email, credential: task.credential)
            #expect(try Self.approvalID(again) == (try Self.approvalID(answer)))
            let pending = try await client.send(.get, "/v1/approvals?state=pending", key: approver.key)
            #expect((pending.object["approvals"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [try Self.approvalID(answer)])
        }
    }

    @Test func anApprovalAllowsTheSameCallOnceThenItAsksAgain() async throws {
        try await Self.server.run { client in
            let approver = try await Approver(client)
            let task = try await approver.taintedTask()
            let id = try Self.approvalID(try await approver.decide(LethalTrifecta.email, credential: task.credential))
            let approved = try await approver.post("/v1/approvals/\(id)/approve")
            #expect(approved.status == 200)
            #expect(approved.object["status"] as? String == "approved")
            #expect(approved.object["scope"] as? String == "once")

            let allowed = try await approver.decide(LethalTrifecta.email, credential: task.credential)
            #expect(allowed["decision"] as? Bool == true)
            #expect(Self.context(allowed)["reasons"] as? [String] == ["assistants-call-tools"])
            let consumed = try await client.send(.get, "/v1/approvals/\(id)", key: approver.key)
            #expect(consumed.object["status"] as? String == "consumed")

            let second = try await approver.decide(LethalTrifecta.email, credential: task.credential)
            #expect(second["decision"] as? Bool == false)
            #expect(Self.context(second)["reason"] as? String == "approval_required")
            #expect(try Self.approvalID(second) != id)
        }
    }

    @Test func differentArgumentsNeedTheirOwnApproval() async throws {
        try await Self.server.run { client in
            let approver = try await Approver(client)
            let task = try await approver.taintedTask()
            let id = try Self.approvalID(try await approver.decide(LethalTrifecta.email, credential: task.credential))
            #expect(try await approver.post("/v1/approvals/\(id)/approve", json: #"{"scope": "task"}"#).status == 200)
            let other = LethalTrifecta.tool("mail___send_email", #"{"to": "mallory@evil.example"}"#)
            let answer = try await approver.decide(other, credential: task.credential)
            #expect(answer["decision"] as? Bool == false)
            #expect(Self.context(answer)["reason"] as? String == "approval_required")
            // The task-wide approval keeps allowing the approved call.
            #expect(try await approver.decide(LethalTrifecta.email, credential: task.credential)["decision"] as? Bool == true)
            #expect(try await approver.decide(LethalTrifecta.email, credential: task.credential)["decision"] as? Bool == true)
        }
    }

    @Test func aRefusedApprovalDeniesTheCallWithApprovalRefused() async throws {
        try await Self.server.run { client in
            let approver = try await Approver(client)
            let task = try await approver.taintedTask()
            let id = try Self.approvalID(try await approver.decide(LethalTrifecta.email, credential: task.credential))
            let refused = try await approver.post("/v1/approvals/\(id)/refuse")
            #expect(refused.status == 200)
            #expect(refused.object["status"] as? String == "refused")
            let answer = try await approver.decide(LethalTrifecta.email, credential: task.credential)
            #expect(answer["decision"] as? Bool == false)
            #expect(Self.context(answer)["reason"] as? String == "approval_refused")
            #expect(Self.context(answer)["evaluation_id"] as? String == id)
            #expect(Self.context(answer)["access_request"] == nil)
            // Decided once: approving now conflicts.
            let late = try await approver.post("/v1/approvals/\(id)/approve")
            #expect(late.status == 409)
            #expect(late.errorCode == "conflict")
        }
    }

    @Test func onlyAKeyWithTheApproveScopeDecides() async throws {
        try await Self.server.run { client in
            let approver = try await Approver(client)
            let task = try await approver.taintedTask()
            let id = try Self.approvalID(try await approver.decide(LethalTrifecta.email, credential: task.credential))
            let byPEP = try await approver.post("/v1/approvals/\(id)/approve", key: approver.desk.base.pep)
            #expect(byPEP.status == 403)
            let byTask = try await client.send(
                .post, "/v1/approvals/\(id)/approve", headers: [WritServer.taskCredentialHeader: task.credential])
            #expect(byTask.status == 401)
            let taskAsBearer = try await client.send(.post, "/v1/approvals/\(id)/approve", key: task.credential)
            #expect(taskAsBearer.status == 401)
            let list = try await client.send(.get, "/v1/approvals", key: approver.desk.front)
            #expect(list.status == 403)
            let still = try await client.send(.get, "/v1/approvals/\(id)", key: approver.key)
            #expect(still.object["status"] as? String == "pending")
        }
    }

    @Test func hostileApprovalRequestsAreTypedErrorsAndChangeNothing() async throws {
        try await Self.server.run { client in
            let approver = try await Approver(client)
            let task = try await approver.taintedTask()
            let id = try Self.approvalID(try await approver.decide(LethalTrifecta.email, credential: task.credential))
            let unknown = try await approver.post("/v1/approvals/apr_nope/approve")
            #expect(unknown.status == 404)
            #expect(unknown.errorCode == "not_found")
            let long = try await client.send(.get, "/v1/approvals/\(String(repeating: "x", count: 5000))", key: approver.key)
            #expect(long.status == 404)
            for (body, code) in [
                (#"{"scope": "forever"}"#, "wrong_type"), (#"{"scope": 1}"#, "wrong_type"), (#"{"ttl": "1h"}"#, "wrong_type"),
                (#"{"ttl": 0}"#, "invalid_request"), (#"{"ttl": 10000000}"#, "invalid_request"),
                (#"{"color": "red"}"#, "invalid_request"), (#"[1]"#, "wrong_type"), (#"{"scope": "once", "scope": "task"}"#, "duplicate_key"),
                ("{", "invalid_request"),
            ] {
                let reply = try await approver.post("/v1/approvals/\(id)/approve", json: body)
                #expect(reply.status == 400, "\(body)")
                #expect(reply.errorCode == code, "\(body)")
            }
            let badState = try await client.send(.get, "/v1/approvals?state=maybe", key: approver.key)
            #expect(badState.status == 400)
            let refuseBody = try await approver.post("/v1/approvals/\(id)/refuse", json: #"{"why": "no"}"#)
            #expect(refuseBody.status == 400)
            let still = try await client.send(.get, "/v1/approvals/\(id)", key: approver.key)
            #expect(still.object["status"] as? String == "pending")
            #expect(try await approver.post("/v1/approvals/\(id)/approve").status == 200)
            let twice = try await approver.post("/v1/approvals/\(id)/refuse")
            #expect(twice.status == 409)
        }
    }

    @Test func aBodyOverTheLimitIs413AndDecidesNothing() async throws {
        try await Self.server.run { client in
            let approver = try await Approver(client)
            let task = try await approver.taintedTask()
            let id = try Self.approvalID(try await approver.decide(LethalTrifecta.email, credential: task.credential))
            let huge = try await approver.post(
                "/v1/approvals/\(id)/approve", json: #"{"scope": ""# + String(repeating: "a", count: 4100) + #""}"#)
            #expect(huge.status == 413)
            #expect(huge.errorCode == "too_large")
            // The server closed that connection; read the store.
            #expect(try await client.service.store.approval(id: id)?.state == .pending)
        }
    }
}
