import Foundation
import HTTPTypes
import Testing
import WritCore
import WritHTTP

@Suite struct AuthZENRoutes {
    @Test func evaluationAllowsAnAdminToRead() async throws {
        let reply = try await TestServer().run { client in
            try await client.send(.post, "/access/v1/evaluation", json: evaluation("alice", "read", "plan"))
        }
        #expect(reply.status == 200)
        #expect(reply.header("Content-Type") == "application/json")
        #expect(reply.object["decision"] as? Bool == true)
    }

    @Test func evaluationDeniesWithStatus200() async throws {
        let reply = try await TestServer().run { client in
            try await client.send(.post, "/access/v1/evaluation", json: evaluation("alice", "write", "plan"))
        }
        #expect(reply.status == 200)
        #expect(reply.object["decision"] as? Bool == false)
    }

    @Test func evaluationsAnswersEachItem() async throws {
        let body = """
            {"subject": {"type": "user", "id": "bob"}, "resource": {"type": "document", "id": "plan"},
             "evaluations": [{"action": {"name": "read"}}, {"action": {"name": "write"}},
                             {"subject": {"type": "user", "id": "alice"}, "action": {"name": "write"}}]}
            """
        let reply = try await TestServer().run { client in
            try await client.send(.post, "/access/v1/evaluations", json: body)
        }
        #expect(reply.status == 200)
        let decisions = (reply.object["evaluations"] as? [[String: Any]])?.map { $0["decision"] as? Bool }
        #expect(decisions == [true, true, false])
    }

    @Test func subjectSearchFindsWhoMayWrite() async throws {
        let body = """
            {"subject": {"type": "user"}, "action": {"name": "write"}, "resource": {"type": "document", "id": "plan"}}
            """
        let reply = try await TestServer().run { client in
            try await client.send(.post, "/access/v1/search/subject", json: body)
        }
        #expect(reply.status == 200)
        let ids = (reply.object["results"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
        #expect(ids == ["bob"])
    }

    @Test func resourceSearchFindsWhatBobMayWrite() async throws {
        let body = """
            {"subject": {"type": "user", "id": "bob"}, "action": {"name": "write"}, "resource": {"type": "document"}}
            """
        let reply = try await TestServer().run { client in
            try await client.send(.post, "/access/v1/search/resource", json: body)
        }
        #expect(reply.status == 200)
        let ids = (reply.object["results"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
        #expect(ids == ["plan"])
    }

    @Test func actionSearchFindsWhatAliceMayDo() async throws {
        let body = """
            {"subject": {"type": "user", "id": "alice"}, "resource": {"type": "document", "id": "plan"}}
            """
        let reply = try await TestServer().run { client in
            try await client.send(.post, "/access/v1/search/action", json: body)
        }
        #expect(reply.status == 200)
        let names = (reply.object["results"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(names == ["read"])
    }

    @Test func metadataListsEveryEndpointUnderTheConfiguredIdentifier() async throws {
        let reply = try await TestServer(publicBaseURL: "https://pdp.example.com").run { client in
            try await client.send(.get, "/.well-known/authzen-configuration")
        }
        #expect(reply.status == 200)
        #expect(reply.object["supported_obligations"] as? [String] == ["custom"])
        #expect(reply.object.filter { $0.key != "supported_obligations" } as? [String: String] == [
            "policy_decision_point": "https://pdp.example.com",
            "access_evaluation_endpoint": "https://pdp.example.com/access/v1/evaluation",
            "access_evaluations_endpoint": "https://pdp.example.com/access/v1/evaluations",
            "search_subject_endpoint": "https://pdp.example.com/access/v1/search/subject",
            "search_resource_endpoint": "https://pdp.example.com/access/v1/search/resource",
            "search_action_endpoint": "https://pdp.example.com/access/v1/search/action",
        ])
    }

    @Test func metadataDefaultsToTheListeningAddress() async throws {
        let (reply, port) = try await TestServer().run { client in
            (try await client.send(.get, "/.well-known/authzen-configuration"), client.port)
        }
        let base = reply.object["policy_decision_point"] as? String
        #expect(base?.hasSuffix(":\(port)") == true)
        #expect(reply.object["access_evaluation_endpoint"] as? String == (base ?? "") + "/access/v1/evaluation")
    }

    @Test func requestIDIsEchoed() async throws {
        let reply = try await TestServer().run { client in
            try await client.send(
                .post, "/access/v1/evaluation", json: evaluation("alice", "read", "plan"),
                headers: [.init("X-Request-ID")!: "bfe9eb29-ab87-4ca3-be83-a1d5d8305716"])
        }
        #expect(reply.header("X-Request-ID") == "bfe9eb29-ab87-4ca3-be83-a1d5d8305716")
    }

    @Test func aRequestIDIsMadeWhenNoneIsSent() async throws {
        let reply = try await TestServer().run { client in
            try await client.send(.get, "/livez")
        }
        #expect(reply.header("X-Request-ID").flatMap(UUID.init(uuidString:)) != nil)
    }

    @Test func decisionsWhileNotReadyAre503() async throws {
        let reply = try await TestServer(bootstrap: false).run { client in
            try await client.send(.post, "/access/v1/evaluation", json: evaluation("alice", "read", "plan"))
        }
        #expect(reply.status == 503)
        #expect(reply.errorCode == "not_ready")
    }
}
