import Cedar
import Testing
import WritCore

/// The verdict on each agent × resource × action, on small policy sets checked by hand.
@Suite struct ReachVerdictTests {
    typealias F = ReachFixtures

    @Test func theUniversePairsEachToolWithItsOwnActionAndEachDestinationWithRelease() async throws {
        let report = try await F.report("")
        #expect(report.triples.map { "\($0.agent.id) \($0.resource.id) \($0.action.id)" } == [
            "bot chat release", "bot docs___search docs___search", "bot mail___send_email mail___send_email",
            "rogue chat release", "rogue docs___search docs___search", "rogue mail___send_email mail___send_email",
        ])
    }

    @Test func anEmptyPolicySetMakesEveryTripleNever() async throws {
        let report = try await F.report("")
        #expect(report.counts == [.never: 6, .insideTaskOnly: 0, .conditional: 0, .always: 0])
    }

    @Test func anUnconditionalPermitInScopeIsAlways() async throws {
        let report = try await F.report("""
            @id("desk-calls") permit (principal in Writ::AgentGroup::"desk", action in Writ::Action::"call", resource);
            """)
        #expect(report.triple(F.bot, F.mail, F.mailAction)?.verdict == .always)
        #expect(report.triple(F.bot, F.mail, F.mailAction)?.permits == ["desk-calls"])
        #expect(report.verdict(F.rogue, F.mail, F.mailAction) == .never)
        #expect(report.verdict(F.bot, F.chat, F.release) == .never)
    }

    @Test func aPermitThatReadsTheTaskIsInsideATaskOnly() async throws {
        let report = try await F.report("""
            @id("top-level") permit (principal, action == Writ::Action::"docs___search", resource)
            when { context.task.depth == 0 };
            """)
        let triple = try #require(report.triple(F.bot, F.search, F.searchAction))
        #expect(triple.verdict == .insideTaskOnly)
        #expect(triple.conditions == [ReachCondition(policy: "top-level", effect: .permit, text: "when { context.task.depth == 0 }")])
    }

    @Test func aPermitOnTheContextIsConditionalAndNamesItsCondition() async throws {
        let report = try await F.report("""
            @id("mail-ours") permit (principal, action == Writ::Action::"mail___send_email", resource)
            when { context.input.to like "*@example.com" };
            """)
        let triple = try #require(report.triple(F.rogue, F.mail, F.mailAction))
        #expect(triple.verdict == .conditional)
        #expect(triple.permits == ["mail-ours"])
        #expect(triple.conditions == [
            ReachCondition(policy: "mail-ours", effect: .permit, text: #"when { context.input.to like "*@example.com" }"#)
        ])
    }

    @Test func aConditionOnEntityAttributesIsDecidedForEachResource() async throws {
        let report = try await F.report("""
            @id("egress") permit (principal, action in Writ::Action::"call", resource) when { resource.egress };
            """)
        #expect(report.verdict(F.bot, F.search, F.searchAction) == .never)
        #expect(report.verdict(F.bot, F.mail, F.mailAction) == .always)
    }

    @Test func aConditionOnTheHierarchyIsDecidedForEachAgent() async throws {
        let report = try await F.report("""
            @id("desk-only") permit (principal, action in Writ::Action::"call", resource)
            when { principal in Writ::AgentGroup::"desk" && context.input has to };
            """)
        #expect(report.verdict(F.bot, F.mail, F.mailAction) == .conditional)
        #expect(report.verdict(F.rogue, F.mail, F.mailAction) == .never)
    }

    @Test func anUnconditionalForbidMakesTheTripleNeverAndIsNamed() async throws {
        let report = try await F.report("""
            @id("calls") permit (principal, action in Writ::Action::"call", resource);
            @id("no-rogue") forbid (principal == Writ::Agent::"rogue", action, resource);
            """)
        let triple = try #require(report.triple(F.rogue, F.search, F.searchAction))
        #expect(triple.verdict == .never)
        #expect(triple.permits == [])
        #expect(triple.forbids == ["no-rogue"])
        #expect(report.verdict(F.bot, F.search, F.searchAction) == .always)
    }

    @Test func aConditionalForbidLeavesTheTripleConditional() async throws {
        let report = try await F.report("""
            @id("calls") permit (principal, action in Writ::Action::"call", resource);
            @id("no-evil") forbid (principal, action == Writ::Action::"mail___send_email", resource)
            when { context.input.to like "*@evil.test" };
            """)
        let triple = try #require(report.triple(F.bot, F.mail, F.mailAction))
        #expect(triple.verdict == .conditional)
        #expect(triple.forbids == ["no-evil"])
        #expect(triple.conditions == [
            ReachCondition(policy: "no-evil", effect: .forbid, text: #"when { context.input.to like "*@evil.test" }"#)
        ])
    }

    @Test func anApprovableForbidCountsAsConditional() async throws {
        let report = try await F.report("""
            @id("calls") permit (principal, action in Writ::Action::"call", resource);
            @id("ask-mail") @approvable("Mail leaves the company.")
            forbid (principal, action == Writ::Action::"mail___send_email", resource);
            """)
        let triple = try #require(report.triple(F.bot, F.mail, F.mailAction))
        #expect(triple.verdict == .conditional)
        #expect(triple.conditions == [
            ReachCondition(
                policy: "ask-mail", effect: .forbid,
                text: #"@approvable("Mail leaves the company."): unless a person approves"#)
        ])
    }

    @Test func aConditionThatAlwaysErrsCannotApply() async throws {
        let report = try await F.report("""
            @id("overflow") permit (principal, action in Writ::Action::"call", resource)
            when { 9223372036854775807 + 1 == 0 };
            @id("overflowing-egress") permit (principal, action in Writ::Action::"call", resource)
            when { resource.egress && 9223372036854775807 + 1 == 0 };
            """)
        #expect(report.counts[.never] == 6)
    }

    @Test func aForbidThatMayErrKeepsATripleFromAlways() async throws {
        let report = try await F.report("""
            @id("calls") permit (principal, action in Writ::Action::"call", resource);
            @id("egress-overflow") forbid (principal, action in Writ::Action::"call", resource)
            when { resource.egress && 9223372036854775807 + 1 == 0 };
            """)
        // Strict mode denies when a forbid errs: for the egress tool it always does.
        #expect(report.triple(F.bot, F.mail, F.mailAction)?.forbids == ["egress-overflow"])
        #expect(report.verdict(F.bot, F.mail, F.mailAction) == .conditional)
        #expect(report.verdict(F.bot, F.search, F.searchAction) == .always)
    }

    @Test func aUniverseLargerThanTheLimitIsRefusedBeforeAnyTriple() async throws {
        await #expect(throws: WritError(.tooLarge, "")) {
            _ = try await F.report("", limits: .init(maxTriples: 5))
        }
    }
}
