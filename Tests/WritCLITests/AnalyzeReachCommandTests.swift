import Foundation
import ReachSamples
import Testing
import WritCore

@Suite struct AnalyzeReachCommandTests {
    @Test func textOverThePolicyDirectoryStartsWithTheSummaryAndExitsZero() throws {
        let run = try CLI.run(["analyze", "reach", "--from", "examples/agent-demo"])
        #expect(run.status == 0)
        let lines = run.stdout.components(separatedBy: "\n")
        #expect(lines[0] == "2 agents, 4 resources, 7 actions, 3 policies: 8 triples "
            + "(never 0, inside a task only 0, conditional 4, always 4); 1 findings")
        #expect(lines.contains {
            $0 == #"Agent::"support-bot"    call        Action::"mail___send_email"  Tool::"mail___send_email"  "#
                + #"conditional  support-agents-call-tools forbid:mail-only-to-customers  mail-only-to-customers: "#
                + #"when { !(context.input.to like "*@customer.example") && !(context.input.to like "*@example.com") }"#
        })
        #expect(lines.contains("standing_access: permit `support-agents-call-tools` can allow 2 agents to reach 4 resources "
            + "without a task: none of its conditions reads context.task"))
    }

    @Test func jsonGoesToTheOutputFile() throws {
        let output = FileManagerHelpers.temporaryDirectory() + "/reach.json"
        let run = try CLI.run(["analyze", "reach", "--from", "examples/agent-demo", "--format", "json", "--output", output])
        #expect(run.status == 0)
        #expect(run.stdout == "")
        let text = try String(contentsOfFile: output, encoding: .utf8)
        #expect(text.hasPrefix("{\n  \"format\": \"writ-reach/1\","))
    }

    @Test func htmlIsOnePage() throws {
        let run = try CLI.run(["analyze", "reach", "--from", "examples/agent-demo", "--format", "html"])
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("<!DOCTYPE html>"))
        #expect(run.stdout.hasSuffix("</html>\n"))
    }

    @Test func theStoreOfADataDirectoryIsAnalysedAsItsPolicyDirectory() throws {
        let data = FileManagerHelpers.temporaryDirectory()
        let server = try ServerProcess(["--from", "examples/agent-demo", "--data", data, "--audit", "off"])
        _ = server.stop()
        let fromData = try CLI.run(["analyze", "reach", "--data", data, "--format", "json"])
        let fromDirectory = try CLI.run(["analyze", "reach", "--from", "examples/agent-demo", "--format", "json"])
        #expect(fromData.status == 0)
        #expect(fromData.stdout == fromDirectory.stdout)
    }

    @Test func aPolicyThatDoesNotParseIsBadInputWithItsPlace() throws {
        let directory = FileManagerHelpers.temporaryDirectory()
        try FileManagerHelpers.write("permit (principal, action, resource) when { 1 + };\n", to: directory + "/org.cedar")
        let run = try CLI.run(["analyze", "reach", "--from", directory])
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("error: cannot analyze `\(directory)`: org.cedar:1:"))
    }

    @Test func aUniverseOverTheTripleLimitIsBadInput() throws {
        let run = try CLI.run(["analyze", "reach", "--from", "examples/agent-demo", "--max-triples", "7"])
        #expect(run.status == 1)
        #expect(run.stderr == "error: cannot analyze `examples/agent-demo`: the universe has 8 agent × resource × action "
            + "triples, more than the limit of 7 (2 agents, 4 resources, 7 actions)\n")
    }

    @Test func neitherOrBothSourcesIsAUsageError() throws {
        #expect(try CLI.run(["analyze", "reach"]).status == 64)
        #expect(try CLI.run(["analyze", "reach", "--from", "examples/agent-demo", "--data", "x"]).status == 64)
    }

    @Test func aGeneratedSampleDirectoryIsAnalysed() throws {
        let directory = FileManagerHelpers.temporaryDirectory()
        try ReachSample(.small, seed: 3).write(to: directory)
        let run = try CLI.run(["analyze", "reach", "--from", directory, "--format", "json"])
        #expect(run.status == 0)
        #expect(run.stdout.contains(#""triples": 135,"#))
    }

    @Test func theInventoryOfThePolicyDirectoryGivesTheResourcesLabels() throws {
        let run = try CLI.run(["analyze", "reach", "--from", "examples/agent-demo", "--format", "json"])
        let report = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        let resources = report?["resources"] as? [[String: Any]] ?? []
        #expect(resources.map { $0["labels"] as? [String] } == [[], ["can-send-out"], ["financial"], []])
    }

    @Test func aDestinationTheInventoryGivesAnOwnerIsNotAResourceWithoutOne() throws {
        let directory = FileManagerHelpers.temporaryDirectory()
        let demo = CLI.repository.appendingPathComponent("examples/agent-demo").path
        for name in ["org.cedar", "support.cedarschema", "entities.json", "authzen.json"] {
            try FileManager.default.copyItem(atPath: "\(demo)/\(name)", toPath: "\(directory)/\(name)")
        }
        let inventory = try String(contentsOfFile: "\(demo)/inventory.yaml", encoding: .utf8)
        try FileManagerHelpers.write(inventory + """
              - uid: 'Writ::Destination::"chat"'
                owner: 'Writ::User::"ops"'
                attributes: {kind: chat, internal: true}

            """, to: directory + "/inventory.yaml")
        let run = try CLI.run(["analyze", "reach", "--from", directory])
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("2 agents, 5 resources, 7 actions, 3 policies: 10 triples "))
        #expect(!run.stdout.contains("resource_without_owner"))
        #expect(run.stdout.contains(#"unreachable_resource: no agent can reach Writ::Destination::"chat": no permit can apply to it"#))
    }
}
