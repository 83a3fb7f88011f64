import Cedar
import Foundation
import Testing
import WritCore

/// Inventory documents over the support desk of `TaskFixtures`.
enum InventoryFixtures {
    static let mailSchema = #"{"type": "object", "properties": {"to": {"type": "string"}}, "required": ["to"]}"#

    static func definition(_ name: String = "send_email", description: String = "Send an email.", schema: String = mailSchema) throws -> ToolDefinition {
        try ToolDefinition(name: name, description: description, inputSchema: schema)
    }

    /// One item as inventory JSON.
    static func item(
        _ uid: String, owner: String? = #"Writ::User::\"ops\""#, extra: String = ""
    ) -> String {
        let ownerMember = owner.map { #", "owner": "\#($0)""# } ?? ""
        return #"{"uid": "\#(uid)"\#(ownerMember)\#(extra)}"#
    }

    /// A tool with the mail definition (or `definition`), in server `mail`.
    static func tool(_ id: String = "mail___send_email", labels: String = #"["can-send-out"]"#, definition: String? = nil) -> String {
        let given = definition ?? #"{"name": "send_email", "description": "Send an email.", "inputSchema": \#(mailSchema)}"#
        return item(#"Writ::Tool::\"\#(id)\""#, extra: #", "labels": \#(labels), "definition": \#(given)"#)
    }

    /// The desk's agent and the mail tool.
    static var desk: String {
        document([item(#"Writ::Agent::\"support-bot\""#, extra: #", "description": "answers tickets""#), tool()])
    }

    static func document(_ items: [String]) -> String {
        #"{"version": 1, "items": [\#(items.joined(separator: ", "))]}"#
    }

    static func read(_ text: String, limits: InventoryDocument.Limits = InventoryDocument.Limits()) throws(WritError) -> InventoryDocument {
        try InventoryDocument(jsonBytes: Array(text.utf8), limits: limits)
    }

    /// A decision service over the support desk with no entities but users; tasks
    /// decide only what the inventory registers.
    static func decisions(store: MemoryStore = MemoryStore()) async throws -> DecisionService {
        let service = DecisionService(store: store, configuration: DecisionService.Configuration(authzen: TaskFixtures.mapping))
        let loaded = try await service.bootstrap(
            PolicySetDraft(files: [SourceFile(name: "org.cedar", text: TaskFixtures.policies)], schema: TaskFixtures.schema, author: "test"),
            entities: Array(#"[{"uid": {"type": "Writ::User", "id": "ops"}, "attrs": {}, "parents": []}]"#.utf8))
        #expect(loaded)
        return service
    }
}
