import Cedar
import Foundation
import HTTPTypes
import Testing
import WritCore

/// Every decision file of the OpenID AuthZEN interop scenarios, sent to a real
/// server on loopback serving the examples: the Todo decisions of drafts 00, 01 and
/// 02 and the three searches. Each file prints `N passed, M failed` and must have no
/// failure. The data lives in `shared/conformance/authzen` beside the repository (or
/// under `WRIT_SHARED`); a missing file fails the test.
@Suite struct AuthZENInteropOverHTTP {
    static let data: URL = {
        if let shared = ProcessInfo.processInfo.environment["WRIT_SHARED"] {
            return URL(fileURLWithPath: shared).appendingPathComponent("conformance/authzen")
        }
        return ExampleDirectory.repository.deletingLastPathComponent().appendingPathComponent("shared/conformance/authzen")
    }()

    /// Every case of a decision file, across its groups (`evaluation`, `evaluations`).
    static func cases(_ file: String) throws -> [JSONObject] {
        let bytes = try [UInt8](Data(contentsOf: data.appendingPathComponent(file)))
        guard case .object(let groups) = try JSON.parse(bytes) else { return [] }
        return groups.flatMap { group in list(group.value).compactMap { item in
            if case .object(let testCase) = item { return testCase }
            return nil
        } }
    }

    static func list(_ json: JSON?) -> [JSON] {
        if case .array(let elements)? = json { return elements }
        return []
    }

    /// Sends every case of `file` to a server on `example`, checks each answer with
    /// `check`, prints the tally and expects `count` cases, all passed.
    func run(
        _ file: String, example: String, expecting count: Int,
        _ check: @escaping @Sendable (TestServer.Client, JSONObject) async throws -> Bool
    ) async throws {
        let cases = try Self.cases(file)
        let failed = try await TestServer(example: example).run { client in
            var failed: [String] = []
            for testCase in cases where !(try await check(client, testCase)) {
                failed.append(testCase["request"].map { $0.encoded() } ?? "?")
            }
            return failed
        }
        print("AuthZEN interop over HTTP \(file): \(cases.count - failed.count) passed, \(failed.count) failed")
        for request in failed { print("  failed: \(request)") }
        #expect(cases.count == count)
        #expect(failed.isEmpty)
    }

    /// The response body of a POST to `path`, as JSON; nil unless the status is 200.
    static func post(_ client: TestServer.Client, _ path: String, _ body: JSON) async throws -> JSON? {
        let reply = try await client.send(.post, path, json: body.encoded())
        guard reply.status == 200 else { return nil }
        return try JSON.parse(reply.body)
    }

    // MARK: - Todo

    func runTodo(_ file: String, expecting count: Int) async throws {
        try await run(file, example: "authzen-todo", expecting: count) { client, testCase in
            guard let request = testCase["request"], let expected = testCase["expected"] else { return false }
            switch expected {
            case .bool(let decision):
                // Only `decision` is compared; Writ adds a context.
                return try await Self.post(client, "/access/v1/evaluation", request)?["decision"] == .bool(decision)
            case .array:
                return try await Self.post(client, "/access/v1/evaluations", request)?["evaluations"] == expected
            default:
                return false
            }
        }
    }

    @Test func todoDraft00DecisionsAllPass() async throws {
        try await runTodo("todo/decisions-authorization-api-1_0-00.json", expecting: 40)
    }

    @Test func todoDraft01DecisionsAllPass() async throws {
        try await runTodo("todo/decisions-authorization-api-1_0-01.json", expecting: 40)
    }

    @Test func todoDraft02DecisionsAndEvaluationsAllPass() async throws {
        try await runTodo("todo/decisions-authorization-api-1_0-02.json", expecting: 43)
    }

    // MARK: - Search

    /// Results are compared as multisets (the specification defines no order): the
    /// same results, each exactly equal to an expected one, and no further page.
    func runSearch(_ file: String, path: String, expecting count: Int) async throws {
        try await run(file, example: "authzen-search", expecting: count) { client, testCase in
            guard let request = testCase["request"], let expected = testCase["expected"]?["results"],
                  let response = try await Self.post(client, path, request),
                  response["page"]?["next_token"] == .string("")
            else { return false }
            return Self.list(response["results"]).map { $0.encoded() }.sorted()
                == Self.list(expected).map { $0.encoded() }.sorted()
        }
    }

    @Test func subjectSearchResultsAllPass() async throws {
        try await runSearch("search/subject-results.json", path: "/access/v1/search/subject", expecting: 60)
    }

    @Test func resourceSearchResultsAllPass() async throws {
        try await runSearch("search/resource-results.json", path: "/access/v1/search/resource", expecting: 18)
    }

    @Test func actionSearchResultsAllPass() async throws {
        try await runSearch("search/action-results.json", path: "/access/v1/search/action", expecting: 120)
    }
}

extension JSON {
    /// The member `key` of an object; nil for other values.
    fileprivate subscript(key: String) -> JSON? {
        if case .object(let object) = self { return object[key] }
        return nil
    }
}
