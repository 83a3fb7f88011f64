import Testing
import WritCore

@Suite struct ToolDefinitionTests {
    @Test func theHashIsWhatPythonComputesOverSortedCompactJSON() throws {
        // python3: json.dumps(d, sort_keys=True, separators=(",", ":"), ensure_ascii=False), SHA-256.
        let definition = try InventoryFixtures.definition()
        #expect(definition.hash == "sha256:6be62a925f0ef6b2fd5808667be474e6471b27b42609dfd94aa9ae475e4e4c6a")
    }

    @Test func theHashKeepsNonASCIIAndEscapesControlsAsPythonDoes() throws {
        let definition = try ToolDefinition(name: "caf\u{E9}", description: nil, inputSchema: #"{"z": 1, "a": "\n\u00e9"}"#)
        #expect(definition.hash == "sha256:b136e7ffd37224f4047a1549a8d425f6818b9c93ec0ed05897702a3f433e02b4")
    }

    @Test func memberOrderAndWhitespaceDoNotChangeTheHash() throws {
        let a = try ToolDefinition(name: "t", description: "d", inputSchema: #"{"b": {"y": 1, "x": [1, 2]}, "a": true}"#)
        let b = try ToolDefinition(name: "t", description: "d", inputSchema: #"{ "a" : true , "b" : { "x" : [ 1 , 2 ] , "y" : 1 } }"#)
        #expect(a.hash == b.hash)
        #expect(a.inputSchema == #"{"a":true,"b":{"x":[1,2],"y":1}}"#)
    }

    @Test func aChangedDescriptionChangesTheHash() throws {
        #expect(try InventoryFixtures.definition(description: "Send mail.").hash != InventoryFixtures.definition().hash)
    }

    @Test func anInputSchemaThatIsNotAnObjectIsRefused() {
        let error = #expect(throws: WritError.self) { try ToolDefinition(name: "t", description: nil, inputSchema: "[]") }
        #expect(error?.message == "`inputSchema` must be a JSON object (a JSON Schema), not an array")
    }

    @Test func anInputSchemaWithADuplicateKeyIsRefused() {
        let error = #expect(throws: WritError.self) { try ToolDefinition(name: "t", description: nil, inputSchema: #"{"a": 1, "a": 2}"#) }
        #expect(error?.code == .duplicateKey)
    }

    @Test func hashesHaveOneForm() {
        #expect(ToolDefinition.isHash("sha256:" + String(repeating: "0a", count: 32)))
        #expect(!ToolDefinition.isHash("sha256:" + String(repeating: "0A", count: 32)))
        #expect(!ToolDefinition.isHash("sha1:" + String(repeating: "0a", count: 32)))
        #expect(!ToolDefinition.isHash("sha256:" + String(repeating: "0a", count: 31)))
    }
}
