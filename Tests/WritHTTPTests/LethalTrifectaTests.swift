import Foundation
import HTTPTypes
import Testing
import WritCore
import WritHTTP

/// examples/lethal-trifecta over HTTP on loopback: a task may send data out after
/// reading private data, or after reading untrusted content, but not after both —
/// whether the labels came from the inventory, from the enforcing point, or from a
/// child task that closed.
@Suite struct LethalTrifecta {
    static let server = TestServer(auth: .required, example: "lethal-trifecta", tasks: true)

    static func mandate(_ name: String) throws -> String {
        try String(
            contentsOf: ExampleDirectory.repository.appendingPathComponent("examples/lethal-trifecta/mandates/\(name).cedar"),
            encoding: .utf8)
    }

    static func call(_ tool: String, by agent: String = "assistant", _ input: [String: Any]) throws -> String {
        try AgentDemo.json([
            "subject": ["type": "agent", "id": agent], "action": ["name": tool],
            "resource": ["type": "tool", "id": tool], "context": ["input": input],
        ])
    }

    static func retrieve(_ document: String, by agent: String = "assistant") throws -> String {
        try AgentDemo.json([
            "subject": ["type": "agent", "id": agent], "action": ["name": "retrieve"],
            "resource": ["type": "document", "id": document],
        ])
    }

    static func tool(_ tool: String, _ input: String) -> String {
        #"{"subject": {"type": "agent", "id": "assistant"}, "action": {"name": "\#(tool)"}, "resource": {"type": "tool", "id": "\#(tool)"}, "context": {"input": \#(input)}}"#
    }

    static let lookup = tool("crm___lookup_customer", #"{"email": "bob@customer.example"}"#)
    static let fetch = tool("web___fetch", #"{"url": "https://example.org/page"}"#)
    static let email = tool("mail___send_email", #"{"to": "bob@customer.example"}"#)
    static let note = tool("notes___save", #"{"text": "remember bob"}"#)

    /// The desk of examples/agent-demo (a `tasks` key for the front end, a `decide` key
    /// for the PEP), opening the assistant's tasks.
    struct Desk {
        let base: AgentDemo.Desk
        var client: TestServer.Client { base.client }
        var front: String { base.front }

        init(_ client: TestServer.Client) async throws {
            base = try await AgentDemo.Desk(client)
        }

        func open() async throws -> (id: String, credential: String) {
            let body = try AgentDemo.json([
                "agent": "assistant", "on_behalf_of": "alice", "purpose": "follow up with bob",
                "mandate": try LethalTrifecta.mandate("assistant"), "ttl": 600,
            ])
            let reply = try await client.send(.post, "/v1/tasks", json: body, key: front)
            try #require(reply.status == 201)
            return (try #require(reply.object["id"] as? String), try #require(reply.object["credential"] as? String))
        }

        /// The decision and its reason.
        func decide(_ body: String, credential: String) async throws -> (allowed: Bool?, reason: String?) {
            let answer = try await base.decide(body, credential: credential)
            return (answer.decision, answer.reason)
        }

        func report(_ labels: [String], to id: String, credential: String) async throws -> Reply {
            try await client.send(
                .post, "/v1/tasks/\(id)/labels", json: try AgentDemo.json(["labels": labels]),
                headers: [WritServer.taskCredentialHeader: credential])
        }

        func labels(of id: String) async throws -> [String]? {
            try await client.send(.get, "/v1/tasks/\(id)", key: front).object["labels"] as? [String]
        }
    }

    @Test func egressIsAllowedAfterReadingOnlyPrivateData() async throws {
        try await Self.server.run { client in
            let desk = try await Desk(client)
            let task = try await desk.open()
            #expect(try await desk.decide(Self.lookup, credential: task.credential).allowed == true)
            #expect(try await desk.decide(Self.email, credential: task.credential).allowed == true)
            #expect(try await desk.labels(of: task.id) == ["pii"])
        }
    }

    @Test func egressIsAllowedAfterReadingOnlyUntrustedContent() async throws {
        try await Self.server.run { client in
            let desk = try await Desk(client)
            let task = try await desk.open()
            #expect(try await desk.decide(Self.fetch, credential: task.credential).allowed == true)
            #expect(try await desk.decide(Self.fetch, credential: task.credential).allowed == true)
            #expect(try await desk.decide(Self.email, credential: task.credential).allowed == true)
            #expect(try await desk.labels(of: task.id) == ["untrusted"])
        }
    }

    @Test func egressIsDeniedOnceTheTaskHasReadBothButOtherToolsStillRun() async throws {
        try await Self.server.run { client in
            let desk = try await Desk(client)
            let task = try await desk.open()
            #expect(try await desk.decide(Self.lookup, credential: task.credential).allowed == true)
            #expect(try await desk.decide(Self.fetch, credential: task.credential).allowed == true)
            let email = try await desk.decide(Self.email, credential: task.credential)
            #expect(email.allowed == false)
            #expect(email.reason == "approval_required")
            let again = try await desk.decide(Self.fetch, credential: task.credential)
            #expect(again.allowed == false)
            #expect(try await desk.decide(Self.note, credential: task.credential).allowed == true)
            #expect(try await desk.labels(of: task.id) == ["pii", "untrusted"])
        }
    }

    @Test func reportedLabelsAndARetrievedDocumentBothCount() async throws {
        try await Self.server.run { client in
            let desk = try await Desk(client)
            let task = try await desk.open()
            let reported = try await desk.report(["untrusted"], to: task.id, credential: task.credential)
            #expect(reported.status == 200)
            #expect(reported.object["task"] as? String == task.id)
            #expect(reported.object["labels"] as? [String] == ["untrusted"])
            #expect(try await desk.decide(Self.email, credential: task.credential).allowed == true)
            let holidays = try await desk.decide(try Self.retrieve("handbook/holidays.md"), credential: task.credential)
            #expect(holidays.allowed == true)
            #expect(try await desk.decide(Self.email, credential: task.credential).allowed == true)
            let salaries = try await desk.decide(try Self.retrieve("hr/salaries.csv"), credential: task.credential)
            #expect(salaries.allowed == true)
            #expect(try await desk.labels(of: task.id) == ["pii", "secret", "untrusted"])
            let email = try await desk.decide(Self.email, credential: task.credential)
            #expect(email.allowed == false)
            #expect(email.reason == "approval_required")
        }
    }

    @Test func labelsOfAClosedChildReachItsParentAndBlockItsEgress() async throws {
        try await Self.server.run { client in
            let desk = try await Desk(client)
            let parent = try await desk.open()
            #expect(try await desk.decide(Self.lookup, credential: parent.credential).allowed == true)
            let body = try AgentDemo.json([
                "agent": "researcher", "purpose": "read bob's web page", "mandate": try Self.mandate("researcher"),
            ])
            let delegated = try await client.send(
                .post, "/v1/tasks/\(parent.id)/delegate", json: body, headers: [WritServer.taskCredentialHeader: parent.credential])
            #expect(delegated.status == 201)
            #expect(delegated.object["labels"] as? [String] == ["pii"])
            let child = (
                id: try #require(delegated.object["id"] as? String),
                credential: try #require(delegated.object["credential"] as? String))
            let fetch = try Self.call("web___fetch", by: "researcher", ["url": "https://example.org"])
            #expect(try await desk.decide(fetch, credential: child.credential).allowed == true)
            // The child carries its parent's `pii` and now `untrusted`: a fetch can send data out too.
            let refetch = try await desk.decide(fetch, credential: child.credential)
            #expect(refetch.allowed == false)
            #expect(refetch.reason == "approval_required")
            #expect(try await desk.decide(Self.email, credential: parent.credential).allowed == true)

            let closed = try await client.send(.post, "/v1/tasks/\(child.id)/close", key: desk.front)
            #expect(closed.status == 200)
            #expect(try await desk.labels(of: parent.id) == ["pii", "untrusted"])
            let email = try await desk.decide(Self.email, credential: parent.credential)
            #expect(email.allowed == false)
            #expect(email.reason == "approval_required")
        }
    }
}
