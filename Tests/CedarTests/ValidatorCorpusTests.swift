@testable import Cedar
import CedarConformance
import Foundation
import Testing

/// Strict validation of the official corpus: every test says whether Rust Cedar
/// validates its policy against its schema (`shouldValidate`).
@Suite(.serialized) struct ValidatorCorpusTests {
    /// One corpus test: its policies, schema and requests.
    struct CorpusCase: Sendable {
        let name: String
        let policies: PolicySet
        let schema: Schema
        let entities: Entities
        let requests: [Request]
        let shouldValidate: Bool
    }

    struct CorpusError: Error, Sendable, CustomStringConvertible {
        let description: String
    }

    /// The corpus, loaded once for both tests.
    static let corpus: Result<[CorpusCase], CorpusError> = {
        do { return .success(try loadCorpus()) } catch { return .failure(CorpusError(description: "\(error)")) }
    }()

    static func loadCorpus() throws -> [CorpusCase] {
        let archive = SharedData.cedar.appendingPathComponent("corpus-dev.tar.gz")
        return try ConformanceArchive.withUnpacked(archive.path) { path in
            let root = URL(fileURLWithPath: path)
            let folder = root.appendingPathComponent("corpus-tests")
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
                .filter { $0.hasSuffix(".json") && !$0.hasSuffix(".entities.json") }.sorted()
            var cases: [CorpusCase] = []
            for name in names { cases.append(try loadCase(folder.appendingPathComponent(name), root: root)) }
            return cases
        }
    }

    private static func loadCase(_ url: URL, root: URL) throws -> CorpusCase {
        guard case .object(let test) = try JSON.parse(String(contentsOf: url, encoding: .utf8)) else {
            throw CorpusError(description: "\(url.path): not a JSON object")
        }
        func file(_ key: String) throws -> String {
            guard case .string(let path)? = test[key] else { throw CorpusError(description: "\(url.path): no `\(key)`") }
            return try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
        }
        guard case .bool(let shouldValidate)? = test["shouldValidate"], case .array(let requests)? = test["requests"]
        else { throw CorpusError(description: "\(url.path): no `shouldValidate` or `requests`") }
        var parsedRequests: [Request] = []
        for request in requests { parsedRequests.append(try EntityJSON.decodeRequest(request)) }
        return CorpusCase(
            name: url.lastPathComponent,
            policies: try PolicySet(PolicyParser.parsePolicies(file("policies"))),
            schema: try Schema(cedarSchema: file("schema")),
            entities: try EntityJSON.parseEntities(file("entities")),
            requests: parsedRequests,
            shouldValidate: shouldValidate)
    }

    @Test func corpusValidationAgreesWithRustCedar() throws {
        let corpus = try Self.corpus.get()
        var failures: [String] = []
        for test in corpus {
            let result = Validator(schema: test.schema).validate(test.policies)
            if result.passed != test.shouldValidate {
                failures.append("\(test.name): expected \(test.shouldValidate ? "valid" : "invalid"), got \(result.errors)")
            }
        }
        print("validator corpus agreement: \(corpus.count - failures.count) passed, \(failures.count) failed")
        for failure in failures.prefix(20) { print("  \(failure)") }
        #expect(failures.isEmpty)
        #expect(corpus.count == 3_957)
    }

    /// Cedar's soundness theorem: a policy that validates never raises a type error when
    /// evaluated on requests the schema allows.
    @Test func validatingPoliciesNeverRaiseTypeErrorsOnTheCorpusRequests() throws {
        var evaluated = 0
        var typeErrors: [String] = []
        for test in try Self.corpus.get() where Validator(schema: test.schema).validate(test.policies).passed {
            let authorizer = Authorizer(test.policies)
            for request in test.requests {
                evaluated += 1
                for error in authorizer.authorize(request, entities: test.entities).errors
                where error.error.code == .typeError {
                    typeErrors.append("\(test.name): \(error)")
                }
            }
        }
        print("validated policies evaluated on \(evaluated) requests, \(typeErrors.count) type errors")
        #expect(typeErrors.isEmpty, "\(typeErrors.prefix(10))")
        #expect(evaluated > 20_000)
    }
}
