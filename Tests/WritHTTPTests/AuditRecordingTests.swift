import Cedar
import Foundation
import HTTPTypes
import Testing
import WritCore
import WritHTTP

/// With an audit sink, every decision is recorded before it is answered, and one that
/// cannot be recorded is not answered.
@Suite struct AuditRecordingTests {
    actor Sink: AuditSink {
        private(set) var events: [AuditEvent] = []
        func record(_ events: [AuditEvent]) async throws(WritError) { self.events += events }
    }

    /// Records the server's start and stop, but no decision.
    struct Failing: AuditSink {
        func record(_ events: [AuditEvent]) async throws(WritError) {
            if events.contains(where: { $0.kind == .decision || $0.kind == .search }) {
                throw WritError(.storeUnavailable, "the audit log is full")
            }
        }
    }

    @Test func aDecisionIsRecordedWithTheIDItsResponseNames() async throws {
        let sink = Sink()
        try await TestServer(audit: sink).run { client in
            let reply = try await client.send(
                .post, "/access/v1/evaluation", json: evaluation("alice", "read", "plan"), headers: [.init("X-Request-ID")!: "req-7"])
            #expect(reply.status == 200)
            let context = try #require(reply.object["context"] as? [String: Any])
            let id = try #require(context["decision_id"] as? String)
            let decisions = await sink.events.filter { $0.kind == .decision }
            #expect(decisions.map(\.decisionID) == [id])
            #expect(decisions.map(\.outcome) == [.allow])
            #expect(decisions.map(\.resource) == [#"document::"plan""#])
            #expect(decisions.first?.details.encoded().contains(#""request_id":"req-7""#) == true)
        }
    }

    @Test func theActorIsThePEPsKeyID() async throws {
        let sink = Sink()
        try await TestServer(auth: .required, audit: sink).run { client in
            let (record, token) = try await client.makeKey("pep", [.decide])
            let reply = try await client.send(.post, "/access/v1/evaluation", json: evaluation("bob", "read", "plan"), key: token)
            #expect(reply.status == 200)
            #expect(await sink.events.filter { $0.kind == .decision }.map(\.actor) == [record.id])
        }
    }

    @Test func aDecisionThatCannotBeRecordedIs503AuditUnavailable() async throws {
        try await TestServer(audit: Failing()).run { client in
            let reply = try await client.send(.post, "/access/v1/evaluation", json: evaluation("alice", "read", "plan"))
            #expect(reply.status == 503)
            #expect(reply.errorCode == "audit_unavailable")
            #expect(!reply.body.contains(#""decision":true"#))
        }
    }

    @Test func aFilterThatCannotBeRecordedIs503AuditUnavailable() async throws {
        try await TestServer(audit: Failing()).run { client in
            let body = #"{"subject": {"type": "user", "id": "alice"}, "action": {"name": "read"}, "resources": [{"type": "document", "id": "plan"}]}"#
            let reply = try await client.send(.post, "/v1/filter", json: body)
            #expect(reply.status == 503)
            #expect(reply.errorCode == "audit_unavailable")
        }
    }

    @Test func aSearchIsRecordedWithThePageOfResultsItAnswered() async throws {
        let sink = Sink()
        try await TestServer(audit: sink).run { client in
            let body = #"{"subject": {"type": "user", "id": "alice"}, "action": {"name": "read"}, "resource": {"type": "document"}}"#
            let reply = try await client.send(
                .post, "/access/v1/search/resource", json: body, headers: [.init("X-Request-ID")!: "req-9"])
            #expect(reply.status == 200)
            let searches = await sink.events.filter { $0.kind == .search }
            #expect(searches.count == 1)
            let details = try #require(searches.first?.details)
            #expect(member(details, "operation") == .string("search_resource"))
            #expect(member(details, "request_id") == .string("req-9"))
            #expect(member(details, "results") == member(try JSON.parse(reply.body), "results"))
            #expect(member(member(details, "request"), "subject") == .object(JSONObject(uniqueMembers: [
                (key: "type", value: .string("user")), (key: "id", value: .string("alice")),
            ])))
            #expect(await sink.events.filter { $0.kind == .decision }.isEmpty)
        }
    }

    @Test func aSearchRecordDropsTheTaskToken() async throws {
        let sink = Sink()
        try await TestServer(audit: sink).run { client in
            let body = #"{"subject": {"type": "user", "id": "alice"}, "action": {"name": "read"}, "resource": {"type": "document"}, "context": {"task_token": "eyJsecret", "note": "kept"}}"#
            let reply = try await client.send(.post, "/access/v1/search/resource", json: body)
            #expect(reply.status == 200)
            let details = try #require(await sink.events.first { $0.kind == .search }?.details)
            #expect(member(member(details, "request"), "context") == .object(JSONObject(uniqueMembers: [(key: "note", value: .string("kept"))])))
            #expect(!details.encoded().contains("eyJsecret"))
        }
    }

    @Test func aSearchThatCannotBeRecordedIs503AuditUnavailable() async throws {
        try await TestServer(audit: Failing()).run { client in
            let body = #"{"subject": {"type": "user", "id": "alice"}, "action": {"name": "read"}, "resource": {"type": "document"}}"#
            let reply = try await client.send(.post, "/access/v1/search/resource", json: body)
            #expect(reply.status == 503)
            #expect(reply.errorCode == "audit_unavailable")
        }
    }

    @Test func everyFilterCandidateIsRecorded() async throws {
        let sink = Sink()
        try await TestServer(audit: sink).run { client in
            let body = #"{"subject": {"type": "user", "id": "bob"}, "action": {"name": "write"}, "resources": [{"type": "document", "id": "plan"}, {"type": "document", "id": "other"}]}"#
            let reply = try await client.send(.post, "/v1/filter", json: body)
            #expect(reply.status == 200)
            let decisions = await sink.events.filter { $0.kind == .decision }
            #expect(decisions.map(\.outcome) == [.allow, .deny])
        }
    }

    @Test func theServerRecordsItsStartAndStop() async throws {
        let sink = Sink()
        try await TestServer(audit: sink).run { client in
            _ = try await client.send(.get, "/livez")
        }
        let kinds = await sink.events.map(\.kind)
        #expect(kinds.first == .serverStarted)
        #expect(kinds.last == .serverStopped)
    }
}

/// Over HTTP, with real task credentials and API keys: no event holds a secret.
@Suite struct AuditSecretRouteTests {
    @Test func tasksAndDecisionsOverHTTPRecordNoCredentialKeyOrSigningKey() async throws {
        let sink = AuditRecordingTests.Sink()
        let signingKey = SigningKeyRecord.generate(now: Date())
        let server = TestServer(auth: .required, example: "agent-demo", tasks: true, signingKey: signingKey, audit: sink)
        let secrets = try await server.run { client -> [String] in
            let desk = try await AgentDemo.Desk(client)
            let task = try await desk.open()
            _ = try await desk.decide(try AgentDemo.call("docs___search", ["query": "refund policy"]), credential: task.credential)
            let child = try await desk.delegate(from: task, agent: "refund-bot", mandate: try AgentDemo.mandate("ticket-42"))
            let childCredential = child.object["credential"] as? String ?? ""
            _ = try await client.send(.post, "/v1/tasks/\(task.id)/close", key: desk.front)
            return [task.credential, childCredential, desk.front, desk.pep]
        }
        let events = await sink.events
        #expect(Set(events.map(\.kind)).isSuperset(of: [.decision, .taskOpened, .taskDelegated, .taskClosed]))
        let key = signingKey.privateKey
        let forms = [
            key.map { String(format: "%02x", $0) }.joined(), Data(key).base64EncodedString(),
            Data(key).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: ""),
        ]
        for event in events {
            let text = event.details.encoded() + [event.actor, event.taskID, event.agent, event.user].compactMap { $0 }.joined()
            for secret in (secrets + forms).filter({ !$0.isEmpty }) {
                #expect(!text.contains(secret), "\(event.kind.rawValue) holds a secret")
            }
        }
    }
}

/// Member `key` of `json` when it is an object.
private func member(_ json: JSON?, _ key: String) -> JSON? {
    guard case .object(let object)? = json else { return nil }
    return object[key]
}
