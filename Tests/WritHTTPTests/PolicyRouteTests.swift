import Foundation
import HTTPTypes
import Testing
import WritCore
import WritHTTP

@Suite struct PolicyRoutes {
    static let extraPolicy = #"@id("bob-reads") permit (principal == user::"bob", action == Action::"read", resource);"#

    static func upload(_ text: String, comment: String? = nil, expected: Int? = nil) -> String {
        var members = [#""files": [{"name": "main.cedar", "text": \#(quoted(text))}]"#]
        if let comment { members.append(#""comment": \#(quoted(comment))"#) }
        if let expected { members.append(#""expected_version": \#(expected)"#) }
        return "{" + members.joined(separator: ", ") + "}"
    }

    static func quoted(_ text: String) -> String {
        String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
    }

    @Test func getReturnsTheActiveVersionWithItsFilesAndSchema() async throws {
        let reply = try await TestServer().run { client in try await client.send(.get, "/v1/policies") }
        #expect(reply.status == 200)
        #expect(reply.object["version"] as? Int == 1)
        #expect(reply.object["author"] as? String == "bootstrap")
        #expect((reply.object["digest"] as? String)?.count == 64)
        #expect(reply.object["created_at"] is String)
        let files = reply.object["files"] as? [[String: String]]
        #expect(files == [["name": "policies.cedar", "text": TestServer.policies]])
        let schema = reply.object["schema"] as? [String: String]
        #expect(schema == ["format": "cedar", "name": "schema.cedarschema", "text": TestServer.schema])
    }

    @Test func putStoresANewVersionByTheAnonymousAuthor() async throws {
        let (put, decision) = try await TestServer().run { client in
            let put = try await client.send(
                .put, "/v1/policies", json: Self.upload(TestServer.policies + "\n" + Self.extraPolicy, comment: "bob reads"))
            let decision = try await client.send(.post, "/access/v1/evaluation", json: evaluation("bob", "read", "plan"))
            return (put, decision)
        }
        #expect(put.status == 200)
        #expect(put.object["version"] as? Int == 2)
        #expect(put.object["author"] as? String == "anonymous")
        #expect(put.object["comment"] as? String == "bob reads")
        #expect(decision.object["decision"] as? Bool == true)
    }

    @Test func putAcceptsCedarTextAsOneFile() async throws {
        let (put, get) = try await TestServer().run { client in
            let put = try await client.send(
                .put, "/v1/policies?comment=plain", body: Self.extraPolicy, headers: [.contentType: "text/plain; charset=utf-8"])
            return (put, try await client.send(.get, "/v1/policies"))
        }
        #expect(put.status == 200)
        #expect(put.object["comment"] as? String == "plain")
        #expect(get.object["files"] as? [[String: String]] == [["name": "policies.cedar", "text": Self.extraPolicy]])
    }

    @Test func anUnparsablePolicyIs422WithLineAndColumnAndChangesNothing() async throws {
        let (put, get) = try await TestServer().run { client in
            let put = try await client.send(.put, "/v1/policies", json: Self.upload("permit (principal, action, resource)\nwhen { ; };"))
            return (put, try await client.send(.get, "/v1/policies"))
        }
        #expect(put.status == 422)
        #expect(put.errorCode == "policy_parse_error")
        let location = put.errorDetails.first?["location"] as? [String: Any]
        #expect(location?["file"] as? String == "main.cedar")
        #expect(location?["line"] as? Int == 2)
        #expect(location?["column"] as? Int == 8)
        #expect(get.object["version"] as? Int == 1)
    }

    @Test func aPolicyThatFailsValidationIs422AndTheOldVersionStillDecides() async throws {
        let (put, decision) = try await TestServer().run { client in
            let put = try await client.send(
                .put, "/v1/policies",
                json: Self.upload("permit (principal, action, resource) when { principal.salary > 10 };"))
            let decision = try await client.send(.post, "/access/v1/evaluation", json: evaluation("alice", "read", "plan"))
            return (put, decision)
        }
        #expect(put.status == 422)
        #expect(put.errorCode == "policy_validation_error")
        #expect(put.errorDetails.first?["policy_id"] as? String == "policy0")
        #expect((put.errorDetails.first?["location"] as? [String: Any])?["line"] as? Int == 1)
        #expect(decision.object["decision"] as? Bool == true)
    }

    @Test func aStaleExpectedVersionIs409() async throws {
        let reply = try await TestServer().run { client in
            try await client.send(.put, "/v1/policies", json: Self.upload(Self.extraPolicy, expected: 7))
        }
        #expect(reply.status == 409)
        #expect(reply.errorCode == "conflict")
    }

    @Test func anUploadWithAnUnknownMemberIs400() async throws {
        let reply = try await TestServer().run { client in
            try await client.send(.put, "/v1/policies", json: #"{"files": [], "expectedVersion": 1}"#)
        }
        #expect(reply.status == 400)
    }

    @Test func anUploadWithDuplicateKeysIs400() async throws {
        let reply = try await TestServer().run { client in
            try await client.send(.put, "/v1/policies", json: #"{"files": [], "files": []}"#)
        }
        #expect(reply.status == 400)
        #expect(reply.errorCode == "duplicate_key")
    }

    @Test func twoFilesWithOneNameAre400() async throws {
        let reply = try await TestServer().run { client in
            try await client.send(
                .put, "/v1/policies",
                json: #"{"files": [{"name": "a.cedar", "text": ""}, {"name": "a.cedar", "text": ""}]}"#)
        }
        #expect(reply.status == 400)
    }

    @Test func historyPagesNewestFirst() async throws {
        let (first, second) = try await TestServer().run { client in
            for comment in ["two", "three"] {
                _ = try await client.send(.put, "/v1/policies", json: Self.upload(Self.extraPolicy, comment: comment))
            }
            let first = try await client.send(.get, "/v1/policies/versions?limit=2")
            let next = first.object["next_before"] as? Int ?? 0
            return (first, try await client.send(.get, "/v1/policies/versions?limit=2&before=\(next)"))
        }
        #expect((first.object["versions"] as? [[String: Any]])?.map { $0["version"] as? Int } == [3, 2])
        #expect(first.object["next_before"] as? Int == 2)
        #expect((second.object["versions"] as? [[String: Any]])?.map { $0["version"] as? Int } == [1])
        #expect(second.object["next_before"] == nil)
    }

    @Test func aHistoryLimitOver1000Is400() async throws {
        let reply = try await TestServer().run { client in try await client.send(.get, "/v1/policies/versions?limit=1001") }
        #expect(reply.status == 400)
    }

    @Test func oneVersionIsReadByNumber() async throws {
        let reply = try await TestServer().run { client in try await client.send(.get, "/v1/policies/versions/1") }
        #expect(reply.status == 200)
        #expect(reply.object["version"] as? Int == 1)
        #expect(reply.object["files"] is [[String: String]])
    }

    @Test func aMissingVersionIs404() async throws {
        let reply = try await TestServer().run { client in try await client.send(.get, "/v1/policies/versions/9") }
        #expect(reply.status == 404)
    }

    @Test func aVersionThatIsNotANumberIs400() async throws {
        let reply = try await TestServer().run { client in try await client.send(.get, "/v1/policies/versions/-1") }
        #expect(reply.status == 400)
    }

    @Test func rollbackAppendsAVersionWithTheOldContent() async throws {
        let (rollback, history) = try await TestServer().run { client in
            _ = try await client.send(.put, "/v1/policies", json: Self.upload(Self.extraPolicy))
            let rollback = try await client.send(.post, "/v1/policies/rollback", json: #"{"version": 1}"#)
            return (rollback, try await client.send(.get, "/v1/policies/versions"))
        }
        let versions = history.object["versions"] as? [[String: Any]] ?? []
        #expect(rollback.status == 200)
        #expect(rollback.object["version"] as? Int == 3)
        #expect(rollback.object["comment"] as? String == "roll back to version 1")
        #expect(versions.map { $0["version"] as? Int } == [3, 2, 1])
        #expect(versions[0]["digest"] as? String == versions[2]["digest"] as? String)
    }

    @Test func rollbackToAMissingVersionIs404() async throws {
        let reply = try await TestServer().run { client in
            try await client.send(.post, "/v1/policies/rollback", json: #"{"version": 5}"#)
        }
        #expect(reply.status == 404)
    }

    @Test func thePolicySetCanBeLoadedOverHTTPWhenNoneExists() async throws {
        let (before, put, after) = try await TestServer(bootstrap: false).run { client in
            let before = try await client.send(.get, "/readyz")
            let put = try await client.send(.put, "/v1/policies", json: Self.upload(Self.extraPolicy))
            return (before, put, try await client.send(.get, "/readyz"))
        }
        #expect(before.status == 503)
        #expect(put.object["version"] as? Int == 1)
        #expect(after.status == 200)
    }
}
