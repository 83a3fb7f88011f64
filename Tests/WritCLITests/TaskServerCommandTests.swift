import Foundation
import Testing

/// `writ task` against a real `writ serve` process on loopback, and beside one: tasks
/// opened or closed on the data directory are seen by the server at once.
@Suite struct TaskServerCommand {
    /// An AuthZEN evaluation of support-bot searching the docs, inside the task
    /// `credential` names.
    static func search(_ credential: String) -> String {
        let token = credential.trimmingCharacters(in: .newlines)
        return #"{"subject": {"type": "agent", "id": "support-bot"}, "action": {"name": "docs___search"}, "resource": {"type": "tool", "id": "docs___search"}, "context": {"input": {"query": "refunds"}, "task_token": "\#(token)"}}"#
    }

    /// A data directory with a key for the `tasks` and `decide` scopes, and a server on it.
    static func server() throws -> (server: ServerProcess, data: String, key: String) {
        let data = try TaskCommand.dataDirectory()
        let key = try CLI.run(["keys", "create", "--name", "front-end", "--scope", "tasks", "--scope", "decide", "--data", data])
            .stdout.trimmingCharacters(in: .newlines)
        return (try ServerProcess(["--data", data]), data, key)
    }

    @Test func openShowListDelegateAndCloseAgainstTheServer() async throws {
        let (server, _, key) = try Self.server()
        let environment = ["WRIT_API_KEY": key]
        let opened = try TaskCommand.open(["--mandate", TaskCommand.mandate, "--server", server.baseURL], environment: environment)
        let id = TaskCommand.taskID(opened)
        let allowed = try await server.request("POST", "/access/v1/evaluation", json: Self.search(opened.stdout), key: key)
        let shown = try CLI.run(["task", "show", id, "--server", server.baseURL], environment: environment)
        let listed = try CLI.run(["task", "list", "--state", "open", "--server", server.baseURL + "/"], environment: environment)
        let delegated = try CLI.run(
            ["task", "delegate", "--agent", "support-bot", "--purpose", "search only",
             "--mandate", "examples/agent-demo/mandates/ticket-42.cedar", "--server", server.baseURL],
            environment: ["WRIT_TASK_CREDENTIAL": opened.stdout])
        let closed = try CLI.run(["task", "close", id, "--json", "--server", server.baseURL], environment: environment)
        let denied = try await server.request("POST", "/access/v1/evaluation", json: Self.search(opened.stdout), key: key)
        #expect(server.stop().status == 0)
        #expect(opened.status == 0)
        #expect(TaskCommand.isCredential(opened.stdout))
        #expect(allowed.body.hasPrefix(#"{"decision":true"#))
        #expect(shown.stdout.contains("used          decisions 1, calls 1, docs___search 1\n"))
        #expect(shown.stdout.contains("opened by     front-end\n"))
        #expect(listed.stdout.contains("\(id)  support-bot  alice  open"))
        #expect(delegated.status == 0)
        #expect(TaskCommand.isCredential(delegated.stdout))
        let reply = try JSONSerialization.jsonObject(with: Data(closed.stdout.utf8)) as? [String: Any]
        #expect((reply?["closed"] as? [String])?.count == 2)
        #expect(reply?["task"] as? String == id)
        #expect((reply?["receipt"] as? [String: Any])?["kid"] is String)
        #expect(denied.body.contains(#""reason":"task_closed""#))
    }

    @Test func aMandateWithASyntaxErrorIsRefusedByTheServerWithItsLineAndColumn() async throws {
        let (server, _, key) = try Self.server()
        let path = try CLI.temporaryFile("permit (principal action, resource);\n", suffix: ".cedar")
        let run = try TaskCommand.open(["--mandate", path, "--server", server.baseURL], environment: ["WRIT_API_KEY": key])
        let listed = try CLI.run(["task", "list", "--server", server.baseURL, "--key", key])
        #expect(server.stop().status == 0)
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("error: cannot open the task: the server answered 422 policy_parse_error: \(path):1:19: "))
        #expect(listed.stdout == "ID  AGENT  USER  STATE  PARENT  EXPIRES  DECISIONS  PURPOSE\n")
    }

    @Test func aWrongKeyShowsTheServersRefusal() async throws {
        let (server, _, _) = try Self.server()
        let run = try CLI.run(["task", "list", "--server", server.baseURL], environment: ["WRIT_API_KEY": "writ_0000000000000000_" + String(repeating: "0", count: 64)])
        let keyless = try CLI.run(["task", "list", "--server", server.baseURL], environment: ["WRIT_API_KEY": ""])
        #expect(server.stop().status == 0)
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("error: cannot list the tasks: the server answered 401 unauthenticated: "))
        #expect(keyless.status == 1)
        #expect(keyless.stderr.hasPrefix("error: cannot list the tasks: the server answered 401 unauthenticated: "))
    }

    @Test func aCredentialOpenedLocallyAllowsADecisionOnAServerStartedAfterwards() async throws {
        let data = try TaskCommand.dataDirectory()
        let opened = try TaskCommand.open(["--mandate", TaskCommand.mandate, "--data", data])
        let server = try ServerProcess(["--data", data])
        let answer = try await server.request("POST", "/access/v1/evaluation", json: Self.search(opened.stdout))
        #expect(server.stop().status == 0)
        #expect(opened.status == 0)
        #expect(answer.body.hasPrefix(#"{"decision":true"#))
    }

    @Test func aTaskOpenedLocallyWhileTheServerRunsIsUsableAtOnce() async throws {
        let data = try TaskCommand.dataDirectory()
        let server = try ServerProcess(["--data", data])
        let opened = try TaskCommand.open(["--mandate", TaskCommand.mandate, "--data", data])
        let answer = try await server.request("POST", "/access/v1/evaluation", json: Self.search(opened.stdout))
        let shown = try CLI.run(["task", "show", TaskCommand.taskID(opened), "--server", server.baseURL])
        #expect(server.stop().status == 0)
        #expect(answer.body.hasPrefix(#"{"decision":true"#))
        #expect(shown.stdout.contains("used          decisions 1, calls 1, docs___search 1\n"))
    }

    @Test func aTaskClosedLocallyWhileTheServerRunsIsDeniedAtTheNextDecision() async throws {
        let data = try TaskCommand.dataDirectory()
        let server = try ServerProcess(["--data", data])
        let opened = try TaskCommand.open(["--mandate", TaskCommand.mandate, "--data", data])
        let before = try await server.request("POST", "/access/v1/evaluation", json: Self.search(opened.stdout))
        let closed = try CLI.run(["task", "close", TaskCommand.taskID(opened), "--data", data])
        let after = try await server.request("POST", "/access/v1/evaluation", json: Self.search(opened.stdout))
        #expect(server.stop().status == 0)
        #expect(before.body.hasPrefix(#"{"decision":true"#))
        #expect(closed.status == 0)
        #expect(after.body.contains(#""decision":false"#))
        #expect(after.body.contains(#""reason":"task_closed""#))
    }

    @Test func theServerRecordsTheIssuerItMintsWithAndKeepsIt() throws {
        let data = FileManagerHelpers.temporaryDirectory()
        let first = try ServerProcess(["--from", "examples/agent-demo", "--data", data, "--public-url", "https://writ.example"])
        #expect(first.stop().status == 0)
        let second = try ServerProcess(["--data", data])
        #expect(second.stop().status == 0)
        let recorded = try String(contentsOfFile: data + "/issuer", encoding: .utf8)
        #expect(recorded == "https://writ.example\n")
    }
}
