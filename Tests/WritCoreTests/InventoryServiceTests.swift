import Cedar
import Foundation
import Testing
import WritCore

/// Applying the inventory, deciding only what it registers, and tool drift.
@Suite struct InventoryServiceTests {
    let clock = TestClock()

    private func desk(sink: RecordingSink? = nil) async throws -> (InventoryService, TaskService) {
        let decisions = try await InventoryFixtures.decisions()
        let inventory = InventoryService(decisions: decisions, audit: sink, now: clock.now)
        _ = try await inventory.apply(try InventoryFixtures.read(InventoryFixtures.desk), actor: "test")
        let tasks = try await TaskFixtures.service(clock: clock, decisions: decisions)
        return (inventory, tasks)
    }

    private func email(_ tasks: TaskService) async throws -> TaskDecision {
        let opened = try await tasks.open(TaskFixtures.opening())
        return await tasks.decide(taskID: opened.record.id, request: TaskFixtures.email("customer@example.com"))
    }

    @Test func applyingProjectsEachItemIntoTheEntityStore() async throws {
        let (inventory, _) = try await desk()
        let stored = try await inventory.decisions.store.allEntities().first { $0.id == "mail___send_email" }
        #expect(stored?.json == #"{"uid":{"type":"Writ::Tool","id":"mail___send_email"},"attrs":{"owner":{"__entity":{"type":"Writ::User","id":"ops"}},"labels":["can-send-out"],"name":"send_email","egress":true},"parents":[]}"#)
        let agent = try await inventory.decisions.store.allEntities().first { $0.id == "support-bot" }
        #expect(agent?.json == #"{"uid":{"type":"Writ::Agent","id":"support-bot"},"attrs":{"owner":{"__entity":{"type":"Writ::User","id":"ops"}}},"parents":[]}"#)
    }

    @Test func applyingReportsWhatChanged() async throws {
        let decisions = try await InventoryFixtures.decisions()
        let inventory = InventoryService(decisions: decisions, now: clock.now)
        let first = try await inventory.apply(try InventoryFixtures.read(InventoryFixtures.desk), actor: "test")
        #expect(first == InventoryService.Application(revision: 1, added: 2, changed: 0, removed: 0, unchanged: 0))
        let same = try await inventory.apply(try InventoryFixtures.read(InventoryFixtures.desk), actor: "test")
        #expect(same == InventoryService.Application(revision: 1, added: 0, changed: 0, removed: 0, unchanged: 2))
        let fewer = try await inventory.apply(try InventoryFixtures.read(InventoryFixtures.document([InventoryFixtures.tool()])), actor: "test")
        #expect(fewer == InventoryService.Application(revision: 2, added: 0, changed: 0, removed: 1, unchanged: 1))
        #expect(try await decisions.store.allEntities().contains { $0.id == "support-bot" } == false)
    }

    @Test func aRegisteredAgentAndToolAreDecidedByPolicy() async throws {
        let (_, tasks) = try await desk()
        let decision = try await email(tasks)
        #expect(decision.allowed)
    }

    @Test func anUnregisteredToolIsDeniedUnregistered() async throws {
        let (_, tasks) = try await desk()
        let opened = try await tasks.open(TaskFixtures.opening())
        let decision = await tasks.decide(taskID: opened.record.id, request: TaskFixtures.search())
        #expect(decision.denial?.reason == .unregistered)
        #expect(decision.denial?.message == #"Writ::Tool::"docs___search" is not registered in the inventory"#)
    }

    @Test func anUnregisteredAgentIsDeniedUnregistered() async throws {
        let (_, tasks) = try await desk()
        let opened = try await tasks.open(TaskFixtures.opening(agent: "other-bot"))
        let decision = await tasks.decide(taskID: opened.record.id, request: TaskFixtures.email("c@example.com", by: "other-bot"))
        #expect(decision.denial?.reason == .unregistered)
        #expect(decision.denial?.message == #"Writ::Agent::"other-bot" is not registered in the inventory"#)
    }

    @Test func anEntityTheRequestCarriesRegistersNothing() async throws {
        let (_, tasks) = try await desk()
        let opened = try await tasks.open(TaskFixtures.opening())
        let carried = Entity(
            uid: EntityUID("Writ::Tool", "docs___search"),
            attributes: Record([
                ("name", .string("search")), ("owner", .entity(EntityUID("Writ::User", "ops"))), ("labels", .set(CedarSet())),
                ("egress", .bool(false)),
            ]))
        let decision = await tasks.decide(taskID: opened.record.id, request: TaskFixtures.search(), requestEntities: [carried])
        #expect(decision.denial?.reason == .unregistered)
    }

    @Test func anInvalidApplyChangesNothing() async throws {
        let (inventory, tasks) = try await desk()
        let before = try await inventory.decisions.store.allEntities()
        // `Writ::Agent` has no `readers`: the schema refuses the entity, so nothing is stored.
        let bad = InventoryFixtures.document([
            InventoryFixtures.item(#"Writ::Agent::\"new-bot\""#, extra: #", "attributes": {"readers": 1}"#),
        ])
        let error = await #expect(throws: WritError.self) { try await inventory.apply(try InventoryFixtures.read(bad), actor: "test") }
        #expect(error?.code == .invalidEntities)
        #expect(try await inventory.decisions.store.allEntities() == before)
        #expect(try await inventory.revision() == 1)
        #expect(try await inventory.items().count == 2)
        #expect(try await email(tasks).allowed)
    }

    @Test func aChangedDefinitionQuarantinesTheToolAndDeniesItToolChanged() async throws {
        let sink = RecordingSink()
        let (inventory, tasks) = try await desk(sink: sink)
        let tool = EntityUID("Writ::Tool", "mail___send_email")
        let changed = try InventoryFixtures.definition(description: "Send an email to anyone, with attachments.")
        #expect(try await inventory.observe(changed, of: tool, actor: "gateway") == .quarantined)
        let decision = try await email(tasks)
        #expect(decision.denial?.reason == .toolChanged)
        #expect(try await inventory.item(tool)?.state == .quarantined(pending: changed, since: TaskFixtures.start))
        let event = try #require(await sink.events(.inventoryToolChanged).first)
        #expect(event.resource == #"Writ::Tool::"mail___send_email""#)
        #expect(event.detail("observed") == .string(changed.hash))
    }

    @Test func theSameDefinitionChangesNothing() async throws {
        let sink = RecordingSink()
        let (inventory, tasks) = try await desk(sink: sink)
        let tool = EntityUID("Writ::Tool", "mail___send_email")
        #expect(try await inventory.observe(try InventoryFixtures.definition(), of: tool, actor: "gateway") == .unchanged)
        #expect(await sink.events(.inventoryToolChanged).isEmpty)
        #expect(try await email(tasks).allowed)
    }

    @Test func theOwnerApprovingPinsTheNewDefinitionAndAllowsAgain() async throws {
        let sink = RecordingSink()
        let (inventory, tasks) = try await desk(sink: sink)
        let tool = EntityUID("Writ::Tool", "mail___send_email")
        let changed = try InventoryFixtures.definition(description: "Send one email.")
        try await inventory.observe(changed, of: tool, actor: "gateway")
        let approved = try await inventory.approve(tool, hash: changed.hash, by: "ops", actor: "key ops")
        #expect(approved.pinnedHash == changed.hash)
        #expect(approved.state == .active)
        #expect(try await email(tasks).allowed)
        let event = try #require(await sink.events(.inventoryToolApproved).first)
        #expect(event.actor == "key ops")
        #expect(event.detail("hash") == .string(changed.hash))
    }

    @Test func someoneOtherThanTheOwnerCannotApprove() async throws {
        let (inventory, tasks) = try await desk()
        let tool = EntityUID("Writ::Tool", "mail___send_email")
        try await inventory.observe(try InventoryFixtures.definition(description: "x"), of: tool, actor: "gateway")
        let error = await #expect(throws: WritError.self) { try await inventory.approve(tool, by: "mallory", actor: "key m") }
        #expect(error?.code.rawValue == "forbidden")
        #expect(try await email(tasks).denial?.reason == .toolChanged)
    }

    @Test func approvingAnotherPendingHashIsAConflict() async throws {
        let (inventory, _) = try await desk()
        let tool = EntityUID("Writ::Tool", "mail___send_email")
        try await inventory.observe(try InventoryFixtures.definition(description: "x"), of: tool, actor: "gateway")
        let stale = try InventoryFixtures.definition(description: "y").hash
        let error = await #expect(throws: WritError.self) { try await inventory.approve(tool, hash: stale, by: "ops", actor: "k") }
        #expect(error?.code == .conflict)
    }

    @Test func approvingAnActiveToolIsAConflict() async throws {
        let (inventory, _) = try await desk()
        let error = await #expect(throws: WritError.self) {
            try await inventory.approve(EntityUID("Writ::Tool", "mail___send_email"), by: "ops", actor: "k")
        }
        #expect(error?.message == #"Writ::Tool::"mail___send_email" is not quarantined: there is no changed definition to approve"#)
    }

    @Test func reapplyingTheFileKeepsTheQuarantine() async throws {
        let (inventory, tasks) = try await desk()
        let tool = EntityUID("Writ::Tool", "mail___send_email")
        try await inventory.observe(try InventoryFixtures.definition(description: "x"), of: tool, actor: "gateway")
        _ = try await inventory.apply(try InventoryFixtures.read(InventoryFixtures.desk), actor: "test")
        #expect(try await email(tasks).denial?.reason == .toolChanged)
    }

    @Test func theQuarantineSurvivesAReload() async throws {
        let store = MemoryStore()
        let decisions = try await InventoryFixtures.decisions(store: store)
        let inventory = InventoryService(decisions: decisions, now: clock.now)
        _ = try await inventory.apply(try InventoryFixtures.read(InventoryFixtures.desk), actor: "test")
        try await inventory.observe(try InventoryFixtures.definition(description: "x"), of: EntityUID("Writ::Tool", "mail___send_email"), actor: "g")
        let reloaded = DecisionService(store: store, configuration: DecisionService.Configuration(authzen: TaskFixtures.mapping))
        try await reloaded.reload()
        let tasks = try await TaskFixtures.service(clock: clock, decisions: reloaded)
        #expect(try await email(tasks).denial?.reason == .toolChanged)
    }

    @Test func applyingIsAudited() async throws {
        let sink = RecordingSink()
        _ = try await desk(sink: sink)
        let event = try #require(await sink.events(.inventoryChanged).first)
        #expect(event.actor == "test")
        #expect(event.detailsText == #"{"revision":1,"items":2,"added":2,"changed":0,"removed":0}"#)
    }

    @Test func observingAToolThatIsNotRegisteredIsNotFound() async throws {
        let (inventory, _) = try await desk()
        let error = await #expect(throws: WritError.self) {
            try await inventory.observe(try InventoryFixtures.definition(), of: EntityUID("Writ::Tool", "nope"), actor: "g")
        }
        #expect(error?.code == .notFound)
    }
}
