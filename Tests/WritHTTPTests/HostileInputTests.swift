import Foundation
import HTTPTypes
import Testing
import WritCore
import WritHTTP

/// RELIABILITY.md section B: bad requests get clear 4xx answers, never a 5xx.
@Suite struct HostileInput {
    static let small = RequestLimits(maxBodyBytes: 1024, maxDocumentBytes: 2048)

    @Test func aDeclaredBodyOverTheLimitIs413() async throws {
        let reply = try await TestServer(limits: Self.small).run { client in
            try await client.send(.post, "/access/v1/evaluation", json: String(repeating: " ", count: 1025) + "{}")
        }
        #expect(reply.status == 413)
        #expect(reply.errorCode == "too_large")
        #expect(reply.header("Connection") == "close")
    }

    @Test func aManagementDocumentOverItsLimitIs413() async throws {
        let reply = try await TestServer(limits: Self.small).run { client in
            try await client.send(.post, "/v1/entities", json: "[" + String(repeating: " ", count: 2048) + "]")
        }
        #expect(reply.status == 413)
    }

    @Test func aChunkedBodyPastTheLimitIs413AndTheConnectionIsCut() async throws {
        let (status, closed) = try await TestServer(limits: Self.small).run { client in
            let connection = try RawConnection(port: client.port)
            await connection.send(
                "POST /access/v1/evaluation HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n")
            let chunk = "400\r\n" + String(repeating: " ", count: 1024) + "\r\n"
            await connection.send(chunk + chunk)
            let response = await connection.readResponse()
            // Keep sending, as an endless body would: the server stops reading and closes.
            for _ in 0..<512 { guard await connection.send(chunk) else { break } }
            return (response?.status, await connection.isClosedByPeer())
        }
        #expect(status == 413)
        #expect(closed)
    }

    @Test func aBodyLongerThanItsDeclaredLengthIsNotReadAsOneBody() async throws {
        // Content-Length says 2 bytes; the rest is not body but the next request,
        // which is not HTTP: the first request is answered on its 2 bytes, the rest refused.
        let (first, second) = try await TestServer(limits: Self.small).run { client in
            let connection = try RawConnection(port: client.port)
            await connection.send(
                "POST /access/v1/evaluation HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 2\r\n\r\n{}" + String(repeating: "x", count: 4096))
            return (await connection.readResponse()?.status, await connection.readResponse()?.status)
        }
        #expect(first == 400)
        #expect(second == 400)
    }

    @Test func textPlainOnAnAuthZENRouteIs415() async throws {
        let reply = try await TestServer().run { client in
            try await client.send(
                .post, "/access/v1/evaluation", body: evaluation("alice", "read", "plan"),
                headers: [.contentType: "text/plain"])
        }
        #expect(reply.status == 415)
        #expect(reply.errorCode == "unsupported_media_type")
    }

    @Test func aMissingContentTypeIs415() async throws {
        let reply = try await TestServer().run { client in
            try await client.send(.post, "/access/v1/evaluation", body: evaluation("alice", "read", "plan"))
        }
        #expect(reply.status == 415)
    }

    @Test func jsonWithAUTF8CharsetIsAccepted() async throws {
        let reply = try await TestServer().run { client in
            try await client.send(
                .post, "/access/v1/evaluation", body: evaluation("alice", "read", "plan"),
                headers: [.contentType: "Application/JSON; charset=\"UTF-8\""])
        }
        #expect(reply.status == 200)
    }

    @Test func jsonInAnotherCharsetIs415() async throws {
        let reply = try await TestServer().run { client in
            try await client.send(
                .post, "/access/v1/evaluation", body: evaluation("alice", "read", "plan"),
                headers: [.contentType: "application/json; charset=latin1"])
        }
        #expect(reply.status == 415)
    }

    @Test func duplicateKeysAre400() async throws {
        let body = #"{"subject": {"type": "user", "id": "alice", "id": "bob"}, "action": {"name": "read"}, "resource": {"type": "document", "id": "plan"}}"#
        let reply = try await TestServer().run { client in
            try await client.send(.post, "/access/v1/evaluation", json: body)
        }
        #expect(reply.status == 400)
        #expect(reply.errorCode == "duplicate_key")
    }

    @Test func contextNestedToDepth64IsEvaluated() async throws {
        let reply = try await TestServer().run { client in
            try await client.send(.post, "/access/v1/evaluation", json: Self.nested(depth: 64))
        }
        #expect(reply.status == 200)
    }

    @Test func contextNestedToDepth65Is400() async throws {
        let reply = try await TestServer().run { client in
            try await client.send(.post, "/access/v1/evaluation", json: Self.nested(depth: 65))
        }
        #expect(reply.status == 400)
        #expect(reply.errorCode == "too_deep")
    }

    /// An evaluation whose document nests to `depth` (the top-level object is 1, the
    /// context object 2).
    static func nested(depth: Int) -> String {
        let inner = String(repeating: "[", count: depth - 2) + String(repeating: "]", count: depth - 2)
        return #"{"subject": {"type": "user", "id": "alice"}, "action": {"name": "read"}, "resource": {"type": "document", "id": "plan"}, "context": {"deep": \#(inner)}}"#
    }

    @Test func aWrongMethodIs405WithAllow() async throws {
        let reply = try await TestServer().run { client in
            try await client.send(.get, "/access/v1/evaluation")
        }
        #expect(reply.status == 405)
        #expect(reply.header("Allow") == "POST")
        #expect(reply.errorCode == "method_not_allowed")
    }

    @Test func aWrongMethodOnAPathWithSeveralListsThemAll() async throws {
        let reply = try await TestServer().run { client in
            try await client.send(.patch, "/v1/entities")
        }
        #expect(reply.status == 405)
        #expect(reply.header("Allow") == "GET, PUT, POST, DELETE")
    }

    @Test func anUnknownPathIs404WithAJSONError() async throws {
        let reply = try await TestServer().run { client in
            try await client.send(.get, "/access/v2/evaluation")
        }
        #expect(reply.status == 404)
        #expect(reply.errorCode == "not_found")
        #expect(reply.header("X-Request-ID") != nil)
    }

    @Test func aRequestIDWithAControlCharacterIs400() async throws {
        let reply = try await TestServer().run { client in
            try await client.send(.get, "/livez", headers: [.init("X-Request-ID")!: "abc\tdef"])
        }
        #expect(reply.status == 400)
        #expect(reply.errorCode == "invalid_request")
    }

    @Test func aRequestIDLongerThan256BytesIs400() async throws {
        let reply = try await TestServer().run { client in
            try await client.send(.get, "/livez", headers: [.init("X-Request-ID")!: String(repeating: "a", count: 257)])
        }
        #expect(reply.status == 400)
    }

    @Test func aRequestIDOf256BytesIsEchoed() async throws {
        let id = String(repeating: "a", count: 256)
        let reply = try await TestServer().run { client in
            try await client.send(.get, "/livez", headers: [.init("X-Request-ID")!: id])
        }
        #expect(reply.header("X-Request-ID") == id)
    }

    @Test(arguments: HostileBody.all)
    func hostileBodiesGetA4xxOnEveryPOSTRoute(_ hostile: HostileBody) async throws {
        let paths = [
            "/access/v1/evaluation", "/access/v1/evaluations", "/access/v1/search/subject",
            "/access/v1/search/resource", "/access/v1/search/action", "/v1/policies/rollback", "/v1/entities",
        ]
        let statuses = try await TestServer().run { client in
            var statuses: [Int] = []
            for path in paths { statuses.append(try await client.send(.post, path, json: hostile.body).status) }
            return statuses
        }
        #expect(statuses.allSatisfy { (400..<500).contains($0) }, "\(statuses)")
    }

    @Test func invalidUTF8IsA4xx() async throws {
        let statuses = try await TestServer().run { client in
            let connection = try RawConnection(port: client.port)
            var statuses: [Int?] = []
            for path in ["/access/v1/evaluation", "/v1/policies"] {
                let body: [UInt8] = Array(#"{"subject": {"type": "user", "id": ""#.utf8) + [0xC3, 0x28] + Array(#""}}"#.utf8)
                let method = path == "/v1/policies" ? "PUT" : "POST"
                await connection.send(
                    "\(method) \(path) HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "Content-Length: \(body.count)\r\n\r\n")
                await connection.send(body)
                statuses.append(await connection.readResponse()?.status)
            }
            return statuses
        }
        #expect(statuses == [400, 400])
    }
}

/// A request body no route should accept, named for the test report.
struct HostileBody: Sendable, CustomTestStringConvertible {
    let testDescription: String
    let body: String

    static let all: [HostileBody] = [
        HostileBody(testDescription: "empty", body: ""),
        HostileBody(testDescription: "null", body: "null"),
        HostileBody(testDescription: "array of a number", body: "[1]"),
        HostileBody(testDescription: "truncated", body: "{"),
        HostileBody(testDescription: "string", body: "\"text\""),
        HostileBody(testDescription: "subject is a number", body: #"{"subject": 1}"#),
        HostileBody(testDescription: "subject without id", body: #"{"subject": {"type": "user"}}"#),
        HostileBody(testDescription: "number 1e400", body: #"{"a": 1e400}"#),
        HostileBody(testDescription: "lone surrogate", body: #"{"a": "\ud800"}"#),
        HostileBody(testDescription: "100k open brackets", body: String(repeating: "[", count: 100_000)),
        HostileBody(
            testDescription: "bidi controls in the ids",
            body: #"{"subject": {"type": "user", "id": "al\u202eice"}, "action": {"name": "read"}, "resource": {"type": "document", "id": "pl\u202ean"}}"#),
        HostileBody(testDescription: "evaluations is a number", body: #"{"evaluations": 5}"#),
        HostileBody(
            testDescription: "forged page token",
            body: #"{"subject": {"type": "user", "id": "alice"}, "page": {"token": "forged"}}"#),
    ]
}
