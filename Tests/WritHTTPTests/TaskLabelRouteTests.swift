import Foundation
import HTTPTypes
import Testing
import WritCore
import WritHTTP

/// `POST /v1/tasks/{id}/labels` with hostile input: each refusal has its status and
/// code, and leaves the task's labels as they were.
@Suite struct TaskLabelRouteTests {
    typealias Desk = LethalTrifecta.Desk

    /// Opens a task carrying `pii`, runs `body`, and checks the task still carries
    /// only `pii` afterwards.
    func refused(
        _ body: @Sendable (Desk, (id: String, credential: String)) async throws -> Reply
    ) async throws -> Reply {
        try await LethalTrifecta.server.run { client in
            let desk = try await Desk(client)
            let task = try await desk.open()
            #expect(try await desk.report(["pii"], to: task.id, credential: task.credential).status == 200)
            let reply = try await body(desk, task)
            #expect(try await desk.labels(of: task.id) == ["pii"])
            return reply
        }
    }

    func post(_ desk: Desk, _ id: String, _ body: String, headers: HTTPFields) async throws -> Reply {
        try await desk.client.send(.post, "/v1/tasks/\(id)/labels", json: body, headers: headers)
    }

    static func credential(_ value: String) -> HTTPFields {
        [WritServer.taskCredentialHeader: value]
    }

    @Test(arguments: [
        (#"{"labels": "untrusted"}"#, "wrong_type"),
        (#"{"labels": ["untrusted", 1]}"#, "wrong_type"),
        (#"{"labels": null}"#, "wrong_type"),
        (#"["untrusted"]"#, "wrong_type"),
        (#"{}"#, "missing_field"),
        (#"{"labels": ["untrusted"], "task": "x"}"#, "invalid_request"),
        (#"{"labels": ["untrusted"], "labels": []}"#, "duplicate_key"),
        (#"{"labels": ["untrusted"]"#, "invalid_request"),
        (#"{"labels": ["un trusted"]}"#, "invalid_identifier"),
        (#"{"labels": [""]}"#, "invalid_identifier"),
        (#"{"labels": ["pii\u200b"]}"#, "invalid_identifier"),
    ])
    func aMalformedReportIsABadRequest(body: String, code: String) async throws {
        let reply = try await refused { desk, task in
            try await post(desk, task.id, body, headers: Self.credential(task.credential))
        }
        #expect(reply.status == 400)
        #expect(reply.errorCode == code)
    }

    @Test func tooManyLabelsAreTooLarge() async throws {
        let labels = (0...64).map { "\"l\($0)\"" }.joined(separator: ",")
        let reply = try await refused { desk, task in
            try await post(desk, task.id, #"{"labels": [\#(labels)]}"#, headers: Self.credential(task.credential))
        }
        #expect(reply.status == 413)
        #expect(reply.errorCode == "too_large")
        #expect(reply.object["error"].flatMap { ($0 as? [String: Any])?["message"] as? String }
            == "`labels` has 65 labels; at most 64 are accepted")
    }

    @Test func aLabelLongerThan64BytesIsTooLarge() async throws {
        let reply = try await refused { desk, task in
            let long = String(repeating: "a", count: 65)
            return try await post(desk, task.id, #"{"labels": ["\#(long)"]}"#, headers: Self.credential(task.credential))
        }
        #expect(reply.status == 413)
        #expect(reply.errorCode == "too_large")
    }

    @Test func aHugeBodyIsRefusedBeforeItIsRead() async throws {
        let status = try await LethalTrifecta.server.run { client in
            let desk = try await Desk(client)
            let task = try await desk.open()
            let connection = try RawConnection(port: client.port)
            await connection.send(
                "POST /v1/tasks/\(task.id)/labels HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Writ-Task-Credential: \(task.credential)\r\nContent-Length: 100000\r\n\r\n{\"labels\": [")
            let response = await connection.readResponse()
            #expect(try await desk.labels(of: task.id) == [])
            return response?.status
        }
        #expect(status == 413)
    }

    @Test func aBodyThatIsNotJSONIsAnUnsupportedMediaType() async throws {
        let reply = try await refused { desk, task in
            var headers = Self.credential(task.credential)
            headers[.contentType] = "text/plain"
            return try await desk.client.send(.post, "/v1/tasks/\(task.id)/labels", body: #"{"labels": ["a"]}"#, headers: headers)
        }
        #expect(reply.status == 415)
    }

    @Test func withoutACredentialTheReportIsUnauthenticated() async throws {
        let reply = try await refused { desk, task in
            try await post(desk, task.id, #"{"labels": ["untrusted"]}"#, headers: [:])
        }
        #expect(reply.status == 401)
        #expect(reply.errorCode == "unauthenticated")
    }

    @Test func anAPIKeyIsNotACredentialForReportingLabels() async throws {
        let reply = try await refused { desk, task in
            try await desk.client.send(
                .post, "/v1/tasks/\(task.id)/labels", json: #"{"labels": ["untrusted"]}"#, key: desk.front)
        }
        #expect(reply.status == 401)
    }

    @Test func aForgedOrDoubledCredentialIsUnauthenticated() async throws {
        let forged = try await refused { desk, task in
            try await post(desk, task.id, #"{"labels": ["untrusted"]}"#, headers: Self.credential(task.credential + "x"))
        }
        #expect(forged.status == 401)
        let doubled = try await refused { desk, task in
            var headers = Self.credential(task.credential)
            headers.append(HTTPField(name: WritServer.taskCredentialHeader, value: task.credential))
            return try await post(desk, task.id, #"{"labels": ["untrusted"]}"#, headers: headers)
        }
        #expect(doubled.status == 401)
    }

    @Test func anotherTasksCredentialIsForbidden() async throws {
        let reply = try await refused { desk, task in
            let other = try await desk.open()
            let reply = try await post(desk, task.id, #"{"labels": ["untrusted"]}"#, headers: Self.credential(other.credential))
            #expect(try await desk.labels(of: other.id) == [])
            return reply
        }
        #expect(reply.status == 403)
        #expect(reply.errorCode == "forbidden")
    }

    @Test func anUnknownTaskIsForbiddenToEveryCredential() async throws {
        let reply = try await refused { desk, task in
            try await post(desk, "t_AAAAAAAAAAAAAAAAAAAAAA", #"{"labels": ["untrusted"]}"#, headers: Self.credential(task.credential))
        }
        #expect(reply.status == 403)
    }

    @Test func aClosedTaskGainsNoLabels() async throws {
        let reply = try await refused { desk, task in
            #expect(try await desk.client.send(.post, "/v1/tasks/\(task.id)/close", key: desk.front).status == 200)
            return try await post(desk, task.id, #"{"labels": ["untrusted"]}"#, headers: Self.credential(task.credential))
        }
        #expect(reply.status == 409)
        #expect(reply.errorCode == "conflict")
    }
}
