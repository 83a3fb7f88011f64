import Foundation
import Testing

/// `writ inventory` on a data directory, in process: no server runs.
@Suite struct InventoryCommand {
    static func apply(_ yaml: String, data: String, suffix: String = ".yaml") throws -> CLIRun {
        try CLI.run(["inventory", "apply", try CLI.temporaryFile(yaml, suffix: suffix), "--data", data])
    }

    static let agent = """
        version: 1
        items:
          - uid: 'Writ::Agent::"support-bot"'
            owner: 'Writ::User::"ops"'
            parents: ['Writ::AgentGroup::"support"']
        """

    @Test func servingTheDemoRegistersItsInventory() throws {
        let data = try TaskCommand.dataDirectory()
        let listed = try CLI.run(["inventory", "list", "--data", data])
        #expect(listed.status == 0)
        let lines = listed.stdout.split(separator: "\n")
        #expect(lines.count == 11)
        #expect(lines.contains { $0.hasPrefix(#"Writ::Tool::"mail___send_email"  Writ::User::"ops"  can-send-out  active"#) })
    }

    @Test func applyingAFileReportsWhatChanged() throws {
        let data = try TaskCommand.dataDirectory()
        let applied = try Self.apply(Self.agent, data: data)
        #expect(applied.stderr == "")
        #expect(applied.status == 0)
        #expect(applied.stdout == "inventory revision 2: 0 added, 1 changed, 9 removed, 0 unchanged\n")
    }

    @Test func aYAMLSyntaxErrorNamesItsLineAndColumn() throws {
        let data = try TaskCommand.dataDirectory()
        let applied = try Self.apply("version: 1\nitems:\n  - uid: [unclosed\n", data: data)
        #expect(applied.status == 1)
        #expect(applied.stderr.range(of: #"\.yaml:4:1: "#, options: .regularExpression) != nil)
    }

    @Test func anItemWithoutAnOwnerNamesItsLineAndColumn() throws {
        let data = try TaskCommand.dataDirectory()
        let yaml = Self.agent + "\n  - uid: 'Writ::Agent::\"other\"'\n"
        let applied = try Self.apply(yaml, data: data)
        #expect(applied.status == 1)
        #expect(applied.stderr.hasSuffix(#".yaml:6:5: items[1] (Writ::Agent::"other") has no `owner`: every item names the `Writ::User` who owns it"# + "\n"))
    }

    @Test func aDuplicateYAMLKeyIsRefusedAtItsPlace() throws {
        let data = try TaskCommand.dataDirectory()
        let applied = try Self.apply("version: 1\nversion: 1\nitems: []\n", data: data)
        #expect(applied.status == 1)
        #expect(applied.stderr.hasSuffix(".yaml:1:1: a key appears twice in one mapping: `version`\n"))
    }

    @Test func anOwnerThatIsNotAUserIsRefused() throws {
        let data = try TaskCommand.dataDirectory()
        let applied = try Self.apply(Self.agent.replacingOccurrences(of: "Writ::User", with: "Writ::Group"), data: data)
        #expect(applied.status == 1)
        #expect(applied.stderr.contains(#"items[0] (Writ::Agent::"support-bot").owner is Writ::Group::"ops"; an owner is a `Writ::User`"#))
    }

    @Test func aJSONFileAppliesToo() throws {
        let data = try TaskCommand.dataDirectory()
        let json = #"{"version": 1, "items": [{"uid": "Writ::Agent::\"support-bot\"", "owner": "Writ::User::\"ops\"", "parents": ["Writ::AgentGroup::\"support\""]}]}"#
        let applied = try Self.apply(json, data: data, suffix: ".json")
        #expect(applied.status == 0)
    }

    @Test func approvingAToolThatIsNotQuarantinedIsBadInput() throws {
        let data = try TaskCommand.dataDirectory()
        let run = try CLI.run([
            "inventory", "approve", #"Writ::Tool::"mail___send_email""#, "--by", #"Writ::User::"ops""#, "--data", data,
        ])
        #expect(run.status == 1)
        #expect(run.stderr.contains("is not quarantined"))
    }

    @Test func listingAsJSONAppliesBackUnchanged() throws {
        let data = try TaskCommand.dataDirectory()
        let listed = try CLI.run(["inventory", "list", "--json", "--data", data])
        let applied = try Self.apply(listed.stdout, data: data, suffix: ".json")
        #expect(applied.stdout == "inventory revision 1: 0 added, 0 changed, 0 removed, 10 unchanged\n")
    }
}
