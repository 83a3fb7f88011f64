import Foundation
import HTTPTypes
import Testing
import WritCore
import WritHTTP

@Suite struct Authentication {
    static let decide = "/access/v1/evaluation"

    @Test func requiredModeRefusesARequestWithoutAKey() async throws {
        let reply = try await TestServer(auth: .required).run { client in
            try await client.send(.post, Self.decide, json: evaluation("alice", "read", "plan"))
        }
        #expect(reply.status == 401)
        #expect(reply.errorCode == "unauthenticated")
        #expect(reply.header("WWW-Authenticate") == #"Bearer realm="writ""#)
    }

    @Test func aGarbageTokenIs401WithInvalidToken() async throws {
        let reply = try await TestServer(auth: .required).run { client in
            try await client.send(.post, Self.decide, json: evaluation("alice", "read", "plan"), key: "writ_zz_yy")
        }
        #expect(reply.status == 401)
        #expect(reply.header("WWW-Authenticate") == #"Bearer realm="writ", error="invalid_token""#)
    }

    @Test func aWrongSecretIs401() async throws {
        let reply = try await TestServer(auth: .required).run { client in
            let (record, _) = try await client.makeKey("pep", [.decide])
            let forged = "writ_\(record.id)_" + String(repeating: "0", count: 64)
            return try await client.send(.post, Self.decide, json: evaluation("alice", "read", "plan"), key: forged)
        }
        #expect(reply.status == 401)
    }

    @Test func aDecideKeyDecides() async throws {
        let reply = try await TestServer(auth: .required).run { client in
            let (_, token) = try await client.makeKey("pep", [.decide])
            return try await client.send(.post, Self.decide, json: evaluation("alice", "read", "plan"), key: token)
        }
        #expect(reply.status == 200)
    }

    @Test func aRevokedKeyIs401() async throws {
        let reply = try await TestServer(auth: .required).run { client in
            let (record, token) = try await client.makeKey("pep", [.decide])
            _ = try await client.service.store.revokeAPIKey(id: record.id, at: Date())
            return try await client.send(.post, Self.decide, json: evaluation("alice", "read", "plan"), key: token)
        }
        #expect(reply.status == 401)
    }

    @Test func aDecideKeyOnTheManagementAPIIs403() async throws {
        let reply = try await TestServer(auth: .required).run { client in
            let (_, token) = try await client.makeKey("pep", [.decide])
            return try await client.send(.get, "/v1/policies", key: token)
        }
        #expect(reply.status == 403)
        #expect(reply.errorCode == "forbidden")
    }

    @Test func aManageKeyOnTheDecisionAPIIs403() async throws {
        let reply = try await TestServer(auth: .required).run { client in
            let (_, token) = try await client.makeKey("admin", [.manage])
            return try await client.send(.post, Self.decide, json: evaluation("alice", "read", "plan"), key: token)
        }
        #expect(reply.status == 403)
    }

    @Test func changesAreRecordedUnderTheKeyName() async throws {
        let reply = try await TestServer(auth: .required).run { client in
            let (_, token) = try await client.makeKey("policy-admin", [.manage])
            return try await client.send(.post, "/v1/policies/rollback", json: #"{"version": 1}"#, key: token)
        }
        #expect(reply.object["author"] as? String == "policy-admin")
    }

    @Test func autoModeIsOpenWhileNoKeyExists() async throws {
        let reply = try await TestServer(auth: .auto).run { client in
            try await client.send(.post, Self.decide, json: evaluation("alice", "read", "plan"))
        }
        #expect(reply.status == 200)
    }

    @Test func autoModeRequiresAKeyOnceOneExists() async throws {
        let reply = try await TestServer(auth: .auto).run { client in
            _ = try await client.makeKey("pep", [.decide])
            return try await client.send(.post, Self.decide, json: evaluation("alice", "read", "plan"))
        }
        #expect(reply.status == 401)
    }

    @Test func autoModeStaysLockedOnceEveryKeyIsRevoked() async throws {
        let reply = try await TestServer(auth: .auto).run { client in
            let (record, _) = try await client.makeKey("pep", [.decide])
            _ = try await client.service.store.revokeAPIKey(id: record.id, at: Date())
            return try await client.send(.post, Self.decide, json: evaluation("alice", "read", "plan"))
        }
        #expect(reply.status == 401)
    }

    @Test func offModeIgnoresKeys() async throws {
        let reply = try await TestServer(auth: .off).run { client in
            _ = try await client.makeKey("pep", [.decide])
            return try await client.send(.get, "/v1/policies", key: "writ_not_valid")
        }
        #expect(reply.status == 200)
    }

    @Test func healthMetricsAndMetadataNeedNoKey() async throws {
        let statuses = try await TestServer(auth: .required).run { client in
            var statuses: [Int] = []
            for path in ["/livez", "/readyz", "/metrics", "/openapi.json", "/.well-known/authzen-configuration"] {
                statuses.append(try await client.send(.get, path).status)
            }
            return statuses
        }
        #expect(statuses == [200, 200, 200, 200, 200])
    }
}
