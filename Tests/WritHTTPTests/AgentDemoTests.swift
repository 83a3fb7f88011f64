import Foundation
import HTTPTypes
import Testing
import WritCore
import WritHTTP

/// examples/agent-demo over HTTP on loopback: a real server, a SQLite store, tasks
/// opened with a `tasks` key, decisions made with the agent's task credential.
@Suite struct AgentDemo {
    static let evaluate = "/access/v1/evaluation"
    static let demo = TestServer(auth: .required, example: "agent-demo", tasks: true)

    static func mandate(_ name: String) throws -> String {
        try String(
            contentsOf: ExampleDirectory.repository.appendingPathComponent("examples/agent-demo/mandates/\(name).cedar"),
            encoding: .utf8)
    }

    static func json(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    static func opening(agent: String = "support-bot", budgets: [String: Any] = [:]) throws -> String {
        try json([
            "agent": agent, "on_behalf_of": "alice", "purpose": "answer ticket 42",
            "mandate": try mandate("ticket-42"), "ttl": 600, "budgets": budgets,
        ])
    }

    static func call(_ tool: String, by agent: String = "support-bot", _ input: [String: Any]) throws -> String {
        try json([
            "subject": ["type": "agent", "id": agent], "action": ["name": tool],
            "resource": ["type": "tool", "id": tool], "context": ["input": input],
        ])
    }

    /// Keys for the front end (tasks) and the PEP (decide), and an opened task.
    struct Desk {
        let client: TestServer.Client
        let front: String
        let pep: String

        init(_ client: TestServer.Client) async throws {
            self.client = client
            front = try await client.makeKey("front-end", [.tasks]).token
            pep = try await client.makeKey("pep", [.decide]).token
        }

        func open(budgets: [String: Any] = [:]) async throws -> (id: String, credential: String) {
            let reply = try await client.send(.post, "/v1/tasks", json: try AgentDemo.opening(budgets: budgets), key: front)
            try #require(reply.status == 201)
            return (try #require(reply.object["id"] as? String), try #require(reply.object["credential"] as? String))
        }

        func decide(_ body: String, credential: String) async throws -> (decision: Bool?, reason: String?) {
            let reply = try await client.send(
                .post, AgentDemo.evaluate, json: body, headers: [WritServer.taskCredentialHeader: credential], key: pep)
            #expect(reply.status == 200)
            return (reply.object["decision"] as? Bool, (reply.object["context"] as? [String: Any])?["reason"] as? String)
        }

        func delegate(from parent: (id: String, credential: String), agent: String, mandate: String) async throws -> Reply {
            let body = try AgentDemo.json(["agent": agent, "purpose": "refund ticket 42", "mandate": mandate])
            return try await client.send(
                .post, "/v1/tasks/\(parent.id)/delegate", json: body,
                headers: [WritServer.taskCredentialHeader: parent.credential])
        }
    }

    @Test func aTaskAllowsItsMandateAndNothingBeyondUntilItIsClosed() async throws {
        try await Self.demo.run { client in
            let desk = try await Desk(client)
            let task = try await desk.open(budgets: ["max_calls": ["docs___search": 2]])

            let search = try await desk.decide(try Self.call("docs___search", ["query": "refund policy"]), credential: task.credential)
            #expect(search.decision == true)

            let otherTicket = try await desk.decide(try Self.call("tickets___read", ["ticket": 7]), credential: task.credential)
            #expect(otherTicket.decision == false)
            #expect(otherTicket.reason == "mandate_denied")

            let delegated = try await desk.delegate(from: task, agent: "refund-helper", mandate: try Self.mandate("refund-helper"))
            #expect(delegated.status == 201)
            let child = (
                id: try #require(delegated.object["id"] as? String),
                credential: try #require(delegated.object["credential"] as? String))
            #expect(delegated.object["parent_id"] as? String == task.id)
            let small = try await desk.decide(
                try Self.call("payments___refund", by: "refund-helper", ["amount": 150, "ticket": 42]), credential: child.credential)
            #expect(small.decision == true)
            let beyondParent = try await desk.decide(
                try Self.call("payments___refund", by: "refund-helper", ["amount": 900, "ticket": 42]), credential: child.credential)
            #expect(beyondParent.decision == false)
            #expect(beyondParent.reason == "mandate_denied")

            let second = try await desk.decide(try Self.call("docs___search", ["query": "shipping"]), credential: task.credential)
            #expect(second.decision == true)
            let third = try await desk.decide(try Self.call("docs___search", ["query": "returns"]), credential: task.credential)
            #expect(third.decision == false)
            #expect(third.reason == "budget_exhausted:calls:docs___search")

            let closed = try await client.send(.post, "/v1/tasks/\(task.id)/close", key: desk.front)
            #expect(closed.status == 200)
            #expect(closed.object["closed"] as? [String] == [task.id, child.id])
            let receipt = try #require(closed.object["receipt"] as? [String: Any])
            #expect((receipt["kid"] as? String)?.isEmpty == false)

            let parentAfter = try await desk.decide(try Self.call("docs___search", ["query": "x"]), credential: task.credential)
            #expect(parentAfter.decision == false)
            #expect(parentAfter.reason == "task_closed")
            let childAfter = try await desk.decide(
                try Self.call("payments___refund", by: "refund-helper", ["amount": 10, "ticket": 42]), credential: child.credential)
            #expect(childAfter.decision == false)
            #expect(childAfter.reason == "task_closed")

            let shown = try await client.send(.get, "/v1/tasks/\(child.id)", key: desk.front)
            #expect(shown.object["state"] as? String == "closed")
        }
    }

    @Test func delegatingWithAnotherTasksCredentialIsForbidden() async throws {
        let reply = try await Self.demo.run { client in
            let desk = try await Desk(client)
            let first = try await desk.open()
            let second = try await desk.open()
            return try await desk.delegate(
                from: (id: first.id, credential: second.credential), agent: "refund-helper", mandate: try Self.mandate("refund-helper"))
        }
        #expect(reply.status == 403)
        #expect(reply.errorCode == "forbidden")
    }

    @Test func delegatingWithAForgedCredentialIsUnauthenticated() async throws {
        let reply = try await Self.demo.run { client in
            let desk = try await Desk(client)
            let task = try await desk.open()
            return try await desk.delegate(
                from: (id: task.id, credential: task.credential + "x"), agent: "refund-helper", mandate: try Self.mandate("refund-helper"))
        }
        #expect(reply.status == 401)
    }

    @Test func aDecideOnlyKeyCannotOpenATask() async throws {
        let reply = try await Self.demo.run { client in
            let desk = try await Desk(client)
            return try await client.send(.post, "/v1/tasks", json: try Self.opening(), key: desk.pep)
        }
        #expect(reply.status == 403)
    }

    @Test func aTaskCredentialIsNotAnAPIKey() async throws {
        let reply = try await Self.demo.run { client in
            let desk = try await Desk(client)
            let task = try await desk.open()
            return try await client.send(.post, "/v1/tasks", json: try Self.opening(), key: task.credential)
        }
        #expect(reply.status == 401)
    }

    @Test func aForgedCredentialIsDeniedWithNoTask() async throws {
        let answer = try await Self.demo.run { client in
            let desk = try await Desk(client)
            let task = try await desk.open()
            var forged = Array(task.credential)
            forged[forged.count - 2] = forged[forged.count - 2] == "A" ? "B" : "A"
            return try await desk.decide(try Self.call("docs___search", ["query": "x"]), credential: String(forged))
        }
        #expect(answer.decision == false)
        #expect(answer.reason == "no_task")
    }

    /// A credential signed with the server's own key, claiming `claims`.
    static func signedByTheServer(_ key: SigningKeyRecord, _ claims: TaskCredentialClaims, issuer: String = TestServer.issuer) throws -> String {
        try CredentialKeyRing(keys: [key], issuer: issuer, gracePeriod: .seconds(60), maxLifetime: .seconds(3600)).sign(claims)
    }

    @Test func aCredentialFromAnotherIssuerIsDeniedWithNoTask() async throws {
        let key = SigningKeyRecord.generate(now: Date(timeIntervalSince1970: 1_000_000))
        var server = Self.demo
        server.signingKey = key
        let answer = try await server.run { client in
            let desk = try await Desk(client)
            let task = try await desk.open()
            let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
            let token = try Self.signedByTheServer(key, TaskCredentialClaims(
                issuer: "https://elsewhere.test", agent: "support-bot", audience: [TestServer.issuer], taskID: task.id,
                onBehalfOf: ["alice"], issuedAt: now, expiresAt: now.addingTimeInterval(600)), issuer: "https://elsewhere.test")
            return try await desk.decide(try Self.call("docs___search", ["query": "x"]), credential: token)
        }
        #expect(answer.decision == false)
        #expect(answer.reason == "no_task")
    }

    @Test func anExpiredCredentialIsDeniedWithNoTask() async throws {
        let key = SigningKeyRecord.generate(now: Date(timeIntervalSince1970: 1_000_000))
        var server = Self.demo
        server.signingKey = key
        let answer = try await server.run { client in
            let desk = try await Desk(client)
            let task = try await desk.open()
            let token = try Self.signedByTheServer(key, TaskCredentialClaims(
                issuer: TestServer.issuer, agent: "support-bot", audience: [TestServer.issuer], taskID: task.id,
                onBehalfOf: ["alice"], issuedAt: Date(timeIntervalSince1970: 1_000_000),
                expiresAt: Date(timeIntervalSince1970: 1_000_600)))
            return try await desk.decide(try Self.call("docs___search", ["query": "x"]), credential: token)
        }
        #expect(answer.decision == false)
        #expect(answer.reason == "no_task")
    }

    @Test func jwksPublishesTheSigningKey() async throws {
        let reply = try await Self.demo.run { client in try await client.send(.get, "/.well-known/jwks.json") }
        #expect(reply.status == 200)
        let keys = try #require(reply.object["keys"] as? [[String: Any]])
        #expect(keys.count == 1)
        #expect(keys.first?["alg"] as? String == "EdDSA")
    }
}
