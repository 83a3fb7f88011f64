import Cedar
import Testing
import WritCore

/// Reading inventory documents: every error names the item and the field.
@Suite struct InventoryDocumentTests {
    private func refusal(_ text: String, limits: InventoryDocument.Limits = InventoryDocument.Limits()) -> WritError? {
        #expect(throws: WritError.self) { try InventoryFixtures.read(text, limits: limits) }
    }

    @Test func aDocumentReadsItsItemsInOrder() throws {
        let document = try InventoryFixtures.read(InventoryFixtures.desk)
        #expect(document.items.map(\.uid.description) == [#"Writ::Agent::"support-bot""#, #"Writ::Tool::"mail___send_email""#])
        let tool = document.items[1]
        #expect(tool.kind == .tool)
        #expect(tool.owner == "ops")
        #expect(tool.labels == ["can-send-out"])
        #expect(tool.pinnedHash == "sha256:6be62a925f0ef6b2fd5808667be474e6471b27b42609dfd94aa9ae475e4e4c6a")
        #expect(tool.state == .active)
        #expect(document.items[0].description == "answers tickets")
    }

    @Test func anItemWithoutAnOwnerIsRefusedByName() {
        let error = refusal(InventoryFixtures.document([InventoryFixtures.item(#"Writ::Agent::\"a\""#, owner: nil)]))
        #expect(error?.code == .missingField)
        #expect(error?.message == #"items[0] (Writ::Agent::"a") has no `owner`: every item names the `Writ::User` who owns it"#)
    }

    @Test func anOwnerThatIsNotAUserIsRefused() {
        let error = refusal(InventoryFixtures.document([InventoryFixtures.item(#"Writ::Agent::\"a\""#, owner: #"Writ::Group::\"ops\""#)]))
        #expect(error?.message == #"items[0] (Writ::Agent::"a").owner is Writ::Group::"ops"; an owner is a `Writ::User`"#)
    }

    @Test func anOwnerThatIsNotAUIDIsRefused() {
        let error = refusal(InventoryFixtures.document([InventoryFixtures.item(#"Writ::Agent::\"a\""#, owner: "ops")]))
        #expect(error?.code == .invalidRequest)
        #expect(error?.message.hasPrefix(#"items[0] (Writ::Agent::"a").owner `ops` is not an entity uid"#) == true)
    }

    @Test func theSameUIDTwiceIsRefusedNamingBoth() {
        let agent = InventoryFixtures.item(#"Writ::Agent::\"a\""#)
        let error = refusal(InventoryFixtures.document([agent, InventoryFixtures.tool(), agent]))
        #expect(error?.message == #"items[2] registers Writ::Agent::"a", which items[0] registers already"#)
    }

    @Test func aTypeTheInventoryDoesNotRegisterIsRefused() {
        let error = refusal(InventoryFixtures.document([InventoryFixtures.item(#"Writ::Document::\"d\""#)]))
        #expect(error?.message.hasSuffix("; register its `Writ::Dataset` instead") == true)
        #expect(error?.message.hasPrefix(#"items[0].uid: Writ::Document::"d" is not of a type the inventory registers"#) == true)
    }

    @Test func aToolWithNeitherDefinitionNorHashIsRefused() {
        let error = refusal(InventoryFixtures.document([InventoryFixtures.item(#"Writ::Tool::\"t\""#)]))
        #expect(error?.message == #"items[0] (Writ::Tool::"t") is a tool with neither `definition` nor `hash`: the inventory pins a tool's definition"#)
    }

    @Test func aHashThatDisagreesWithTheDefinitionIsRefused() {
        let hash = "sha256:" + String(repeating: "0", count: 64)
        let tool = InventoryFixtures.item(
            #"Writ::Tool::\"t\""#,
            extra: #", "hash": "\#(hash)", "definition": {"name": "t", "inputSchema": {}}"#)
        let error = refusal(InventoryFixtures.document([tool]))
        #expect(error?.message.hasPrefix(#"items[0] (Writ::Tool::"t").hash is \#(hash), but its `definition` hashes to sha256:"#) == true)
    }

    @Test func aDefinitionOnAnAgentIsRefused() {
        let agent = InventoryFixtures.item(#"Writ::Agent::\"a\""#, extra: #", "definition": {"name": "t", "inputSchema": {}}"#)
        #expect(refusal(InventoryFixtures.document([agent]))?.message == #"items[0] (Writ::Agent::"a").definition: only tools have a `definition`"#)
    }

    @Test func wrongTypesAreRefusedByField() {
        let labels = InventoryFixtures.item(#"Writ::Agent::\"a\""#, extra: #", "labels": "pii""#)
        #expect(refusal(InventoryFixtures.document([labels]))?.message == #"items[0] (Writ::Agent::"a").labels must be a list of labels, not a string"#)
        let parents = InventoryFixtures.item(#"Writ::Agent::\"a\""#, extra: #", "parents": [1]"#)
        #expect(refusal(InventoryFixtures.document([parents]))?.code == .wrongType)
        #expect(refusal(#"{"version": 1, "items": {}}"#)?.message == "the inventory document's `items` must be a list, not an object")
        #expect(refusal("[]")?.code == .wrongType)
    }

    @Test func aLabelThatIsNotALabelIsRefused() {
        let agent = InventoryFixtures.item(#"Writ::Agent::\"a\""#, extra: #", "labels": ["no spaces"]"#)
        #expect(refusal(InventoryFixtures.document([agent]))?.code == .invalidIdentifier)
    }

    @Test func anUnknownMemberIsRefused() {
        let agent = InventoryFixtures.item(#"Writ::Agent::\"a\""#, extra: #", "ownr": "x""#)
        #expect(refusal(InventoryFixtures.document([agent]))?.message == #"items[0] (Writ::Agent::"a") has an unknown member `ownr`"#)
    }

    @Test func anotherVersionIsRefused() {
        #expect(refusal(#"{"version": 2, "items": []}"#)?.message == "the inventory document's `version` is 2; this build reads version 1")
        #expect(refusal(#"{"items": []}"#)?.code == .missingField)
    }

    @Test func moreItemsThanTheLimitAreRefused() {
        let items = (0..<3).map { InventoryFixtures.item(#"Writ::Agent::\"a\#($0)\""#) }
        let error = refusal(InventoryFixtures.document(items), limits: InventoryDocument.Limits(maxItems: 2))
        #expect(error?.code == .tooLarge)
        #expect(error?.message == "the inventory has 3 items; at most 2 are accepted")
    }

    @Test func aDocumentLargerThanTheByteLimitIsRefusedBeforeReading() {
        let error = refusal(InventoryFixtures.desk, limits: InventoryDocument.Limits(maxBytes: 64))
        #expect(error?.code == .tooLarge)
    }

    @Test func aDuplicateKeyIsRefused() {
        #expect(refusal(#"{"version": 1, "version": 1, "items": []}"#)?.code == .duplicateKey)
    }

    @Test func anIDWithABidiOverrideIsRefused() {
        let agent = InventoryFixtures.item(#"Writ::Agent::\"a\u202Eb\""#)
        #expect(refusal(InventoryFixtures.document([agent]))?.code == .invalidIdentifier)
    }

    @Test func aDocumentReadBackFromWritAppliesAgainIgnoringState() throws {
        let document = try InventoryFixtures.read(InventoryFixtures.desk)
        let again = try InventoryFixtures.read(document.encoded())
        #expect(again == document)
    }
}
