import Foundation
import Testing

/// `writ inventory report` over the demo desk's data directory, with decisions a real
/// `writ serve` made and recorded.
@Suite struct InventoryReportCommand {
    /// The demo desk's data directory after `writ serve` decided, in this order:
    /// support-bot searching the docs in a task (allowed), mailing outside the
    /// customers' domain in it (denied by `mail-only-to-customers`), refunding 500 in
    /// it (denied by the mandate) and searching without a task (denied `no_task`).
    struct Decided {
        var data: String
        var search: String
        var mail: String
        var refund: String
        var noTask: String
    }

    static func decided() async throws -> Decided {
        let data = try TaskCommand.dataDirectory()
        let opened = try TaskCommand.open(["--mandate", TaskCommand.mandate, "--data", data])
        let token = opened.stdout.trimmingCharacters(in: .newlines)
        func call(_ tool: String, _ input: String, task: Bool = true) -> String {
            let context = task ? #"{"input": \#(input), "task_token": "\#(token)"}"# : #"{"input": \#(input)}"#
            return #"{"subject": {"type": "agent", "id": "support-bot"}, "action": {"name": "\#(tool)"}, "#
                + #""resource": {"type": "tool", "id": "\#(tool)"}, "context": \#(context)}"#
        }
        let server = try ServerProcess(["--data", data])
        var ids: [String] = []
        for body in [
            call("docs___search", #"{"query": "refunds"}"#),
            call("mail___send_email", #"{"to": "someone@elsewhere.example"}"#),
            call("payments___refund", #"{"ticket": 42, "amount": 500}"#),
            call("docs___search", #"{"query": "refunds"}"#, task: false),
        ] {
            let answer = try await server.request("POST", "/access/v1/evaluation", json: body)
            ids.append(AuditCrash.decisionID(answer.body) ?? "")
        }
        #expect(server.stop().status == 0)
        return Decided(data: data, search: ids[0], mail: ids[1], refund: ids[2], noTask: ids[3])
    }

    static func json(_ run: CLIRun) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    }

    static func resource(_ report: [String: Any], _ uid: String) -> [String: Any]? {
        (report["resources"] as? [[String: Any]])?.first { $0["uid"] as? String == uid }
    }

    @Test func textListsEachResourceWithItsOwnerPoliciesAgentsAndDecisions() async throws {
        let decided = try await Self.decided()
        let run = try CLI.run(["inventory", "report", "--data", decided.data])
        #expect(run.status == 0)
        #expect(run.stderr == "")
        let blocks = run.stdout.components(separatedBy: "\n\n")
        #expect(blocks.count == 9)
        #expect(blocks[0] == "8 resources, 2 agents, 3 policies; the last 5 decisions on each resource (4 in all)")
        #expect(blocks[1] == """
            McpServer::"docs" (server)
              owner: User::"ops"
              labels: -
              description: The help-centre articles.
              policies: support-agents-call-tools (permit; resource scope via Gateway::"desk")
              agents: Agent::"refund-helper" always, Agent::"support-bot" always
              decisions: none
            """)
        let mail = try #require(blocks.first { $0.hasPrefix(#"Tool::"mail___send_email" (tool)"#) })
        let lines = mail.components(separatedBy: "\n")
        #expect(Array(lines.prefix(7)) == [
            #"Tool::"mail___send_email" (tool)"#,
            #"  owner: User::"ops""#,
            "  labels: can-send-out",
            "  description: Sends one email to a customer.",
            #"  policies: mail-only-to-customers (forbid; action scope via Action::"mail___send_email"); "#
                + #"support-agents-call-tools (permit; resource scope via Gateway::"desk")"#,
            #"  agents: Agent::"refund-helper" conditional, Agent::"support-bot" conditional"#,
            "  decisions:",
        ])
        #expect(lines[7].hasPrefix("    TIME "))
        #expect(lines[8].hasSuffix(#"  support-bot  Action::"mail___send_email"  deny      policy_denied  \#(decided.mail)"#))
        #expect(lines.count == 9)
    }

    @Test func jsonCarriesTheDecisionsNewestFirstWithTheirReasons() async throws {
        let decided = try await Self.decided()
        let report = try Self.json(try CLI.run(["inventory", "report", "--data", decided.data, "--format", "json"]))
        #expect(report["format"] as? String == "writ-inventory-report/1")
        let search = try #require(Self.resource(report, #"Writ::Tool::"docs___search""#))
        let decisions = try #require(search["decisions"] as? [[String: Any]])
        #expect(decisions.map { $0["decision_id"] as? String } == [decided.noTask, decided.search])
        #expect(decisions.map { $0["decision"] as? String } == ["deny", "allow"])
        #expect(decisions.map { $0["reason"] as? String } == ["no_task", nil])
        #expect(decisions.map { $0["agent"] as? String } == ["support-bot", "support-bot"])
        #expect(decisions[1]["policies"] as? [String] == ["support-agents-call-tools"])
        #expect(decisions[1]["task"] is String)
        let refund = try #require(Self.resource(report, #"Writ::Tool::"payments___refund""#))
        let refunds = try #require(refund["decisions"] as? [[String: Any]])
        #expect(refunds.map { $0["reason"] as? String } == ["mandate_denied"])
        #expect(refunds.map { $0["decision_id"] as? String } == [decided.refund])
    }

    @Test func jsonGivesEachResourcesPoliciesAndEveryAgentsReach() async throws {
        let decided = try await Self.decided()
        let report = try Self.json(try CLI.run(["inventory", "report", "--data", decided.data, "--format", "json"]))
        let summary = report["summary"] as? [String: Int]
        #expect(summary == ["resources": 8, "agents": 2, "policies": 3, "last": 5, "decisions": 4])
        let mail = try #require(Self.resource(report, #"Writ::Tool::"mail___send_email""#))
        #expect(mail["owner"] as? String == #"Writ::User::"ops""#)
        #expect(mail["labels"] as? [String] == ["can-send-out"])
        #expect(mail["state"] as? String == "active")
        let policies = try #require(mail["policies"] as? [[String: Any]])
        #expect(policies.map { $0["id"] as? String } == ["mail-only-to-customers", "support-agents-call-tools"])
        #expect(policies.map { $0["places"] as? [String] } == [["action_scope"], ["resource_scope"]])
        #expect(policies.map { $0["via"] as? [String] } == [[#"Writ::Action::"mail___send_email""#], [#"Writ::Gateway::"desk""#]])
        let reach = try #require(mail["reach"] as? [[String: Any]])
        #expect(reach.map { $0["agent"] as? String } == [#"Writ::Agent::"refund-helper""#, #"Writ::Agent::"support-bot""#])
        #expect(reach.map { $0["verdict"] as? String } == ["conditional", "conditional"])
        #expect(mail["never"] as? [String] == [])
        let server = try #require(Self.resource(report, #"Writ::McpServer::"payments""#))
        #expect(server["covers"] as? [String] == [#"Writ::Tool::"payments___refund""#])
        #expect((server["reach"] as? [[String: Any]])?.map { $0["verdict"] as? String } == ["conditional", "conditional"])
    }

    @Test func lastLimitsTheDecisionsOfEachResource() async throws {
        let decided = try await Self.decided()
        let report = try Self.json(try CLI.run(["inventory", "report", "--data", decided.data, "--format", "json", "--last", "1"]))
        let search = try #require(Self.resource(report, #"Writ::Tool::"docs___search""#))
        #expect((search["decisions"] as? [[String: Any]])?.map { $0["decision_id"] as? String } == [decided.noTask])
        #expect((report["summary"] as? [String: Int])?["decisions"] == 3)
    }

    @Test func htmlIsOnePageWithTheResourcesTable() async throws {
        let decided = try await Self.decided()
        let output = FileManagerHelpers.temporaryDirectory() + "/report.html"
        let run = try CLI.run(["inventory", "report", "--data", decided.data, "--format", "html", "--output", output])
        #expect(run.status == 0)
        #expect(run.stdout == "")
        let page = try String(contentsOfFile: output, encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(page.contains(#"content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'""#))
        #expect(page.contains(#"<tr data-kind="tool" data-resource="Tool::&quot;docs___search&quot;" data-owner="User::&quot;ops&quot;" "#
            + #"data-label="" data-policy="support-agents-call-tools" data-agent="Agent::&quot;refund-helper&quot; "#
            + #"Agent::&quot;support-bot&quot;" data-reach="always">"#))
        #expect(page.components(separatedBy: "<tr data-kind=").count == 9)
        #expect(!page.contains("http://") && !page.contains("https://"))
    }

    /// The report on the demo's data directory after applying an inventory of one
    /// server `x` described by `description` (a YAML scalar).
    static func reportOnServer(described description: String, format: String) throws -> CLIRun {
        let data = try TaskCommand.dataDirectory()
        let yaml = """
            version: 1
            items:
              - uid: 'Writ::McpServer::"x"'
                owner: 'Writ::User::"ops"'
                description: \(description)
                parents: ['Writ::Gateway::"desk"']
            """
        #expect(try CLI.run(["inventory", "apply", try CLI.temporaryFile(yaml, suffix: ".yaml"), "--data", data]).status == 0)
        return try CLI.run(["inventory", "report", "--data", data, "--format", format])
    }

    @Test func aHostileDescriptionIsEscapedInHTML() throws {
        let run = try Self.reportOnServer(described: #"'<script>alert("x")</script>'"#, format: "html")
        #expect(run.status == 0)
        #expect(run.stdout.contains("<div>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</div>"))
        #expect(!run.stdout.contains("<script>alert"))
    }

    @Test func aDescriptionsNewlineDoesNotBreakTheTextBlock() throws {
        let run = try Self.reportOnServer(described: #""one\ntwo""#, format: "text")
        #expect(run.status == 0)
        #expect(run.stdout.contains("\n  description: one two\n"))
    }

    @Test func anEmptyInventoryReportsNoResources() throws {
        let data = try TaskCommand.dataDirectory()
        let empty = try CLI.temporaryFile("version: 1\nitems: []\n", suffix: ".yaml")
        #expect(try CLI.run(["inventory", "apply", empty, "--data", data]).status == 0)
        let text = try CLI.run(["inventory", "report", "--data", data])
        let json = try CLI.run(["inventory", "report", "--data", data, "--format", "json"])
        #expect(text.status == 0)
        #expect(text.stdout == "0 resources, 0 agents, 3 policies; the last 5 decisions on each resource (0 in all)\n")
        #expect(try Self.json(json)["resources"] as? [Any] != nil)
        #expect((try Self.json(json)["resources"] as? [Any])?.count == 0)
    }

    @Test func anUnknownFormatIsAUsageError() throws {
        let run = try CLI.run(["inventory", "report", "--data", try TaskCommand.dataDirectory(), "--format", "xml"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("The value 'xml' is invalid for '--format <format>'"))
    }

    @Test func aHugeLastIsAUsageErrorNamingTheLimit() throws {
        let data = try TaskCommand.dataDirectory()
        let huge = try CLI.run(["inventory", "report", "--data", data, "--last", "1001"])
        let overflow = try CLI.run(["inventory", "report", "--data", data, "--last", "99999999999999999999"])
        let negative = try CLI.run(["inventory", "report", "--data", data, "--last=-1"])
        #expect(huge.status == 64)
        #expect(huge.stderr.contains("--last must be 0 to 1000, not 1001"))
        #expect(overflow.status == 64)
        #expect(negative.status == 64)
        #expect(negative.stderr.contains("--last must be 0 to 1000, not -1"))
    }

    @Test func anUnwritableOutputIsBadInputAndWritesNothing() throws {
        let data = try TaskCommand.dataDirectory()
        let output = FileManagerHelpers.temporaryDirectory() + "/missing/report.json"
        let run = try CLI.run(["inventory", "report", "--data", data, "--format", "json", "--output", output])
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("error: cannot write `\(output)`: "))
        #expect(run.stdout == "")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func aDirectoryWithoutAStoreIsBadInput() throws {
        let data = FileManagerHelpers.temporaryDirectory()
        let run = try CLI.run(["inventory", "report", "--data", data])
        #expect(run.status == 1)
        #expect(run.stderr == "error: no Writ store in `\(data)` (no writ.sqlite); pass --data DIR\n")
    }

    @Test func reportingChangesNothingInTheStore() async throws {
        let decided = try await Self.decided()
        let before = try CLI.run(["audit", "query", "--data", decided.data, "--json", "--limit", "1000"])
        #expect(try CLI.run(["inventory", "report", "--data", decided.data]).status == 0)
        let after = try CLI.run(["audit", "query", "--data", decided.data, "--json", "--limit", "1000"])
        #expect(before.stdout == after.stdout)
    }
}
