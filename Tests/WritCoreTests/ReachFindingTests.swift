import Cedar
import Testing
import WritCore

/// Each kind of finding, with the policies, agents and resources it names.
@Suite struct ReachFindingTests {
    typealias F = ReachFixtures

    @Test func aPermitThatReadsNoTaskIsStandingAccess() async throws {
        let report = try await F.report("""
            @id("desk-calls") permit (principal in Writ::AgentGroup::"desk", action in Writ::Action::"call", resource);
            """)
        #expect(report.findings(.standingAccess) == [
            ReachFinding(
                kind: .standingAccess,
                message: "permit `desk-calls` can allow 1 agent to reach 2 resources without a task: "
                    + "none of its conditions reads context.task",
                policies: ["desk-calls"], agents: [F.bot], resources: [F.search, F.mail])
        ])
    }

    @Test func aPermitThatReadsTheTaskIsNoStandingAccess() async throws {
        let report = try await F.report("""
            @id("in-task") permit (principal, action in Writ::Action::"call", resource) when { context.task.depth >= 0 };
            """)
        #expect(report.findings(.standingAccess) == [])
    }

    @Test func aResourceNoPermitReachesIsUnreachable() async throws {
        let report = try await F.report("""
            @id("search") permit (principal, action == Writ::Action::"docs___search", resource);
            @id("no-mail") forbid (principal, action == Writ::Action::"mail___send_email", resource);
            """)
        #expect(report.findings(.unreachableResource) == [
            ReachFinding(
                kind: .unreachableResource,
                message: #"no agent can reach Writ::Destination::"chat": no permit can apply to it"#,
                policies: [], agents: [], resources: [F.chat]),
            ReachFinding(
                kind: .unreachableResource,
                message: #"no agent can reach Writ::Tool::"mail___send_email": unconditional forbids deny it (`no-mail`)"#,
                policies: ["no-mail"], agents: [], resources: [F.mail]),
        ])
    }

    @Test func aPolicyWhoseScopeHoldsNoTripleCanNeverApply() async throws {
        let report = try await F.report("""
            @id("ghost") permit (principal == Writ::Agent::"ghost", action in Writ::Action::"call", resource);
            """)
        #expect(report.findings(.inapplicablePolicy) == [
            ReachFinding(
                kind: .inapplicablePolicy,
                message: "permit `ghost` can never apply: no agent × resource × checkpoint action of the universe is in its scope",
                policies: ["ghost"], agents: [], resources: [])
        ])
    }

    @Test func aPolicyWhoseConditionsNeverHoldCanNeverApply() async throws {
        let report = try await F.report("""
            @id("overflow") permit (principal, action in Writ::Action::"call", resource) when { 9223372036854775807 + 1 == 0 };
            @id("never-egress") forbid (principal, action in Writ::Action::"call", resource)
            when { resource.egress && !resource.egress };
            """)
        #expect(report.findings(.inapplicablePolicy).map(\.message) == [
            "forbid `never-egress` can never apply: its conditions are false or an error for all 4 triples in its scope",
            "permit `overflow` can never apply: its conditions are false or an error for all 4 triples in its scope",
        ])
    }

    @Test func aPermitAnUnconditionalForbidWhollyOverridesCanNeverApply() async throws {
        let report = try await F.report("""
            @id("rogue-calls") permit (principal == Writ::Agent::"rogue", action in Writ::Action::"call", resource);
            @id("no-rogue") forbid (principal == Writ::Agent::"rogue", action, resource);
            """)
        #expect(report.findings(.inapplicablePolicy) == [
            ReachFinding(
                kind: .inapplicablePolicy,
                message: "permit `rogue-calls` can never allow anything: unconditional forbids deny everything it could (`no-rogue`)",
                policies: ["no-rogue", "rogue-calls"], agents: [], resources: [])
        ])
    }

    @Test func aResourceWithoutAnOwnerIsFound() async throws {
        let report = try await F.report("")
        #expect(report.findings(.resourceWithoutOwner) == [
            ReachFinding(
                kind: .resourceWithoutOwner, message: #"Writ::Destination::"chat" has no owner"#, policies: [], agents: [],
                resources: [F.chat])
        ])
    }

    @Test func anAgentReachingAResourceOfAnotherOwnerIsFound() async throws {
        let report = try await F.report("""
            @id("bot-calls") permit (principal == Writ::Agent::"bot", action in Writ::Action::"call", resource)
            when { context.task.depth == 0 };
            """)
        #expect(report.findings(.crossOwnerReach) == [
            ReachFinding(
                kind: .crossOwnerReach,
                message: #"Writ::Agent::"bot", owned by Writ::User::"ann", can reach 1 resource other users own"#,
                policies: ["bot-calls"], agents: [F.bot], resources: [F.mail])
        ])
    }

    @Test func findingsComeInKindOrder() async throws {
        let report = try await F.report("""
            @id("desk-calls") permit (principal in Writ::AgentGroup::"desk", action in Writ::Action::"call", resource);
            @id("ghost") permit (principal == Writ::Agent::"ghost", action, resource);
            """)
        #expect(report.findings.map(\.kind) == [
            .standingAccess, .unreachableResource, .inapplicablePolicy, .resourceWithoutOwner, .crossOwnerReach,
        ])
    }
}
