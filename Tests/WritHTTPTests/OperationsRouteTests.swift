import Foundation
import WritTestSupport
import HTTPTypes
import Testing
@testable import WritHTTP
import WritCore
import WritSQLite

@Suite struct OperationsRoutes {
    @Test func livezIs200() async throws {
        let reply = try await TestServer(bootstrap: false).run { client in try await client.send(.get, "/livez") }
        #expect(reply.status == 200)
        #expect(reply.object["status"] as? String == "live")
    }

    @Test func readyzIs503WithTheReasonBeforeAPolicySetExists() async throws {
        let reply = try await TestServer(bootstrap: false).run { client in try await client.send(.get, "/readyz") }
        #expect(reply.status == 503)
        #expect(reply.object["status"] as? String == "not_ready")
        #expect((reply.object["reason"] as? String)?.isEmpty == false)
    }

    @Test func readyzNamesTheActiveVersion() async throws {
        let reply = try await TestServer().run { client in try await client.send(.get, "/readyz") }
        #expect(reply.status == 200)
        #expect(reply.object["status"] as? String == "ready")
        #expect(reply.object["policy_set_version"] as? Int == 1)
        #expect(reply.object["mode"] as? String == "strict")
    }

    @Test func metricsCountDecisionsByOutcome() async throws {
        let text = try await TestServer().run { client in
            _ = try await client.send(.post, "/access/v1/evaluation", json: evaluation("alice", "read", "plan"))
            _ = try await client.send(.post, "/access/v1/evaluation", json: evaluation("alice", "write", "plan"))
            _ = try await client.send(.post, "/access/v1/evaluation", json: evaluation("alice", "write", "plan"))
            _ = try await client.send(.post, "/access/v1/evaluation", json: "{}")
            return try await client.send(.get, "/metrics").body
        }
        let lines = Set(text.split(separator: "\n").map(String.init))
        #expect(lines.contains(#"writ_decisions_total{operation="evaluation",outcome="allow"} 1"#))
        #expect(lines.contains(#"writ_decisions_total{operation="evaluation",outcome="deny"} 2"#))
        #expect(lines.contains(#"writ_decisions_total{operation="evaluation",outcome="error"} 1"#))
        #expect(lines.contains(#"writ_decision_duration_seconds_count{operation="evaluation"} 4"#))
        #expect(lines.contains(#"writ_http_requests_total{method="POST",route="/access/v1/evaluation",status="200"} 3"#))
        #expect(lines.contains(#"writ_http_requests_total{method="POST",route="/access/v1/evaluation",status="400"} 1"#))
    }

    @Test func unknownPathsAreCountedAsUnmatched() async throws {
        let text = try await TestServer().run { client in
            _ = try await client.send(.get, "/nope/1")
            _ = try await client.send(.get, "/nope/2")
            return try await client.send(.get, "/metrics").body
        }
        #expect(text.contains(#"writ_http_requests_total{method="GET",route="unmatched",status="404"} 2"#))
    }

    @Test func theServedOpenAPIDocumentIsDocsOpenAPIJSON() async throws {
        let reply = try await TestServer().run { client in try await client.send(.get, "/openapi.json") }
        let file = try String(contentsOf: Self.repository.appendingPathComponent("docs/openapi.json"), encoding: .utf8)
        #expect(reply.status == 200)
        #expect(reply.header("Content-Type") == "application/json")
        #expect(reply.body == file)
    }

    @Test func theOpenAPIDocumentDescribesEveryRoute() throws {
        let document = try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any]
        #expect(document?["openapi"] as? String == "3.1.0")
        let paths = document?["paths"] as? [String: [String: Any]] ?? [:]
        let directory = URL(fileURLWithPath: ScratchDirectory.path("writ-http"))
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = WritServer(service: DecisionService(store: try SQLiteStore(directory: directory.path)))
        var missing: [String] = []
        for route in server.routes(address: BoundAddress()) {
            let path = route.path.split(separator: "/", omittingEmptySubsequences: false)
                .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
            if paths[path]?[route.method.rawValue.lowercased()] == nil { missing.append("\(route.method) \(path)") }
        }
        #expect(missing == [])
        let routeCount = server.routes(address: BoundAddress()).count
        let documented = paths.values.map { $0.keys.filter { ["get", "put", "post", "delete"].contains($0) }.count }.reduce(0, +)
        #expect(documented == routeCount)
    }

    @Test func everyInputErrorCodeMapsToA4xx() {
        let input: [WritError.Code] = [
            .invalidRequest, .missingField, .wrongType, .duplicateKey, .tooDeep, .tooLarge, .invalidIdentifier,
            .invalidNumber, .invalidPageToken, .policyParseError, .invalidPolicySet, .policyValidationError,
            .schemaError, .invalidEntities, .notFound, .conflict,
        ]
        #expect(input.map { $0.httpStatus.code }.allSatisfy { (400..<500).contains($0) })
        #expect([WritError.Code.notReady, .storeUnavailable, .corruptState].map(\.httpStatus.code) == [503, 503, 503])
    }

    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}
