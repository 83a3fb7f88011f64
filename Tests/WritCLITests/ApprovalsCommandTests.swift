import Foundation
import Testing

/// `writ approvals` against a `writ serve --from examples/lethal-trifecta` process, and
/// on its data directory beside it.
@Suite struct ApprovalsCommand {
    static func tool(_ name: String, _ input: String, _ credential: String) -> String {
        let token = credential.trimmingCharacters(in: .newlines)
        return #"{"subject": {"type": "agent", "id": "assistant"}, "action": {"name": "\#(name)"}, "resource": {"type": "tool", "id": "\#(name)"}, "context": {"input": \#(input), "task_token": "\#(token)"}}"#
    }

    /// The approval id in an `approval_required` answer.
    static func approvalID(_ body: String) -> String? {
        guard let range = body.range(of: #""evaluation_id":"apr_[A-Za-z0-9_-]{22}""#, options: .regularExpression) else { return nil }
        return String(body[range].dropFirst(#""evaluation_id":""#.count).dropLast())
    }

    @Test func listApproveAndRefuseOnTheServerAndOnTheDataDirectory() async throws {
        let data = FileManagerHelpers.temporaryDirectory()
        let first = try ServerProcess(["--from", "examples/lethal-trifecta", "--data", data])
        #expect(first.stop().status == 0)
        let key = try CLI.run([
            "keys", "create", "--name", "alice", "--scope", "tasks", "--scope", "decide", "--scope", "approve", "--data", data,
        ]).stdout.trimmingCharacters(in: .newlines)
        let server = try ServerProcess(["--data", data])
        let environment = ["WRIT_API_KEY": key]
        let opened = try CLI.run(
            ["task", "open", "--agent", "assistant", "--on-behalf-of", "alice", "--purpose", "follow up",
             "--mandate", "examples/lethal-trifecta/mandates/assistant.cedar", "--server", server.baseURL],
            environment: environment)
        let credential = opened.stdout
        let email = Self.tool("mail___send_email", #"{"to": "bob@customer.example"}"#, credential)
        _ = try await server.request("POST", "/access/v1/evaluation", json: Self.tool("crm___lookup_customer", #"{"email": "bob@customer.example"}"#, credential), key: key)
        _ = try await server.request("POST", "/access/v1/evaluation", json: Self.tool("web___fetch", #"{"url": "https://example.org"}"#, credential), key: key)
        let asked = try await server.request("POST", "/access/v1/evaluation", json: email, key: key)
        let id = try #require(Self.approvalID(asked.body))
        let listed = try CLI.run(["approvals", "list", "--state", "pending", "--server", server.baseURL], environment: environment)
        let approved = try CLI.run(["approvals", "approve", id, "--server", server.baseURL], environment: environment)
        let again = try CLI.run(["approvals", "approve", id, "--server", server.baseURL], environment: environment)
        let allowed = try await server.request("POST", "/access/v1/evaluation", json: email, key: key)
        let askedAgain = try await server.request("POST", "/access/v1/evaluation", json: email, key: key)
        let second = try #require(Self.approvalID(askedAgain.body))
        let refused = try CLI.run(["approvals", "refuse", second, "--data", data])
        let denied = try await server.request("POST", "/access/v1/evaluation", json: email, key: key)
        let badScope = try CLI.run(["approvals", "approve", second, "--scope", "forever", "--data", data])
        #expect(server.stop().status == 0)

        #expect(opened.status == 0)
        #expect(asked.body.contains(#""reason":"approval_required""#))
        #expect(listed.status == 0)
        #expect(listed.stdout.hasPrefix("ID  "))
        #expect(listed.stdout.contains("\(id)  pending  Writ::Agent::\"assistant\""))
        #expect(approved.status == 0)
        #expect(approved.stdout.hasPrefix("approved \(id) scope=once until "))
        #expect(again.status == 1)
        #expect(again.stderr.hasPrefix("error: cannot approve `\(id)`: the server answered 409 conflict: "))
        #expect(allowed.body.hasPrefix(#"{"decision":true"#))
        #expect(second != id)
        #expect(refused.status == 0)
        #expect(refused.stdout.hasPrefix("refused \(second) until "))
        #expect(denied.body.contains(#""reason":"approval_refused""#))
        #expect(badScope.status == 1)
        #expect(badScope.stderr.contains("--scope must be once or task, not `forever`"))
    }

    /// A data directory where the lethal-trifecta assistant's email asked for an
    /// approval (the server stopped since), and the approval's id.
    static func pendingApproval() async throws -> (data: String, id: String) {
        let data = FileManagerHelpers.temporaryDirectory()
        #expect(try ServerProcess(["--from", "examples/lethal-trifecta", "--data", data]).stop().status == 0)
        let key = try CLI.run(["keys", "create", "--name", "pep", "--scope", "tasks", "--scope", "decide", "--data", data])
            .stdout.trimmingCharacters(in: .newlines)
        let server = try ServerProcess(["--data", data])
        let credential = try CLI.run(
            ["task", "open", "--agent", "assistant", "--on-behalf-of", "alice", "--purpose", "follow up",
             "--mandate", "examples/lethal-trifecta/mandates/assistant.cedar", "--server", server.baseURL],
            environment: ["WRIT_API_KEY": key]).stdout
        _ = try await server.request("POST", "/access/v1/evaluation", json: Self.tool("crm___lookup_customer", #"{"email": "bob@customer.example"}"#, credential), key: key)
        _ = try await server.request("POST", "/access/v1/evaluation", json: Self.tool("web___fetch", #"{"url": "https://example.org"}"#, credential), key: key)
        let asked = try await server.request(
            "POST", "/access/v1/evaluation", json: Self.tool("mail___send_email", #"{"to": "bob@customer.example"}"#, credential), key: key)
        #expect(server.stop().status == 0)
        return (data, try #require(Self.approvalID(asked.body)))
    }

    /// The exported audit records of `kind` in `data`, one JSON line each.
    static func records(_ kind: String, in data: String) throws -> [String] {
        try CLI.run(["audit", "export", "--kind", kind, "--data", data]).stdout.split(separator: "\n").map(String.init)
    }

    @Test func anApprovalGrantedOnTheDataDirectoryIsRecordedWithTheLocalUserAsActor() async throws {
        let (data, id) = try await Self.pendingApproval()
        let approved = try CLI.run(["approvals", "approve", id, "--data", data], environment: ["USER": "ops"])
        let granted = try Self.records("approval.granted", in: data)
        #expect(approved.status == 0)
        #expect(granted.count == 1)
        #expect(granted.first?.contains(#""actor":"local:ops""#) == true)
        #expect(granted.first?.contains(#""approval":"\#(id)""#) == true)
        #expect(try CLI.run(["audit", "verify", "--data", data]).status == 0)
    }

    @Test func anApprovalRefusedOnTheDataDirectoryIsRecordedWithTheLocalUserAsActor() async throws {
        let (data, id) = try await Self.pendingApproval()
        let refused = try CLI.run(["approvals", "refuse", id, "--data", data], environment: ["USER": "ops"])
        let records = try Self.records("approval.refused", in: data)
        #expect(refused.status == 0)
        #expect(records.count == 1)
        #expect(records.first?.contains(#""actor":"local:ops""#) == true)
        #expect(records.first?.contains(#""approval":"\#(id)""#) == true)
        #expect(try Self.records("approval.granted", in: data) == [])
    }

    @Test func unknownIdsAndBadOptionsAreBadInputAndChangeNothing() throws {
        let data = FileManagerHelpers.temporaryDirectory()
        let first = try ServerProcess(["--from", "examples/lethal-trifecta", "--data", data])
        #expect(first.stop().status == 0)
        let unknown = try CLI.run(["approvals", "approve", "apr_nope", "--data", data])
        let refuse = try CLI.run(["approvals", "refuse", String(repeating: "x", count: 5000), "--data", data])
        let state = try CLI.run(["approvals", "list", "--state", "maybe", "--data", data])
        let ttl = try CLI.run(["approvals", "approve", "apr_nope", "--ttl", "ten", "--data", data])
        let listed = try CLI.run(["approvals", "list", "--data", data])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.hasPrefix("error: cannot approve `apr_nope`: approval `apr_nope` does not exist (not_found)"))
        #expect(refuse.status == 1)
        #expect(refuse.stderr.contains("(not_found)"))
        #expect(state.status == 1)
        #expect(state.stderr.contains("--state must be pending, approved, refused or consumed, not `maybe`"))
        #expect(ttl.status != 0)
        #expect(listed.status == 0)
        #expect(listed.stdout == "ID  STATUS  PRINCIPAL  ACTION  RESOURCE  TASK  EXPIRES\n")
    }
}
