import Foundation
import Testing

/// `writ audit explain`: a decision `writ serve` recorded, decided again from the data
/// directory.
@Suite struct AuditExplainCommand {
    /// A data directory where `writ serve` recorded one allow and one deny; their ids.
    static func recorded() async throws -> (data: String, allow: String, deny: String) {
        let data = FileManagerHelpers.temporaryDirectory()
        let server = try ServerProcess(["--from", try ServeCommand.policyDirectory(), "--data", data])
        let allowed = try await server.request("POST", "/access/v1/evaluation", json: ServeCommand.aliceReads)
        let denied = try await server.request(
            "POST", "/access/v1/evaluation", json: ServeCommand.aliceReads.replacingOccurrences(of: "alice", with: "bob"))
        #expect(server.stop().status == 0)
        return (data, AuditCrash.decisionID(allowed.body) ?? "", AuditCrash.decisionID(denied.body) ?? "")
    }

    @Test func aRecordedAllowIsDecidedAgainAndMatches() async throws {
        let (data, allow, _) = try await Self.recorded()
        let run = try CLI.run(["audit", "explain", allow, "--data", data])
        #expect(run.status == 0)
        #expect(run.stdout == """
            decision    \(allow) (record 3)
            version     policy set version 1
            recorded    allow; policies: allow (policy0)
            now         policies: allow (policy0)
            matches     yes

            """)
    }

    @Test func aRecordedDenyIsDecidedAgainAsJSON() async throws {
        let (data, _, deny) = try await Self.recorded()
        let run = try CLI.run(["audit", "explain", deny, "--data", data, "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        #expect(run.status == 0)
        #expect(object?["decision_id"] as? String == deny)
        #expect(object?["recorded_outcome"] as? String == "deny")
        #expect(object?["now_allowed"] as? Bool == false)
        #expect(object?["matches"] as? Bool == true)
    }

    @Test func aLaterPolicyChangeDoesNotChangeTheExplanation() async throws {
        // The version a record names is what decides again, so a later policy change
        // does not change the explanation.
        let (data, allow, _) = try await Self.recorded()
        let server = try ServerProcess(["--data", data])
        _ = try await server.request("PUT", "/v1/policies", json: #"{"files": [{"name": "none.cedar", "text": ""}]}"#)
        #expect(server.stop().status == 0)
        let run = try CLI.run(["audit", "explain", allow, "--data", data])
        #expect(run.status == 0)
        #expect(run.stdout.contains("version     policy set version 1\n"))
        #expect(run.stdout.contains("matches     yes\n"))
    }

    @Test func anUnknownDecisionIdIsBadInputNamingIt() async throws {
        let (data, _, _) = try await Self.recorded()
        let run = try CLI.run(["audit", "explain", "dec_nothing\u{202E}", "--data", data])
        #expect(run.status == 1)
        #expect(run.stderr == "error: no decision `dec_nothing\u{202E}` in the audit log of `\(data)`\n")
    }

    @Test func aMissingDataDirectoryIsBadInput() throws {
        let run = try CLI.run(["audit", "explain", "dec_x", "--data", "/nonexistent/writ-data"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("no Writ store"))
    }

    @Test func anEntityChangedSinceMakesTheExplanationAMismatchExitingThree() async throws {
        // Entities are not versioned: alice left the readers' group after the allow was
        // recorded, so the same policy set version now denies.
        let policies = FileManagerHelpers.temporaryDirectory()
        try FileManagerHelpers.write(
            #"permit (principal in App::Group::"readers", action == App::Action::"read", resource);"#,
            to: policies + "/main.cedar")
        try FileManagerHelpers.write(
            "namespace App { entity Group; entity User in [Group]; entity Doc; action read appliesTo { principal: User, resource: Doc }; }",
            to: policies + "/app.cedarschema")
        try FileManagerHelpers.write(
            #"[{"uid": {"type": "App::Group", "id": "readers"}, "attrs": {}, "parents": []}, "#
                + #"{"uid": {"type": "App::User", "id": "alice"}, "attrs": {}, "parents": [{"type": "App::Group", "id": "readers"}]}]"#,
            to: policies + "/entities.json")
        try FileManagerHelpers.write(
            #"{"namespace": "App", "entityTypes": {"user": "App::User", "doc": "App::Doc"}}"#, to: policies + "/authzen.json")
        let data = FileManagerHelpers.temporaryDirectory()
        let server = try ServerProcess(["--from", policies, "--data", data])
        let allowed = try await server.request("POST", "/access/v1/evaluation", json: ServeCommand.aliceReads)
        let moved = try await server.request(
            "POST", "/v1/entities", json: #"[{"uid": {"type": "App::User", "id": "alice"}, "attrs": {}, "parents": []}]"#)
        #expect(server.stop().status == 0)
        #expect(moved.status == 200)
        let allow = try #require(AuditCrash.decisionID(allowed.body))

        let run = try CLI.run(["audit", "explain", allow, "--data", data])
        #expect(run.status == 3)
        #expect(run.stdout.contains("recorded    allow; policies: allow (policy0)\n"))
        #expect(run.stdout.contains("now         policies: deny (no policy)\n"))
        #expect(run.stdout.contains("matches     no\n"))
    }
}
