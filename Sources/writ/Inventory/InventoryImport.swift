import ArgumentParser
import Cedar
import Foundation
import WritCore

/// `writ inventory import --mcp --owner USER -- COMMAND ARGS…` (or `--url URL`):
/// registers an MCP server's tools, reports changed definitions (which quarantines them), and writes
/// the Cedar schema actions of their input schemas.
struct InventoryImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Register the tools an MCP server lists (started over stdio after --, or at --url).",
        discussion: """
            Each tool becomes Writ::Tool::"<server>___<tool>" in Writ::McpServer::"<server>", \
            owned by --owner, pinned by the hash of its definition. A tool already \
            registered whose definition changed is quarantined until its owner approves \
            it (`writ inventory approve`). The Cedar action declarations of the tools' \
            input schemas go to --schema-out, or to standard output.
            """)

    @Flag(help: "The source is an MCP server (over stdio or at --url; the only source for now).")
    var mcp = false

    @Option(help: "The owner of the tools registered, as a Cedar uid: 'Writ::User::\"ops\"'.")
    var owner: String

    @Option(help: "The Writ::McpServer id; default: the name the server gives.")
    var server: String?

    @Option(name: .customLong("schema-out"), help: "Write the Cedar action declarations to this file.")
    var schemaOut: String?

    @Option(help: "The server's Streamable HTTP endpoint (http:// or https://), instead of a command after --.")
    var url: String?

    @Option(help: "Seconds the server has to start and list its tools (1 to 600).")
    var timeout: Int = 30

    @OptionGroup var data: DataOptions

    @Argument(parsing: .postTerminator, help: "The MCP server's command and arguments.")
    var command: [String] = []

    func run() async throws {
        guard mcp else {
            printError("give --mcp: an MCP server (over stdio, or at --url) is the only source")
            throw WritExit.badInput
        }
        let ownerUID = try InventoryCommand.uid(owner, "--owner", type: BaseSchema.userType)
        guard (1...600).contains(timeout) else {
            printError("--timeout is \(timeout); give 1 to 600 seconds")
            throw WritExit.badInput
        }
        guard (url == nil) != command.isEmpty else {
            printError(url == nil
                ? "give the MCP server's command after `--`, or its endpoint with --url"
                : "give either --url or a command after `--`, not both")
            throw WritExit.badInput
        }
        let source = url ?? command.joined(separator: " ")
        let listing: MCPToolLister.Listing
        do {
            listing = try await MCPToolLister(command: command, url: url, timeout: .seconds(timeout)).list()
        } catch let error as InputError {
            printError(error.description)
            throw WritExit.badInput
        } catch {
            printError("cannot list the tools of `\(source)`: \(error)")
            throw WritExit.badInput
        }
        let serverID = server ?? listing.serverName
        let tools = listing.tools.map { (action: "\(serverID)___\($0.name)", definition: $0) }
        let report = try await data.withInventory("import the tools") { inventory throws(WritError) in
            try await Self.register(tools, server: serverID, owner: ownerUID.id, inventory: inventory)
        }
        for line in report { print(line) }
        let declarations = ToolSchemaActions.declarations(tools)
        if let schemaOut {
            guard FileManager.default.createFile(atPath: schemaOut, contents: Data(declarations.utf8)) else {
                printError("cannot write --schema-out `\(schemaOut)`")
                throw WritExit.badInput
            }
        } else {
            print(declarations, terminator: "")
        }
    }

    /// Adds the server and its new tools to the inventory (one apply), then reports the
    /// definitions of the tools registered before; one line per tool.
    static func register(
        _ tools: [(action: String, definition: ToolDefinition)], server: String, owner: String, inventory: InventoryService
    ) async throws(WritError) -> [String] {
        let current = try await inventory.items()
        let known = Set(current.map(\.key))
        let serverUID = EntityUID("Writ::McpServer", server)
        var items = current
        if !known.contains(StoredEntityKey(type: serverUID.type.name, id: serverUID.id)) {
            items.append(InventoryItem(uid: serverUID, owner: owner, description: "MCP server `\(server)`"))
        }
        var lines: [String] = []
        var existing: [(EntityUID, ToolDefinition)] = []
        for tool in tools {
            let uid = EntityUID("Writ::Tool", tool.action)
            if known.contains(StoredEntityKey(type: uid.type.name, id: uid.id)) {
                existing.append((uid, tool.definition))
            } else {
                items.append(InventoryItem(
                    uid: uid, owner: owner, description: tool.definition.description, parents: [serverUID],
                    definition: tool.definition))
                lines.append("registered \(uid) \(tool.definition.hash)")
            }
        }
        if items.count > current.count {
            _ = try await inventory.apply(try InventoryDocument(items: items), actor: DataOptions.localActor)
        }
        for (uid, definition) in existing {
            switch try await inventory.observe(definition, of: uid, actor: DataOptions.localActor) {
            case .unchanged: lines.append("unchanged \(uid)")
            case .quarantined: lines.append("quarantined \(uid): its definition changed to \(definition.hash); its owner approves it")
            case .restored: lines.append("restored \(uid): the pinned definition is back")
            }
        }
        return lines
    }
}
