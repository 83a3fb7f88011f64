import Foundation
import Testing

@Suite struct ServeCommand {
    /// A policy directory: one policy, a schema, entities and an AuthZEN mapping.
    static func policyDirectory() throws -> String {
        let directory = FileManagerHelpers.temporaryDirectory()
        try FileManagerHelpers.write(
            #"permit (principal == App::User::"alice", action == App::Action::"read", resource);"#,
            to: directory + "/main.cedar")
        try FileManagerHelpers.write(
            "namespace App { entity User; entity Doc; action read appliesTo { principal: User, resource: Doc }; }",
            to: directory + "/app.cedarschema")
        try FileManagerHelpers.write(#"[{"uid": {"type": "App::User", "id": "alice"}, "attrs": {}, "parents": []}]"#, to: directory + "/entities.json")
        try FileManagerHelpers.write(#"{"namespace": "App", "entityTypes": {"user": "App::User", "doc": "App::Doc"}}"#, to: directory + "/authzen.json")
        return directory
    }

    static let aliceReads = #"{"subject": {"type": "user", "id": "alice"}, "action": {"name": "read"}, "resource": {"type": "doc", "id": "d1"}}"#

    @Test func servesThePolicyDirectoryAndStopsOnSIGTERM() async throws {
        let data = FileManagerHelpers.temporaryDirectory()
        let server = try ServerProcess(["--from", try Self.policyDirectory(), "--data", data])
        #expect(server.printed.contains("(policy set version 1)"))
        let ready = try await server.request("GET", "/readyz")
        let decision = try await server.request("POST", "/access/v1/evaluation", json: Self.aliceReads)
        let stopped = server.stop()
        #expect(ready.status == 200)
        #expect(decision.body.contains(#""decision":true"#))
        #expect(stopped.status == 0)
    }

    @Test func stopsOnSIGINTToo() throws {
        let server = try ServerProcess(["--from", try Self.policyDirectory(), "--data", FileManagerHelpers.temporaryDirectory()])
        #expect(server.stop(SIGINT).status == 0)
    }

    @Test func aLaterStartServesTheStoreAndIgnoresFrom() async throws {
        let data = FileManagerHelpers.temporaryDirectory()
        let first = try ServerProcess(["--from", try Self.policyDirectory(), "--data", data])
        _ = try await first.request("PUT", "/v1/policies", json: #"{"files": [{"name": "none.cedar", "text": ""}]}"#)
        #expect(first.stop().status == 0)
        let second = try ServerProcess(["--from", try Self.policyDirectory(), "--data", data])
        let decision = try await second.request("POST", "/access/v1/evaluation", json: Self.aliceReads)
        let stopped = second.stop()
        #expect(second.printed.contains("(policy set version 2)"))
        #expect(decision.body.contains(#""decision":false"#))
        #expect(stopped.stderr.contains("ignored"))
    }

    @Test func withoutFromItServesTheTodoExample() async throws {
        let server = try ServerProcess(["--data", FileManagerHelpers.temporaryDirectory()])
        let decision = try await server.request(
            "POST", "/access/v1/evaluation",
            json: #"{"subject": {"type": "user", "id": "CiRmZDA2MTRkMy1jMzlhLTQ3ODEtYjdiZC04Yjk2ZjVhNTEwMGQSBWxvY2Fs"}, "action": {"name": "can_read_todos"}, "resource": {"type": "todo", "id": "1"}}"#)
        #expect(server.stop().status == 0)
        #expect(decision.status == 200)
        #expect(decision.body.contains(#""decision":true"#))
    }

    @Test func anInvalidPolicyDirectoryIsBadInput() throws {
        let directory = try Self.policyDirectory()
        try FileManagerHelpers.write("permit (principal, action, resource) when { ; };", to: directory + "/main.cedar")
        let server = try ServerProcess(["--from", directory, "--data", FileManagerHelpers.temporaryDirectory()])
        let stopped = server.stop()
        #expect(stopped.status == 1)
        #expect(stopped.stderr.contains("main.cedar:1:"))
    }

    @Test func aBadListenAddressIsBadInput() throws {
        let run = try CLI.run(["serve", "--listen", "localhost", "--data", FileManagerHelpers.temporaryDirectory()])
        #expect(run.status == 1)
        #expect(run.stderr.contains("HOST:PORT"))
    }
}
