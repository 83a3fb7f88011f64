import Cedar
import Foundation
import Testing
import WritCore

/// Hostile and malformed request bodies (RELIABILITY B4–B7): each is a clear request
/// error naming where the problem is, or a denial — never an allow, never a crash.
@Suite struct AuthZENHostileInputTests {
    static let policies = """
        @id("alice-reads")
        permit (principal == user::"alice", action == Action::"read", resource);
        @id("josé-reads")
        permit (principal == user::"jos\u{E9}", action == Action::"read", resource);
        @id("big-amounts-need-approval")
        forbid (principal, action == Action::"read", resource) when { context has amount && context.amount > 100 };
        """

    private func service() async throws -> DecisionService {
        try await TestService.make(policies: Self.policies)
    }

    /// An evaluation of `action` on `doc::"1"` by `user::<subject>`, with `context`.
    private func request(subject: String = "alice", action: String = "read", context: String = "{}") -> String {
        #"{"subject": {"type": "user", "id": "\#(subject)"}, "action": {"name": "\#(action)"}, "resource": {"type": "doc", "id": "1"}, "context": \#(context)}"#
    }

    private func decision(_ service: DecisionService, _ body: String) throws -> JSON? {
        try service.authzenJSON(.evaluation, body)["decision"]
    }

    @Test func duplicateKeysAnywhereAreRejected() async throws {
        let service = try await service()
        let bodies = [
            #"{"subject": {"type": "user", "id": "bob", "id": "alice"}, "action": {"name": "read"}, "resource": {"type": "doc", "id": "1"}}"#,
            request(context: #"{"amount": 500, "amount": 1}"#),
            request().replacingOccurrences(of: #""action""#, with: #""action": {"name": "x"}, "action""#),
        ]
        for body in bodies {
            #expect(service.authzenError(.evaluation, body)?.code == .duplicateKey, "\(body)")
        }
    }

    /// A context nested so that the whole body is `depth` containers deep.
    private func nested(depth: Int) -> String {
        let inner = depth - 2  // the body and the context object itself
        return String(repeating: #"{"a": "#, count: inner) + "{}" + String(repeating: "}", count: inner)
    }

    @Test func nestingUpToTheLimitIsAcceptedAndOneMoreIsTooDeep() async throws {
        let service = try await service()
        #expect(try decision(service, request(context: nested(depth: 64))) == .bool(true))
        let error = service.authzenError(.evaluation, request(context: nested(depth: 65)))
        #expect(error?.code == .tooDeep)
        #expect(service.authzenError(.evaluation, String(repeating: "[", count: 100_000))?.code == .tooDeep)
    }

    @Test func numbersCedarCannotHoldAreInvalidNumbers() async throws {
        let service = try await service()
        for number in ["1e400", "9223372036854775808", "-9223372036854775809", "-0", "1.0", "0.5"] {
            let error = service.authzenError(.evaluation, request(context: #"{"amount": \#(number)}"#))
            #expect(error?.code == .invalidNumber, "\(number)")
            #expect(error?.message.hasPrefix("`context.amount` is `\(number)`") == true, "\(number)")
        }
        let nested = service.authzenError(.evaluation, request(context: #"{"limits": [1, {"x": 2.5}]}"#))
        #expect(nested?.message.hasPrefix("`context.limits[1].x` is `2.5`") == true)
        // The extremes of the range are integers like any other.
        #expect(try decision(service, request(context: #"{"amount": -9223372036854775808}"#)) == .bool(true))
        #expect(try decision(service, request(context: #"{"amount": 9223372036854775807}"#)) == .bool(false))
    }

    @Test func controlBidiAndZeroWidthCharactersInIdentifiersAreRejected() async throws {
        let service = try await service()
        let cases: [(String, String)] = [
            (request(subject: #"alice\u0000"#), "subject.id"),
            (request(subject: "alice\u{202E}"), "subject.id"),
            (request(subject: "al\u{200B}ice"), "subject.id"),
            (request(action: "re\u{2066}ad"), "action.name"),
            (request(action: "read\u{FEFF}"), "action.name"),
            (request(subject: "alice\u{7F}"), "subject.id"),
            (request(subject: "alice\u{85}"), "subject.id"),
            (request(subject: "alice\u{9F}"), "subject.id"),
            (#"{"subject": {"type": "us\#u{200D}er", "id": "alice"}, "action": {"name": "read"}, "resource": {"type": "doc", "id": "1"}}"#, "subject.type"),
            (#"{"subject": {"type": "user", "id": "alice"}, "action": {"name": "read"}, "resource": {"type": "doc", "id": "1\n"}}"#, "resource.id"),
        ]
        for (body, path) in cases {
            let error = service.authzenError(.evaluation, body)
            #expect(error?.code == .invalidIdentifier, "\(path)")
            #expect(error?.message.hasPrefix("`\(path)` contains U+") == true, "\(error?.message ?? "")")
        }
    }

    @Test func printableNonASCIIIdentifiersAreAccepted() async throws {
        let service = try await service()
        for id in ["José", "a\u{A0}b", "用户", "émoji😀"] {
            #expect(service.authzenError(.evaluation, request(subject: id)) == nil, "\(id)")
        }
    }

    @Test func idsAreComparedAsExactScalarsNeverNormalised() async throws {
        let service = try await service()
        #expect(try decision(service, request(subject: "jos\u{E9}")) == .bool(true))
        // The same name in NFD (e + combining acute) is another id.
        #expect(try decision(service, request(subject: "jose\u{301}")) == .bool(false))
        // A Cyrillic `а` is not a Latin `a`.
        #expect(try decision(service, request(subject: "\u{430}lice")) == .bool(false))
        #expect(try decision(service, request(subject: "Alice")) == .bool(false))
    }

    @Test func malformedBodiesAreRequestErrors() async throws {
        let service = try await service()
        #expect(service.authzenError(.evaluation, "")?.code == .invalidRequest)
        #expect(service.authzenError(.evaluation, "{")?.code == .invalidRequest)
        #expect(service.authzenError(.evaluation, #"{"subject": "\ud800"}"#)?.code == .invalidRequest)
        let array = service.authzenError(.evaluation, "[]")
        #expect(array?.code == .wrongType)
        #expect(array?.message == "the request body must be an object, found an array")
    }

    @Test func wrongTypesAreNamedByTheirPath() async throws {
        let service = try await service()
        let cases: [(AuthZENOperation, String, String)] = [
            (.evaluation, #"{"subject": {"type": "user", "id": 7}, "action": {"name": "read"}, "resource": {"type": "doc", "id": "1"}}"#,
             "`subject.id` must be a string, found a number"),
            (.evaluation, request(context: "[]"), "`context` must be an object, found an array"),
            (.evaluation, request(context: "null"), "`context` must be an object, found `null`"),
            (.evaluation, #"{"subject": {"type": "user", "id": "a"}, "action": "read", "resource": {"type": "doc", "id": "1"}}"#,
             "`action` must be an object, found a string"),
            (.evaluations, #"{"subject": {"type": "user", "id": "a"}, "action": {"name": "read"}, "evaluations": [{"resource": {"type": "doc", "id": "1"}}, {"resource": {"type": 3, "id": "1"}}]}"#,
             "`evaluations[1].resource.type` must be a string, found a number"),
            (.evaluations, #"{"evaluations": {"resource": {}}}"#, "`evaluations` must be an array, found an object"),
            (.evaluations, #"{"evaluations": [1]}"#, "`evaluations[0]` must be an object, found a number"),
            (.evaluations, #"{"options": {"evaluations_semantic": true}, "evaluations": []}"#,
             "`options.evaluations_semantic` must be a string, found a boolean"),
            (.resourceSearch, #"{"subject": {"type": "user", "id": "a"}, "action": {"name": "read"}, "resource": {"type": "doc"}, "page": {"token": 5}}"#,
             "`page.token` must be a string, found a number"),
        ]
        for (operation, body, message) in cases {
            let error = service.authzenError(operation, body)
            #expect(error?.code == .wrongType, "\(message)")
            #expect(error?.message == message)
        }
    }

    @Test func missingMembersAreNamedByTheirPath() async throws {
        let service = try await service()
        let cases: [(AuthZENOperation, String, String)] = [
            (.evaluation, #"{"action": {"name": "read"}, "resource": {"type": "doc", "id": "1"}}"#, "subject"),
            (.evaluation, #"{"subject": {"id": "a"}, "action": {"name": "read"}, "resource": {"type": "doc", "id": "1"}}"#, "subject.type"),
            (.evaluation, #"{"subject": {"type": "user", "id": "a"}, "action": {}, "resource": {"type": "doc", "id": "1"}}"#, "action.name"),
            (.subjectSearch, #"{"subject": {}, "action": {"name": "read"}, "resource": {"type": "doc", "id": "1"}}"#, "subject.type"),
            (.actionSearch, #"{"subject": {"type": "user", "id": "a"}, "resource": {"type": "doc"}}"#, "resource.id"),
        ]
        for (operation, body, path) in cases {
            let error = service.authzenError(operation, body)
            #expect(error?.code == .missingField)
            #expect(error?.message == "missing required member `\(path)`")
        }
    }

    @Test func unknownMembersAreIgnoredAndContextIsOptional() async throws {
        let service = try await service()
        let body = #"{"subject": {"type": "user", "id": "alice", "x": [1.5]}, "action": {"name": "read", "properties": {"m": "GET"}}, "resource": {"type": "doc", "id": "1"}, "extra": {"deep": null}}"#
        #expect(try decision(service, body) == .bool(true))
    }

    @Test func decisionsWhileNotReadyAreNotReady() async throws {
        let service = DecisionService(store: makeStore())
        let error = service.authzenError(.evaluation, request())
        #expect(error?.code == .notReady)
        #expect(service.authzenError(.resourceSearch, "{}")?.code == .notReady)
    }
}
