import Cedar
import Foundation
import Testing
import WritCore

/// Every decision file of the OpenID AuthZEN interop scenarios, answered in process
/// by the examples: the Todo decisions of drafts 00, 01 and 02 and the three searches.
/// Each file prints `N passed, M failed` and must have no failure.
///
/// The data lives in `shared/conformance/authzen` beside the repository (or under
/// `WRIT_SHARED`); a missing file fails the test.
@Suite struct AuthZENInteropTests {
    static let data: URL = {
        if let shared = ProcessInfo.processInfo.environment["WRIT_SHARED"] {
            return URL(fileURLWithPath: shared).appendingPathComponent("conformance/authzen")
        }
        return TestService.repository.deletingLastPathComponent().appendingPathComponent("shared/conformance/authzen")
    }()

    /// The cases of one decision file, by operation group (`evaluation`, `evaluations`).
    private func cases(_ file: String) throws -> JSONObject {
        let bytes = try [UInt8](Data(contentsOf: Self.data.appendingPathComponent(file)))
        guard case .object(let groups) = try JSON.parse(bytes) else {
            Issue.record("\(file) is not a JSON object")
            return JSONObject()
        }
        return groups
    }

    private func list(_ json: JSON?) -> [JSON] {
        if case .array(let elements)? = json { return elements }
        return []
    }

    /// Runs every case of `file` through `check` and reports the tally.
    private func run(
        _ file: String, expecting count: Int, _ check: (JSONObject) throws -> Bool
    ) throws {
        let groups = try cases(file)
        var passed = 0
        var failed: [String] = []
        for group in groups {
            for item in list(group.value) {
                guard case .object(let testCase) = item else { continue }
                if try check(testCase) {
                    passed += 1
                } else {
                    failed.append(testCase["request"].map { $0.encoded() } ?? "?")
                }
            }
        }
        print("AuthZEN interop \(file): \(passed) passed, \(failed.count) failed")
        for request in failed { print("  failed: \(request)") }
        #expect(passed + failed.count == count)
        #expect(failed.isEmpty)
    }

    // MARK: - Todo

    private func runTodo(_ file: String, expecting count: Int) async throws {
        let service = try await TestService.example("authzen-todo")
        try run(file, expecting: count) { testCase in
            guard let request = testCase["request"], let expected = testCase["expected"] else { return false }
            let body = request.encodedBytes()
            switch expected {
            case .bool(let decision):
                // A single evaluation: only `decision` is compared; Writ adds a context.
                let response = try JSON.parse(try service.authzen(.evaluation, body: body).body)
                return response["decision"] == .bool(decision)
            case .array:
                // A batch: the items must be exactly `{"decision": bool}`.
                let response = try JSON.parse(try service.authzen(.evaluations, body: body).body)
                return response["evaluations"] == expected
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

    /// The specification defines no order of search results and the expected files
    /// list actions as view, edit, delete while Writ answers in uid order (delete,
    /// edit, view). So results are compared as multisets: the same number of results,
    /// and, after sorting both lists by their JSON text, each result exactly equal to
    /// the expected one — members, values and key order (`type` before `id`).
    private func runSearch(_ file: String, _ operation: AuthZENOperation, expecting count: Int) async throws {
        let service = try await TestService.example("authzen-search")
        try run(file, expecting: count) { testCase in
            guard let request = testCase["request"], let expected = testCase["expected"]?["results"] else {
                return false
            }
            let response = try JSON.parse(try service.authzen(operation, body: request.encodedBytes()).body)
            guard response["page"]?["next_token"] == .string("") else { return false }
            let got = list(response["results"]).map { $0.encoded() }.sorted()
            let want = list(expected).map { $0.encoded() }.sorted()
            return got == want
        }
    }

    @Test func subjectSearchResultsAllPass() async throws {
        try await runSearch("search/subject-results.json", .subjectSearch, expecting: 60)
    }

    @Test func resourceSearchResultsAllPass() async throws {
        try await runSearch("search/resource-results.json", .resourceSearch, expecting: 18)
    }

    @Test func actionSearchResultsAllPass() async throws {
        try await runSearch("search/action-results.json", .actionSearch, expecting: 120)
    }
}
