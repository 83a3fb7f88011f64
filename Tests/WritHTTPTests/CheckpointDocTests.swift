import Foundation
import HTTPTypes
import Testing
import WritCore
import WritHTTP

/// docs/CHECKPOINTS.md cannot rot: every request example in it is sent, in order, to
/// a real server on loopback serving examples/checkpoints, inside one task, and every
/// answer must hold the members the document shows.
@Suite struct CheckpointDoc {
    static let server = TestServer(auth: .required, example: "checkpoints", tasks: true)

    /// One request example and the response the document shows after it.
    struct Example: Sendable {
        var method: HTTPRequest.Method
        var path: String
        var headers: [(name: String, value: String)]
        var body: String
        /// The response's JSON text.
        var expected: String
        var line: Int
    }

    /// Every ```http block of the document, each with the ```json block after it.
    static func examples() throws -> [Example] {
        let url = ExampleDirectory.repository.appendingPathComponent("docs/CHECKPOINTS.md")
        let lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
        func block(from start: Int) -> (text: [String], end: Int) {
            var end = start + 1
            while end < lines.count, lines[end] != "```" { end += 1 }
            return (Array(lines[(start + 1)..<min(end, lines.count)]), end)
        }
        var examples: [Example] = []
        var index = 0
        while index < lines.count {
            guard lines[index] == "```http" else {
                index += 1
                continue
            }
            let request = block(from: index)
            guard let response = lines[(request.end + 1)...].firstIndex(of: "```json") else {
                Issue.record("the request at line \(index + 1) has no ```json response after it")
                break
            }
            let answer = block(from: response)
            let requestLine = request.text.first?.split(separator: " ").map(String.init) ?? []
            let blank = request.text.firstIndex(of: "") ?? request.text.count
            let headers = request.text[1..<blank].map { line in
                let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                return (name: parts[0], value: parts.count > 1 ? parts[1] : "")
            }
            let expected = answer.text.joined(separator: "\n")
            _ = try JSONSerialization.jsonObject(with: Data(expected.utf8))  // the document's JSON must parse
            examples.append(Example(
                method: HTTPRequest.Method(requestLine.first ?? "") ?? .get, path: requestLine.count > 1 ? requestLine[1] : "",
                headers: headers, body: request.text[min(blank + 1, request.text.count)...].joined(separator: "\n"),
                expected: expected, line: index + 1))
            index = answer.end + 1
        }
        return examples
    }

    /// Whether `actual` holds every member `expected` shows, with the same value; arrays
    /// match element by element and must be as long.
    static func holds(_ actual: Any?, _ expected: Any) -> Bool {
        switch expected {
        case let object as [String: Any]:
            guard let actual = actual as? [String: Any] else { return false }
            return object.allSatisfy { key, value in holds(actual[key], value) }
        case let array as [Any]:
            guard let actual = actual as? [Any], actual.count == array.count else { return false }
            return zip(actual, array).allSatisfy { holds($0, $1) }
        default:
            guard let actual else { return false }
            return (actual as? NSObject)?.isEqual(expected) ?? false
        }
    }

    @Test func theDocumentShowsARequestForEachCheckpointAndForFiltering() throws {
        let examples = try Self.examples()
        let bodies = examples.map(\.body)
        for action in ["\"prompt\"", "\"retrieve\"", "\"tickets___update\"", "\"release\""] {
            #expect(bodies.contains { $0.contains("\"action\": {\"name\": \(action)}") }, "no example for \(action)")
        }
        #expect(examples.map(\.path).contains("/v1/filter"))
        #expect(examples.map(\.path).contains("/access/v1/evaluations"))
        #expect(examples.count == 10)
    }

    @Test func everyRequestInTheDocumentGetsTheAnswerTheDocumentShows() async throws {
        let examples = try Self.examples()
        try #require(!examples.isEmpty)
        try await Self.server.run { client in
            let front = try await client.makeKey("front-end", [.tasks]).token
            let pep = try await client.makeKey("pep", [.decide]).token
            let mandate = try String(
                contentsOf: ExampleDirectory.repository.appendingPathComponent("examples/checkpoints/mandates/assistant.cedar"),
                encoding: .utf8)
            let opening = try JSONSerialization.data(withJSONObject: [
                "agent": "assistant", "on_behalf_of": "alice", "purpose": "answer ticket 42", "mandate": mandate, "ttl": 600,
            ])
            let opened = try await client.send(.post, "/v1/tasks", json: String(decoding: opening, as: UTF8.self), key: front)
            try #require(opened.status == 201)
            let credential = try #require(opened.object["credential"] as? String)
            for example in examples {
                var headers = HTTPFields()
                for header in example.headers {
                    let name = try #require(HTTPField.Name(header.name))
                    headers[name] = header.value.replacingOccurrences(of: "$CREDENTIAL", with: credential)
                }
                let reply = try await client.send(
                    example.method, example.path, json: example.body.replacingOccurrences(of: "$CREDENTIAL", with: credential),
                    headers: headers, key: pep)
                #expect(reply.status == 200, "CHECKPOINTS.md line \(example.line): \(reply.body)")
                let actual = try? JSONSerialization.jsonObject(with: Data(reply.body.utf8))
                let expected = try JSONSerialization.jsonObject(with: Data(example.expected.utf8))
                #expect(Self.holds(actual, expected), "CHECKPOINTS.md line \(example.line): \(reply.body)")
            }
            let task = try await client.send(.get, "/v1/tasks/\(try #require(opened.object["id"] as? String))", key: front)
            #expect((task.object["labels"] as? [String])?.contains("pii") == true)
        }
    }
}
