import Cedar
import Testing
import WritCore

@Suite struct ToolSchemaActionsTests {
    @Test func typesCedarCanWriteBecomeTheInputRecord() throws {
        let definition = try ToolDefinition(name: "send", description: "Send mail.\nMore.", inputSchema: #"""
            {"type": "object", "required": ["to", "cc"], "properties": {
              "to": {"type": "string"}, "cc": {"type": "array", "items": {"type": "string"}},
              "retries": {"type": "integer"}, "urgent": {"type": "boolean"},
              "meta": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}},
              "note": {"anyOf": [{"type": "string"}, {"type": "null"}]}
            }}
            """#)
        #expect(ToolSchemaActions.declaration(action: "mail___send", definition: definition) == """
            // Send mail.
            action "mail___send" in [call] appliesTo {
              principal: [Agent], resource: [Tool],
              context: { task: TaskContext, system: SystemContext, input: { "cc": Set<String>, "meta"?: { "id": Long }, "note"?: String, "retries"?: Long, "to": String, "urgent"?: Bool } }
            };

            """)
    }

    @Test func argumentsCedarCannotWriteAreLeftOutAndNamed() throws {
        let definition = try ToolDefinition(name: "t", description: nil, inputSchema: #"""
            {"type": "object", "properties": {"ratio": {"type": "number"}, "any": {}, "open": {"type": "object"},
             "either": {"anyOf": [{"type": "string"}, {"type": "integer"}]}, "n": {"type": "integer"}}}
            """#)
        #expect(ToolSchemaActions.declaration(action: "s___t", definition: definition) == """
            // Not expressible in Cedar, so not accepted: any, either, open, ratio
            action "s___t" in [call] appliesTo {
              principal: [Agent], resource: [Tool],
              context: { task: TaskContext, system: SystemContext, input: { "n"?: Long } }
            };

            """)
    }

    @Test func theDeclarationsExtendTheBaseSchemaAndValidateAPolicyOnArguments() throws {
        let definition = try ToolDefinition(name: "refund", description: "Refund.", inputSchema: #"""
            {"type": "object", "required": ["amount"], "properties": {"amount": {"type": "integer"}}}
            """#)
        let schema = BaseSchema.extended(
            with: ToolSchemaActions.declarations([(action: "payments___refund", definition: definition)]), name: "tools.cedarschema")
        let policy = SourceFile(
            name: "org.cedar",
            text: #"forbid (principal, action == Writ::Action::"payments___refund", resource) when { context.input.amount > 1000 };"#)
        _ = try PolicySetCompiler.compile(files: [policy], schema: schema)
        let wrong = SourceFile(
            name: "org.cedar",
            text: #"forbid (principal, action == Writ::Action::"payments___refund", resource) when { context.input.amont > 1000 };"#)
        #expect(throws: WritError.self) { try PolicySetCompiler.compile(files: [wrong], schema: schema) }
    }
}
