import Foundation
import Testing

/// `writ inventory import --mcp` against a real MCP server: the Python SDK's
/// `MCPServer` (PyPI `mcp` 2.3.0) started by the command over stdio.
@Suite struct InventoryImport {
    /// A server `files` with one tool whose description comes from `TOOL_DOC`.
    static let server = """
        import os
        from mcp.server.mcpserver import MCPServer
        app = MCPServer("files")
        @app.tool(description=os.environ.get("TOOL_DOC", "Read a file."))
        def read_file(path: str, limit: int = 10, tags: list[str] | None = None, ratio: float = 0.5) -> str:
            return ""
        if __name__ == "__main__":
            app.run()
        """

    static func importing(_ data: String, _ script: String, doc: String? = nil, extra: [String] = []) throws -> CLIRun {
        try CLI.run(
            ["inventory", "import", "--mcp", "--owner", #"Writ::User::"ops""#, "--data", data] + extra + ["--", "python3", script],
            environment: doc.map { ["TOOL_DOC": $0] } ?? [:])
    }

    /// Whether `listing` has a row matching `pattern` (a regular expression).
    static func row(_ listing: String, _ pattern: String) -> Bool {
        listing.range(of: pattern, options: .regularExpression) != nil
    }

    /// The hash Python computes for the tool (docs/INVENTORY.md).
    static let readFileHash = "sha256:04f4eedc5b757611b637ef4110aa994e45516e57bc705d385d96c05d93062694"

    @Test func theServersToolsAreRegisteredWithTheHashPythonComputes() throws {
        let data = try TaskCommand.dataDirectory()
        let script = try CLI.temporaryFile(Self.server, suffix: ".py")
        let run = try Self.importing(data, script)
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix(#"registered Writ::Tool::"files___read_file" \#(Self.readFileHash)"# + "\n"))
        let listed = try CLI.run(["inventory", "list", "--data", data]).stdout
        #expect(Self.row(listed, #"Writ::McpServer::"files" +Writ::User::"ops" +active"#))
        #expect(Self.row(listed, #"Writ::Tool::"files___read_file" +Writ::User::"ops" +active"#))
    }

    @Test func theInputSchemaBecomesACedarAction() throws {
        let data = try TaskCommand.dataDirectory()
        let script = try CLI.temporaryFile(Self.server, suffix: ".py")
        let run = try Self.importing(data, script)
        #expect(run.stdout.hasSuffix("""
            // Read a file.
            // Not expressible in Cedar, so not accepted: ratio
            action "files___read_file" in [call] appliesTo {
              principal: [Agent], resource: [Tool],
              context: { task: TaskContext, system: SystemContext, input: { "limit"?: Long, "path": String, "tags"?: Set<String> } }
            };

            """))
    }

    @Test func aChangedDefinitionIsQuarantinedUntilTheOwnerApprovesIt() throws {
        let data = try TaskCommand.dataDirectory()
        let script = try CLI.temporaryFile(Self.server, suffix: ".py")
        let schema = FileManagerHelpers.temporaryDirectory() + ".cedarschema"
        _ = try Self.importing(data, script, extra: ["--schema-out", schema])
        let again = try Self.importing(data, script, extra: ["--schema-out", schema])
        #expect(again.stdout == #"unchanged Writ::Tool::"files___read_file""# + "\n")
        let changed = try Self.importing(data, script, doc: "Read any file, anywhere.", extra: ["--schema-out", schema])
        #expect(changed.stdout.hasPrefix(#"quarantined Writ::Tool::"files___read_file": its definition changed to sha256:"#))
        #expect(Self.row(try CLI.run(["inventory", "list", "--data", data]).stdout, #"Writ::Tool::"files___read_file" +Writ::User::"ops" +quarantined"#))
        let approved = try CLI.run([
            "inventory", "approve", #"Writ::Tool::"files___read_file""#, "--by", #"Writ::User::"ops""#, "--data", data,
        ])
        #expect(approved.status == 0)
        #expect(Self.row(try CLI.run(["inventory", "list", "--data", data]).stdout, #"Writ::Tool::"files___read_file" +Writ::User::"ops" +active"#))
    }

    @Test func aServerThatNeverAnswersIsBadInputAfterTheTimeout() throws {
        let data = try TaskCommand.dataDirectory()
        let run = try CLI.run([
            "inventory", "import", "--mcp", "--owner", #"Writ::User::"ops""#, "--timeout", "2", "--data", data, "--", "sleep", "30",
        ])
        #expect(run.status == 1)
        #expect(run.stderr == "error: `sleep` did not list its tools within 2.0 seconds\n")
    }

    @Test func anOwnerThatIsNotAUserIsRefusedBeforeStartingAnything() throws {
        let run = try CLI.run([
            "inventory", "import", "--mcp", "--owner", #"Writ::Group::"ops""#, "--data", FileManagerHelpers.temporaryDirectory(),
            "--", "python3", "-c", "raise SystemExit(3)",
        ])
        #expect(run.status == 1)
        #expect(run.stderr == "error: --owner is Writ::Group::\"ops\"; it must be a `Writ::User`\n")
    }
}
