import Foundation
import HTTPTypes
import Testing
import WritCore
import WritHTTP

@Suite struct SchemaRoutes {
    @Test func getReturnsTheSchemaTextInItsFormat() async throws {
        let reply = try await TestServer().run { client in try await client.send(.get, "/v1/schema") }
        #expect(reply.status == 200)
        #expect(reply.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(reply.body == TestServer.schema)
    }

    @Test func putWithAWiderSchemaStoresANewVersion() async throws {
        let wider = TestServer.schema + "\nentity team;"
        let (put, get) = try await TestServer().run { client in
            let put = try await client.send(.put, "/v1/schema", body: wider, headers: [.contentType: "text/plain"])
            return (put, try await client.send(.get, "/v1/schema"))
        }
        #expect(put.status == 200)
        #expect(put.object["version"] as? Int == 2)
        #expect(get.body == wider)
    }

    @Test func aJSONSchemaIsStoredInTheJSONFormat() async throws {
        let json = #"{"": {"entityTypes": {"user": {"shape": {"type": "Record", "attributes": {"role": {"type": "String"}}}}, "document": {"shape": {"type": "Record", "attributes": {"owner": {"type": "Entity", "name": "user"}, "public": {"type": "Boolean"}}}}}, "actions": {"read": {"appliesTo": {"principalTypes": ["user"], "resourceTypes": ["document"]}}, "write": {"appliesTo": {"principalTypes": ["user"], "resourceTypes": ["document"]}}}}}"#
        let (put, get) = try await TestServer().run { client in
            let put = try await client.send(.put, "/v1/schema", json: json)
            return (put, try await client.send(.get, "/v1/schema"))
        }
        #expect(put.status == 200)
        #expect(get.header("Content-Type") == "application/json")
        #expect(get.body == json)
    }

    @Test func aSchemaThePoliciesDoNotValidateAgainstIs422AndChangesNothing() async throws {
        let narrower = "entity user; entity document; action read, write appliesTo { principal: user, resource: document };"
        let (put, get) = try await TestServer().run { client in
            let put = try await client.send(.put, "/v1/schema", body: narrower, headers: [.contentType: "text/plain"])
            return (put, try await client.send(.get, "/v1/schema"))
        }
        #expect(put.status == 422)
        #expect(get.body == TestServer.schema)
    }

    @Test func anUnparsableSchemaIs422WithItsPosition() async throws {
        let reply = try await TestServer().run { client in
            try await client.send(.put, "/v1/schema", body: "entity user = {", headers: [.contentType: "text/plain"])
        }
        #expect(reply.status == 422)
        #expect(reply.errorCode == "schema_error")
        let location = reply.errorDetails.first?["location"] as? [String: Any]
        #expect(location?["file"] as? String == "schema.cedarschema")
        #expect(location?["line"] as? Int == 1)
    }
}

@Suite struct EntityRoutes {
    static let carol = #"[{"uid": {"type": "user", "id": "carol"}, "attrs": {"role": "admin"}, "parents": []}]"#

    static func ids(_ reply: Reply) -> [String] {
        let list = (try? JSONSerialization.jsonObject(with: Data(reply.body.utf8))) as? [[String: Any]] ?? []
        return list.compactMap { ($0["uid"] as? [String: Any])?["id"] as? String }
    }

    @Test func getReturnsTheEntityDocument() async throws {
        let reply = try await TestServer().run { client in try await client.send(.get, "/v1/entities") }
        #expect(reply.status == 200)
        #expect(Self.ids(reply) == ["plan", "alice", "bob"])
    }

    @Test func postUpsertsAndTheNewEntityDecides() async throws {
        let (post, decision) = try await TestServer().run { client in
            let post = try await client.send(.post, "/v1/entities", json: Self.carol)
            return (post, try await client.send(.post, "/access/v1/evaluation", json: evaluation("carol", "read", "plan")))
        }
        #expect(post.status == 200)
        #expect(post.object["count"] as? Int == 1)
        #expect(decision.object["decision"] as? Bool == true)
    }

    @Test func putReplacesTheWholeSet() async throws {
        let (put, get) = try await TestServer().run { client in
            let put = try await client.send(.put, "/v1/entities", json: Self.carol)
            return (put, try await client.send(.get, "/v1/entities"))
        }
        #expect(put.object["count"] as? Int == 1)
        #expect(Self.ids(get) == ["carol"])
    }

    @Test func deleteRemovesByUID() async throws {
        let (delete, get) = try await TestServer().run { client in
            let delete = try await client.send(
                .delete, "/v1/entities", json: #"[{"type": "user", "id": "alice"}, {"type": "user", "id": "nobody"}]"#)
            return (delete, try await client.send(.get, "/v1/entities"))
        }
        #expect(delete.object["deleted"] as? Int == 1)
        #expect(Self.ids(get) == ["plan", "bob"])
    }

    @Test func anEntityThatBreaksTheSchemaIs422AndChangesNothing() async throws {
        let (post, get) = try await TestServer().run { client in
            let post = try await client.send(
                .post, "/v1/entities", json: #"[{"uid": {"type": "user", "id": "dave"}, "attrs": {"role": 7}, "parents": []}]"#)
            return (post, try await client.send(.get, "/v1/entities"))
        }
        #expect(post.status == 422)
        #expect(post.errorCode == "invalid_entities")
        #expect(Self.ids(get) == ["plan", "alice", "bob"])
    }

    @Test func entitiesAsTextAre415() async throws {
        let reply = try await TestServer().run { client in
            try await client.send(.post, "/v1/entities", body: Self.carol, headers: [.contentType: "text/plain"])
        }
        #expect(reply.status == 415)
    }

    @Test func aDeleteListWithAWrongTypeIs400() async throws {
        let reply = try await TestServer().run { client in
            try await client.send(.delete, "/v1/entities", json: #"[{"type": "user", "id": 1}]"#)
        }
        #expect(reply.status == 400)
        #expect(reply.errorCode == "wrong_type")
    }
}
