import Cedar
import Foundation
import Testing
import WritCore

/// examples/agent-demo analysed, and the JSON and HTML forms of reports.
@Suite struct ReachReportTests {
    typealias F = ReachFixtures

    static func agentDemo() async throws -> ReachReport {
        let engine = try await TestService.example("agent-demo").engine()
        return try ReachAnalyzer(engine: engine).analyze(ReachUniverse(engine: engine))
    }

    static func tool(_ id: String) -> (EntityUID, EntityUID) {
        (EntityUID("Writ::Tool", id), EntityUID("Writ::Action", id))
    }

    @Test func theAgentDemoPairsItsTwoAgentsWithItsFourTools() async throws {
        let report = try await Self.agentDemo()
        #expect(report.triples.count == 8)
        #expect(report.counts == [.never: 0, .insideTaskOnly: 0, .conditional: 4, .always: 4])
    }

    @Test func inTheAgentDemoSupportBotAlwaysReachesTheDocsSearch() async throws {
        let (resource, action) = Self.tool("docs___search")
        let triple = try #require(try await Self.agentDemo().triple(EntityUID("Writ::Agent", "support-bot"), resource, action))
        #expect(triple.verdict == .always)
        #expect(triple.permits == ["support-agents-call-tools"])
        #expect(triple.forbids == [])
    }

    @Test func inTheAgentDemoMailIsConditionalOnTheRecipient() async throws {
        let (resource, action) = Self.tool("mail___send_email")
        let triple = try #require(try await Self.agentDemo().triple(EntityUID("Writ::Agent", "support-bot"), resource, action))
        #expect(triple.verdict == .conditional)
        #expect(triple.permits == ["support-agents-call-tools"])
        #expect(triple.forbids == ["mail-only-to-customers"])
        #expect(triple.conditions == [
            ReachCondition(
                policy: "mail-only-to-customers", effect: .forbid,
                text: #"when { !(context.input.to like "*@customer.example") && !(context.input.to like "*@example.com") }"#)
        ])
    }

    @Test func inTheAgentDemoRefundsAreConditionalOnTheAmount() async throws {
        let (resource, action) = Self.tool("payments___refund")
        let triple = try #require(try await Self.agentDemo().triple(EntityUID("Writ::Agent", "refund-helper"), resource, action))
        #expect(triple.verdict == .conditional)
        #expect(triple.conditions == [
            ReachCondition(policy: "no-big-refunds", effect: .forbid, text: "when { context.input.amount > 1000 }")
        ])
    }

    @Test func theAgentDemoHasStandingAccessAndNoOtherFinding() async throws {
        let report = try await Self.agentDemo()
        #expect(report.findings.map(\.kind) == [.standingAccess])
        #expect(report.findings.first?.policies == ["support-agents-call-tools"])
        #expect(report.findings.first?.resources.count == 4)
    }

    @Test func theJSONStartsWithItsFormatAndSummary() async throws {
        let json = try JSON.parse(try await Self.agentDemo().json())
        #expect(json["format"] == .string("writ-reach/1"))
        #expect(json["summary"] == (try JSON.literal("""
            {"agents": 2, "resources": 4, "actions": 7, "policies": 3, "triples": 8,
             "verdicts": {"never": 0, "inside_task_only": 0, "conditional": 4, "always": 4}, "findings": 1}
            """)))
    }

    @Test func theJSONGivesEachTripleItsEntitiesVerdictPoliciesAndConditions() async throws {
        let json = try JSON.parse(try await Self.agentDemo().json(pretty: false))
        guard case .array(let triples)? = json["triples"] else { Issue.record("no triples"); return }
        #expect(triples[2].encoded() == #"{"agent":"Writ::Agent::\"refund-helper\"","resource":"Writ::Tool::\"payments___refund\"","action":"Writ::Action::\"payments___refund\"","checkpoint":"call","verdict":"conditional","permits":["support-agents-call-tools"],"forbids":["no-big-refunds"],"conditions":[{"policy":"no-big-refunds","effect":"forbid","condition":"when { context.input.amount > 1000 }"}]}"#)
    }

    @Test func theHTMLEscapesPolicyIdsAndEntityIds() async throws {
        let entities = F.entities.replacingOccurrences(
            of: #""id": "chat""#, with: #""id": "<img src=x onerror=alert(1)>""#)
        let engine = try await TestService.make(policies: """
            @id("<script>alert(\\"x\\")</script>") permit (principal, action, resource);
            """, schema: F.schema, entities: entities).engine()
        let html = try ReachAnalyzer(engine: engine).analyze(ReachUniverse(engine: engine)).html
        #expect(!html.contains("<img"))
        #expect(html.contains("Destination::&quot;&lt;img src=x onerror=alert(1)&gt;&quot;"))
        #expect(!html.contains("<script>alert"))
        #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"))
        #expect(html.components(separatedBy: "<script>").count == 2)
    }

    @Test func theHTMLLoadsNothingFromTheNetwork() async throws {
        let html = try await Self.agentDemo().html
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.contains("://"))
        #expect(!html.contains(" src="))
        #expect(!html.contains(" href="))
        #expect(html.contains("content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\""))
    }
}
