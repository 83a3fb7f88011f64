import Cedar
import Foundation
import Testing
import WritCore

/// Decision services over policy sets written in a test or read from examples/.
enum TestService {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A ready service over `policies`, `schema` (Cedar schema text, or none) and
    /// `entities` (Cedar entity JSON).
    static func make(
        policies: String, schema: String? = nil, entities: String = "[]",
        mapping: AuthZENMapping = AuthZENMapping(), mode: DecisionMode = .strict,
        limits: RequestLimits = RequestLimits()
    ) async throws -> DecisionService {
        let service = DecisionService(
            store: makeStore(),
            configuration: DecisionService.Configuration(mode: mode, limits: limits, authzen: mapping))
        let draft = PolicySetDraft(
            files: [SourceFile(name: "test.cedar", text: policies)],
            schema: schema.map { SchemaSource(format: .cedar, file: SourceFile(name: "test.cedarschema", text: $0)) },
            author: "test")
        let loaded = try await service.bootstrap(draft, entities: Array(entities.utf8))
        #expect(loaded)
        return service
    }

    /// A ready service over an example folder: its `*.cedar` files, its
    /// `*.cedarschema`, `entities.json` and, when present, `authzen.json`.
    static func example(_ name: String, limits: RequestLimits = RequestLimits()) async throws -> DecisionService {
        let folder = repository.appendingPathComponent("examples").appendingPathComponent(name)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        func text(_ file: String) throws -> String {
            try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
        }
        let policies = try names.filter { $0.hasSuffix(".cedar") }.map { SourceFile(name: $0, text: try text($0)) }
        let schema = try names.first { $0.hasSuffix(".cedarschema") }.map {
            SchemaSource(format: .cedar, file: SourceFile(name: $0, text: try text($0)))
        }
        var mapping = AuthZENMapping()
        if names.contains("authzen.json") { mapping = try AuthZENMapping.parse(Array(try text("authzen.json").utf8)) }
        let service = DecisionService(
            store: makeStore(), configuration: DecisionService.Configuration(limits: limits, authzen: mapping))
        let loaded = try await service.bootstrap(
            PolicySetDraft(files: policies, schema: schema, author: "test"), entities: Array(try text("entities.json").utf8))
        #expect(loaded)
        return service
    }
}

extension DecisionService {
    /// Answers `body` and returns the response as JSON.
    func authzenJSON(_ operation: AuthZENOperation, _ body: String) throws -> JSON {
        try JSON.parse(try authzen(operation, body: Array(body.utf8)).body)
    }

    /// Answers `body` and returns the response text.
    func authzenText(_ operation: AuthZENOperation, _ body: String) throws -> String {
        String(decoding: try authzen(operation, body: Array(body.utf8)).body, as: UTF8.self)
    }

    /// The error answering `body` throws, or nil when it answers.
    func authzenError(_ operation: AuthZENOperation, _ body: String) -> WritError? {
        do {
            _ = try authzen(operation, body: Array(body.utf8))
            return nil
        } catch {
            return error
        }
    }
}

extension JSON {
    /// The member at `key` of an object, or nil.
    subscript(_ key: String) -> JSON? {
        guard case .object(let object) = self else { return nil }
        return object[key]
    }

    /// Parses a JSON literal written in a test.
    static func literal(_ text: String) throws -> JSON { try JSON.parse(text) }
}
