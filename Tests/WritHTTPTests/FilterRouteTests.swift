import Foundation
import HTTPTypes
import Testing
import WritCore
import WritHTTP

/// `POST /v1/filter` over HTTP on loopback: the allowed subset of N candidates, the
/// same subset as the AuthZEN batch, decisions charged and labels learned inside a
/// task, and hostile requests refused before anything is decided.
@Suite struct FilterRoute {
    static let checkpoints = TestServer(auth: .off, example: "checkpoints", tasks: true)

    static func documents(_ ids: [String]) -> String {
        ids.map { #"{"type": "document", "id": "\#($0)"}"# }.joined(separator: ", ")
    }

    static func filter(_ ids: [String]) -> String {
        #"{"subject": {"type": "agent", "id": "assistant"}, "action": {"name": "retrieve"}, "resources": [\#(documents(ids))]}"#
    }

    static func batch(_ ids: [String]) -> String {
        let items = ids.map { #"{"resource": {"type": "document", "id": "\#($0)"}}"# }.joined(separator: ", ")
        return #"{"subject": {"type": "agent", "id": "assistant"}, "action": {"name": "retrieve"}, "evaluations": [\#(items)]}"#
    }

    /// Opens a task for `assistant` with the example's mandate; returns its id and credential.
    static func open(_ client: TestServer.Client, budgets: String = "{}") async throws -> (id: String, credential: String) {
        let mandate = try String(
            contentsOf: ExampleDirectory.repository.appendingPathComponent("examples/checkpoints/mandates/assistant.cedar"),
            encoding: .utf8)
        let body = try JSONSerialization.data(withJSONObject: [
            "agent": "assistant", "on_behalf_of": "alice", "purpose": "filter", "mandate": mandate, "ttl": 600,
            "budgets": try JSONSerialization.jsonObject(with: Data(budgets.utf8)),
        ])
        let reply = try await client.send(.post, "/v1/tasks", json: String(decoding: body, as: UTF8.self))
        try #require(reply.status == 201)
        return (try #require(reply.object["id"] as? String), try #require(reply.object["credential"] as? String))
    }

    static func header(_ credential: String) -> HTTPFields { [WritServer.taskCredentialHeader: credential] }

    static func ids(_ list: Any?) -> [String] { (list as? [[String: Any]] ?? []).compactMap { $0["id"] as? String } }

    static let candidates = ["kb-refunds", "kb-keys", "hr-alice", "kb-shipping", "kb-missing"]

    @Test func aFilterAnswersTheAllowedSubsetInRequestOrder() async throws {
        let reply = try await Self.checkpoints.run { client in
            let task = try await Self.open(client)
            return try await client.send(.post, "/v1/filter", json: Self.filter(Self.candidates), headers: Self.header(task.credential))
        }
        #expect(reply.status == 200)
        #expect(Self.ids(reply.object["allowed"]) == ["kb-refunds", "hr-alice", "kb-shipping"])
        let denied = reply.object["denied"] as? [[String: Any]] ?? []
        #expect(denied.compactMap { $0["id"] as? String } == ["kb-keys", "kb-missing"])
        #expect(denied.compactMap { $0["reason"] as? String } == ["policy_denied", "unregistered"])
        #expect((reply.object["context"] as? [String: Any])?["policy_set_version"] as? Int == 1)
    }

    @Test func aFilterResponseIsCompactJSONWithTheAllowedThenTheDeniedWithTheirReasons() async throws {
        let reply = try await Self.checkpoints.run { client in
            let task = try await Self.open(client)
            return try await client.send(
                .post, "/v1/filter", json: Self.filter(["kb-refunds", "kb-keys", "hr-alice", "kb-missing"]),
                headers: Self.header(task.credential))
        }
        #expect(reply.body == #"""
            {"allowed":[{"type":"document","id":"kb-refunds"},{"type":"document","id":"hr-alice"}],\#
            "denied":[{"type":"document","id":"kb-keys","reason":"policy_denied",\#
            "message":"the organisation's policies do not allow the request"},\#
            {"type":"document","id":"kb-missing","reason":"unregistered",\#
            "message":"Writ::Document::\"kb-missing\" is not in a registered `Writ::Dataset`"}],\#
            "context":{"policy_set_version":1,"mode":"strict"}}
            """#)
    }

    @Test func aFilterAndTheSameEvaluationsBatchGiveTheSameSubset() async throws {
        let (filtered, batched) = try await Self.checkpoints.run { client in
            let task = try await Self.open(client)
            let filtered = try await client.send(
                .post, "/v1/filter", json: Self.filter(Self.candidates), headers: Self.header(task.credential))
            let batched = try await client.send(
                .post, "/access/v1/evaluations", json: Self.batch(Self.candidates), headers: Self.header(task.credential))
            return (filtered, batched)
        }
        let decisions = (batched.object["evaluations"] as? [[String: Any]] ?? []).map { $0["decision"] as? Bool }
        let subset = zip(Self.candidates, decisions).filter { $0.1 == true }.map(\.0)
        #expect(subset == ["kb-refunds", "hr-alice", "kb-shipping"])
        #expect(Self.ids(filtered.object["allowed"]) == subset)
    }

    @Test func eachAllowedCandidateIsOneDecisionChargedToTheTask() async throws {
        let (reply, task) = try await Self.checkpoints.run { client in
            let task = try await Self.open(client)
            let reply = try await client.send(
                .post, "/v1/filter", json: Self.filter(Self.candidates), headers: Self.header(task.credential))
            return (reply, try await client.send(.get, "/v1/tasks/\(task.id)"))
        }
        #expect(Self.ids(reply.object["allowed"]).count == 3)
        let counters = task.object["counters"] as? [String: Any]
        #expect(counters?["decisions"] as? Int == 3)
        #expect((counters?["actions"] as? [String: Any])?["retrieve"] as? Int == 3)
    }

    @Test func aDecisionBudgetLetsThroughTheFirstCandidatesItHasRoomFor() async throws {
        let reply = try await Self.checkpoints.run { client in
            let task = try await Self.open(client, budgets: #"{"max_decisions": 2}"#)
            return try await client.send(
                .post, "/v1/filter", json: Self.filter(["kb-refunds", "kb-shipping", "hr-alice"]), headers: Self.header(task.credential))
        }
        #expect(Self.ids(reply.object["allowed"]) == ["kb-refunds", "kb-shipping"])
        let denied = reply.object["denied"] as? [[String: Any]] ?? []
        #expect(denied.compactMap { $0["id"] as? String } == ["hr-alice"])
        #expect(denied.first?["reason"] as? String == "budget_exhausted:decisions")
    }

    @Test func theTaskLearnsTheLabelsOfAllowedCandidatesOnly() async throws {
        let (before, after) = try await Self.checkpoints.run { client in
            let task = try await Self.open(client)
            // kb-keys is denied: its `secret` label is not learned.
            _ = try await client.send(.post, "/v1/filter", json: Self.filter(["kb-refunds", "kb-keys"]), headers: Self.header(task.credential))
            let before = try await client.send(.get, "/v1/tasks/\(task.id)")
            _ = try await client.send(.post, "/v1/filter", json: Self.filter(["hr-alice"]), headers: Self.header(task.credential))
            return (before, try await client.send(.get, "/v1/tasks/\(task.id)"))
        }
        #expect(before.object["labels"] as? [String] == [])
        #expect(after.object["labels"] as? [String] == ["pii"])
    }

    @Test func anAgentWithoutATaskCredentialHasEveryCandidateDenied() async throws {
        let reply = try await Self.checkpoints.run { client in
            try await client.send(.post, "/v1/filter", json: Self.filter(["kb-refunds", "kb-shipping"]))
        }
        #expect(reply.status == 200)
        #expect(Self.ids(reply.object["allowed"]).isEmpty)
        let denied = reply.object["denied"] as? [[String: Any]] ?? []
        #expect(denied.compactMap { $0["reason"] as? String } == ["no_task", "no_task"])
    }

    @Test func aFilterForAUserNeedsNoTask() async throws {
        let reply = try await TestServer().run { client in
            try await client.send(
                .post, "/v1/filter",
                json: #"{"subject": {"type": "user", "id": "bob"}, "action": {"name": "read"}, "resources": [{"type": "document", "id": "plan"}, {"type": "document", "id": "other"}]}"#)
        }
        #expect(Self.ids(reply.object["allowed"]) == ["plan"])
        #expect(Self.ids(reply.object["denied"]) == ["other"])
    }

    @Test func anEmptyCandidateListAllowsNothing() async throws {
        let reply = try await TestServer().run { client in
            try await client.send(
                .post, "/v1/filter", json: #"{"subject": {"type": "user", "id": "bob"}, "action": {"name": "read"}, "resources": []}"#)
        }
        #expect(reply.status == 200)
        #expect(reply.body.hasPrefix(#"{"allowed":[],"denied":[],"context":{"policy_set_version":1"#))
    }

    // MARK: - Hostile input

    static func refused(_ body: String, limits: RequestLimits = RequestLimits()) async throws -> Reply {
        try await TestServer(limits: limits, example: "checkpoints", tasks: true).run { client in
            let task = try await Self.open(client)
            let reply = try await client.send(.post, "/v1/filter", json: body, headers: Self.header(task.credential))
            let shown = try await client.send(.get, "/v1/tasks/\(task.id)")
            // Nothing was decided, so nothing was charged.
            #expect((shown.object["counters"] as? [String: Any])?["decisions"] as? Int == 0)
            return reply
        }
    }

    @Test func moreCandidatesThanTheLimitIs413() async throws {
        let reply = try await Self.refused(Self.filter(["kb-refunds", "kb-shipping", "hr-alice"]), limits: RequestLimits(maxFilterCandidates: 2))
        #expect(reply.status == 413)
        #expect(reply.errorCode == "too_large")
        #expect(reply.body.contains("at most 2"))
    }

    @Test func tenThousandAndOneCandidatesAreRefusedByDefault() async throws {
        let reply = try await Self.refused(Self.filter((0...10_000).map { "d\($0)" }))
        #expect(reply.status == 413)
        #expect(reply.errorCode == "too_large")
        #expect(reply.body.contains("10001 candidates"))
    }

    @Test func theSameCandidateTwiceIs400() async throws {
        let reply = try await Self.refused(Self.filter(["kb-refunds", "kb-shipping", "kb-refunds"]))
        #expect(reply.status == 400)
        #expect(reply.errorCode == "invalid_request")
        #expect(reply.body.contains("resources[2]"))
        #expect(reply.body.contains("resources[0]"))
    }

    @Test func resourcesThatAreNotAnArrayIs400() async throws {
        let reply = try await Self.refused(
            #"{"subject": {"type": "agent", "id": "assistant"}, "action": {"name": "retrieve"}, "resources": {"type": "document", "id": "kb-refunds"}}"#)
        #expect(reply.status == 400)
        #expect(reply.errorCode == "wrong_type")
        #expect(reply.body.contains("resources"))
    }

    @Test func missingResourcesIs400() async throws {
        let reply = try await Self.refused(#"{"subject": {"type": "agent", "id": "assistant"}, "action": {"name": "retrieve"}}"#)
        #expect(reply.status == 400)
        #expect(reply.errorCode == "missing_field")
        #expect(reply.body.contains("resources"))
    }

    @Test func aCandidateWithANumberForItsIDIs400NamingIt() async throws {
        let reply = try await Self.refused(
            #"{"subject": {"type": "agent", "id": "assistant"}, "action": {"name": "retrieve"}, "resources": [{"type": "document", "id": "kb-refunds"}, {"type": "document", "id": 7}]}"#)
        #expect(reply.status == 400)
        #expect(reply.errorCode == "wrong_type")
        #expect(reply.body.contains("resources[1].id"))
    }

    @Test func aCandidateThatIsNotAnObjectIs400() async throws {
        let reply = try await Self.refused(
            #"{"subject": {"type": "agent", "id": "assistant"}, "action": {"name": "retrieve"}, "resources": ["kb-refunds"]}"#)
        #expect(reply.status == 400)
        #expect(reply.errorCode == "wrong_type")
        #expect(reply.body.contains("resources[0]"))
    }

    @Test func aCandidateWithAControlCharacterInItsIDIs400() async throws {
        let reply = try await Self.refused(
            #"{"subject": {"type": "agent", "id": "assistant"}, "action": {"name": "retrieve"}, "resources": [{"type": "document", "id": "kb\u0000refunds"}]}"#)
        #expect(reply.status == 400)
        #expect(reply.errorCode == "invalid_identifier")
        #expect(reply.body.contains("resources[0].id"))
    }

    @Test func aCandidateWhoseTypeIsNotACedarNameIs400() async throws {
        let reply = try await Self.refused(
            #"{"subject": {"type": "agent", "id": "assistant"}, "action": {"name": "retrieve"}, "resources": [{"type": "my document", "id": "q3"}]}"#)
        #expect(reply.status == 400)
        #expect(reply.errorCode == "invalid_identifier")
        #expect(reply.body.contains("resources[0].type"))
    }

    @Test func aCandidateOfATypeTheSchemaLacksIsDeniedAsInvalid() async throws {
        let reply = try await Self.checkpoints.run { client in
            let task = try await Self.open(client)
            return try await client.send(
                .post, "/v1/filter",
                json: #"{"subject": {"type": "agent", "id": "assistant"}, "action": {"name": "retrieve"}, "resources": [{"type": "spreadsheet", "id": "q3"}, {"type": "document", "id": "kb-refunds"}]}"#,
                headers: Self.header(task.credential))
        }
        #expect(reply.status == 200)
        #expect(Self.ids(reply.object["allowed"]) == ["kb-refunds"])
        let denied = reply.object["denied"] as? [[String: Any]] ?? []
        #expect(denied.compactMap { $0["reason"] as? String } == ["invalid_request"])
        #expect(denied.first?["type"] as? String == "spreadsheet")
    }

    @Test func aDuplicateKeyInTheBodyIs400() async throws {
        let reply = try await Self.refused(
            #"{"subject": {"type": "agent", "id": "assistant"}, "action": {"name": "retrieve"}, "resources": [], "resources": []}"#)
        #expect(reply.status == 400)
        #expect(reply.errorCode == "duplicate_key")
    }
}
