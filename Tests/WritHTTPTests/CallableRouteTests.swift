import Foundation
import HTTPTypes
import Testing
import WritCore
import WritHTTP

/// `POST /v1/tools/callable` over HTTP on loopback: the tools an agent's task might
/// call, for an MCP gateway's listing, decided without arguments or charges.
@Suite struct CallableRoute {
    static let body = #"{"tools": ["tickets___nope", "tickets___update"]}"#

    @Test func theToolsTheTaskMightCallAreAnsweredWithoutCharging() async throws {
        let (reply, task) = try await FilterRoute.checkpoints.run { client in
            let opened = try await FilterRoute.open(client)
            let reply = try await client.send(.post, "/v1/tools/callable", json: Self.body, headers: FilterRoute.header(opened.credential))
            return (reply, try await client.send(.get, "/v1/tasks/\(opened.id)"))
        }
        #expect(reply.status == 200)
        #expect(reply.object["callable"] as? [String] == ["tickets___update"])
        #expect((task.object["counters"] as? [String: Any])?["decisions"] as? Int == 0)
    }

    @Test func withoutATaskCredentialNoToolIsCallable() async throws {
        let reply = try await FilterRoute.checkpoints.run { client in
            try await client.send(.post, "/v1/tools/callable", json: Self.body)
        }
        #expect(reply.status == 200)
        #expect(reply.object["callable"] as? [String] == [])
    }

    @Test func toolsThatAreNotStringsAreRefused() async throws {
        let reply = try await FilterRoute.checkpoints.run { client in
            try await client.send(.post, "/v1/tools/callable", json: #"{"tools": [7]}"#)
        }
        #expect(reply.status == 400)
    }
}
