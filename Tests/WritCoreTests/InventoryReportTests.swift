import Cedar
import Foundation
import Testing
import WritCore

/// `InventoryReport` over the reach fixtures' deployment, registered in an inventory.
@Suite struct InventoryReportTests {
    static let docs = EntityUID("Writ::McpServer", "docs")
    static let mailServer = EntityUID("Writ::McpServer", "mail")

    /// The fixtures' agents, servers, tools and destination as inventory items: the
    /// destination owned by bob (its entity has no `owner`), the search tool labelled `pii`.
    static let items: [InventoryItem] = [
        InventoryItem(uid: ReachFixtures.bot, owner: "ann"),
        InventoryItem(uid: ReachFixtures.rogue, owner: "bob"),
        InventoryItem(uid: docs, owner: "ann"),
        InventoryItem(uid: mailServer, owner: "bob"),
        InventoryItem(uid: ReachFixtures.search, owner: "ann", labels: ["pii"], pinnedHash: "sha256:" + String(repeating: "0", count: 64)),
        InventoryItem(uid: ReachFixtures.mail, owner: "bob", labels: ["can-send-out"], pinnedHash: "sha256:" + String(repeating: "1", count: 64)),
        InventoryItem(uid: ReachFixtures.chat, owner: "bob"),
    ]

    static let policies = """
        @id("search-tool") permit (principal, action in Writ::Action::"call", resource == Writ::Tool::"docs___search");
        @id("docs-server") permit (principal, action == Writ::Action::"docs___search", resource in Writ::McpServer::"docs");
        @id("any-tool") permit (principal, action in Writ::Action::"call", resource is Writ::Tool);
        @id("mail-server") forbid (principal, action in Writ::Action::"call", resource) when { resource in Writ::McpServer::"mail" };
        """

    static func engine(_ policies: String = policies) async throws -> PolicyEngine {
        try await TestService.make(policies: policies, schema: ReachFixtures.schema, entities: ReachFixtures.entities).engine()
    }

    static func report(audit: (any AuditStore)? = nil, last: Int = 5) async throws -> InventoryReport {
        try await InventoryReport.make(items: items, engine: try await engine(), audit: audit, last: last)
    }

    static func entry(_ report: InventoryReport, _ uid: EntityUID) throws -> InventoryReport.Entry {
        try #require(report.entries.first { $0.item.uid == uid })
    }

    @Test func everyResourceButTheAgentsHasAnEntrySortedByUid() async throws {
        let report = try await Self.report()
        #expect(report.entries.map(\.item.uid) == [
            ReachFixtures.chat, Self.docs, Self.mailServer, ReachFixtures.search, ReachFixtures.mail,
        ])
        #expect(report.agents.map(\.uid) == [ReachFixtures.bot, ReachFixtures.rogue])
        #expect(report.policyCount == 4)
    }

    @Test func aToolIsNamedByItsResourceScopeItsServersScopeAndItsOwnAction() async throws {
        let entry = try Self.entry(try await Self.report(), ReachFixtures.search)
        #expect(entry.policies == [
            .init(id: "docs-server", effect: .permit, places: [.resourceScope, .actionScope],
                  via: [ReachFixtures.searchAction, Self.docs]),
            .init(id: "search-tool", effect: .permit, places: [.resourceScope], via: [ReachFixtures.search]),
        ])
    }

    @Test func aConditionNamingTheServerOfAToolNamesTheTool() async throws {
        let entry = try Self.entry(try await Self.report(), ReachFixtures.mail)
        #expect(entry.policies == [.init(id: "mail-server", effect: .forbid, places: [.condition], via: [Self.mailServer])])
    }

    @Test func aServerIsNamedByAScopeInIt() async throws {
        let entry = try Self.entry(try await Self.report(), Self.docs)
        #expect(entry.policies == [.init(id: "docs-server", effect: .permit, places: [.resourceScope], via: [Self.docs])])
    }

    @Test func aResourceNoPolicyNamesHasNone() async throws {
        #expect(try Self.entry(try await Self.report(), ReachFixtures.chat).policies == [])
    }

    @Test func aServersReachIsTheReachOfTheToolsInIt() async throws {
        let entry = try Self.entry(try await Self.report(), Self.mailServer)
        #expect(entry.covers == [ReachFixtures.mail])
        #expect(entry.reach.map(\.agent) == [ReachFixtures.bot, ReachFixtures.rogue])
        #expect(entry.reach.map(\.verdict) == [.never, .never])
        #expect(entry.reach[0].triples.map(\.forbids) == [["mail-server"]])
        #expect(entry.reach.map(\.owner) == [EntityUID("Writ::User", "ann"), EntityUID("Writ::User", "bob")])
    }

    @Test func anAgentsVerdictIsTheWidestOfItsTriples() async throws {
        let entry = try Self.entry(try await Self.report(), ReachFixtures.search)
        #expect(entry.reach.map(\.verdict) == [.always, .always])
        #expect(entry.widest == .always)
        #expect(entry.reach[0].triples.map(\.action) == [ReachFixtures.searchAction])
    }

    @Test func aDestinationIsCoveredByTheReleaseAction() async throws {
        let entry = try Self.entry(try await Self.report(), ReachFixtures.chat)
        #expect(entry.covers == [ReachFixtures.chat])
        #expect(entry.reach.map(\.verdict) == [.never, .never])
        #expect(entry.reach[0].triples.map(\.action) == [ReachFixtures.release])
    }

    @Test func moreThanTheMostDecisionsIsRefused() async throws {
        let error = await #expect(throws: WritError.self) { try await Self.report(last: 1001) }
        #expect(error?.code == .invalidRequest)
        #expect(error?.message == "the number of decisions per resource must be 0 to 1000, not 1001")
    }

    @Test func theJSONNamesItsFormatAndSummary() async throws {
        let json = try await Self.report().json(pretty: false)
        #expect(json.hasPrefix(
            #"{"format":"writ-inventory-report/1","summary":{"resources":5,"agents":2,"policies":4,"last":5,"decisions":0},"#
                + #""agents":[{"uid":"Writ::Agent::\"bot\"","owner":"Writ::User::\"ann\""},"#))
    }

    @Test func theJSONOfAResourceWithoutDecisions() async throws {
        let json = try await Self.report().json(pretty: false)
        let chat: [String] = [
            #"{"uid":"Writ::Destination::\"chat\"","kind":"destination","owner":"Writ::User::\"bob\"","description":null,"#,
            #""labels":[],"state":"active","policies":[],"covers":["Writ::Destination::\"chat\""],"reach":[],"#,
            #""never":["Writ::Agent::\"bot\"","Writ::Agent::\"rogue\""],"decisions":[]}"#,
        ]
        #expect(json.contains(chat.joined()))
    }

    @Test func theJSONOfAReachableResourceGivesEachAgentsTriples() async throws {
        let json = try await Self.report().json(pretty: false)
        let docs: [String] = [
            #"{"uid":"Writ::McpServer::\"docs\"","kind":"server","owner":"Writ::User::\"ann\"","description":null,"#,
            #""labels":[],"state":"active","policies":[{"id":"docs-server","effect":"permit","places":["resource_scope"],"#,
            #""via":["Writ::McpServer::\"docs\""]}],"covers":["Writ::Tool::\"docs___search\""],"reach":[{"agent":"#,
            #""Writ::Agent::\"bot\"","owner":"Writ::User::\"ann\"","verdict":"always","triples":[{"#,
            #""resource":"Writ::Tool::\"docs___search\"","action":"Writ::Action::\"docs___search\"","#,
            #""checkpoint":"call","verdict":"always","permits":["any-tool","docs-server","search-tool"],"forbids":[]}]},"#,
        ]
        #expect(json.contains(docs.joined()))
    }
}

/// The reach universe takes owners and labels from the inventory.
@Suite struct ReachUniverseInventoryTests {
    @Test func anInventoryOwnerIsTheOwnerOfAnEntityWithoutOne() async throws {
        let engine = try await InventoryReportTests.engine()
        let universe = ReachUniverse(engine: engine, inventory: InventoryReportTests.items)
        #expect(universe.resources.first { $0.uid == ReachFixtures.chat }?.owner == EntityUID("Writ::User", "bob"))
        #expect(ReachUniverse(engine: engine).resources.first { $0.uid == ReachFixtures.chat }?.owner == nil)
    }

    @Test func inventoryLabelsAreTheResourcesLabels() async throws {
        let universe = ReachUniverse(engine: try await InventoryReportTests.engine(), inventory: InventoryReportTests.items)
        #expect(universe.resources.map(\.labels) == [[], ["pii"], ["can-send-out"]])
    }

    @Test func aDestinationOwnedInTheInventoryIsNotAResourceWithoutAnOwner() async throws {
        let engine = try await InventoryReportTests.engine()
        let analyzer = ReachAnalyzer(engine: engine)
        let without = try analyzer.analyze(ReachUniverse(engine: engine)).findings(.resourceWithoutOwner)
        let with = try analyzer.analyze(ReachUniverse(engine: engine, inventory: InventoryReportTests.items))
            .findings(.resourceWithoutOwner)
        #expect(without.map(\.resources) == [[ReachFixtures.chat]])
        #expect(with == [])
    }

    @Test func anInventoryOwnerDecidesCrossOwnerReach() async throws {
        // The inventory gives the search tool to bob: ann's bot reaching it reaches another owner's resource.
        var items = InventoryReportTests.items
        items[4].owner = "bob"
        let engine = try await InventoryReportTests.engine()
        let findings = try ReachAnalyzer(engine: engine).analyze(ReachUniverse(engine: engine, inventory: items))
            .findings(.crossOwnerReach)
        #expect(findings.map(\.agents) == [[ReachFixtures.bot]])
        #expect(findings.map(\.resources) == [[ReachFixtures.search]])
    }
}

/// `AuditStore.latestDecisions(on:limit:)`: the newest decisions on one resource.
@Suite struct AuditLatestDecisionsTests {
    static let tool = #"Writ::Tool::"docs___search""#

    /// Five decisions on the tool (d1…d5) with a tool change between d2 and d3, and a
    /// decision on another tool after each.
    static func store() async throws -> MemoryStore {
        let store = MemoryStore()
        let log = try await AuditLog.open(store: store, signingKey: AuditSigningKey.generate(), configuration: .init(checkpointInterval: nil))
        for n in 1...5 {
            try await log.record([
                AuditEvent(kind: .decision, time: Date(timeIntervalSince1970: Double(n)), decisionID: "d\(n)", agent: "bot",
                           resource: tool, action: #"Writ::Action::"docs___search""#, outcome: .allow),
                AuditEvent(kind: .decision, time: Date(timeIntervalSince1970: Double(n)), decisionID: "other\(n)",
                           resource: #"Writ::Tool::"mail___send_email""#, outcome: .deny),
            ])
            if n == 2 { try await log.record([AuditEvent(kind: .inventoryToolChanged, time: Date(timeIntervalSince1970: 2), resource: tool)]) }
        }
        try await log.close()
        return store
    }

    @Test func theNewestDecisionsComeFirstSkippingOtherEvents() async throws {
        let records = try await Self.store().latestDecisions(on: Self.tool, limit: 3)
        #expect(records.map(\.event.decisionID) == ["d5", "d4", "d3"])
    }

    @Test func aLimitPastTheToolChangeSkipsIt() async throws {
        let records = try await Self.store().latestDecisions(on: Self.tool, limit: 4)
        #expect(records.map(\.event.decisionID) == ["d5", "d4", "d3", "d2"])
    }

    @Test func aHugeLimitReadsEveryDecisionOnce() async throws {
        let records = try await Self.store().latestDecisions(on: Self.tool, limit: Int.max)
        #expect(records.map(\.event.decisionID) == ["d5", "d4", "d3", "d2", "d1"])
    }

    @Test func aLimitOfZeroOrBelowReadsNothing() async throws {
        let store = try await Self.store()
        #expect(try await store.latestDecisions(on: Self.tool, limit: 0) == [])
        #expect(try await store.latestDecisions(on: Self.tool, limit: -5) == [])
    }

    @Test func aResourceWithoutDecisionsHasNone() async throws {
        #expect(try await Self.store().latestDecisions(on: #"Writ::Tool::"nothing""#, limit: 5) == [])
    }

    @Test func aDecisionsReasonAndPoliciesComeFromItsDetails() {
        let details = JSON.object(JSONObject(uniqueMembers: [
            (key: "reasons", value: .array([.string("no-mail")])),
            (key: "denial", value: .object(JSONObject(uniqueMembers: [
                (key: "reason", value: .string("policy_denied")), (key: "message", value: .string("denied")),
            ]))),
        ]))
        let record = AuditRecord(
            sequence: 7,
            event: AuditEvent(kind: .decision, time: Date(timeIntervalSince1970: 1), decisionID: "d", taskID: "t", agent: "bot",
                              resource: Self.tool, action: "a", outcome: .deny, details: details),
            previousHash: [], hash: [])
        #expect(InventoryReport.Decision(record: record) == InventoryReport.Decision(
            sequence: 7, time: Date(timeIntervalSince1970: 1), agent: "bot", action: "a", outcome: .deny,
            reason: "policy_denied", policies: ["no-mail"], decisionID: "d", taskID: "t"))
    }
}
