import Cedar
import Testing
import WritCore
import WritHTTP

/// The request bodies `writ task --server` writes read back as what was written.
@Suite struct TaskBodyTests {
    static let budgets = TaskBudgets(
        maxDecisions: 10, maxCalls: ["mail___send_email": 2, "docs___search": 5],
        spend: ["payments___refund": SpendCeiling(argument: "amount", ceiling: 500)])
    static let mandate = [
        SourceFile(name: "a.cedar", text: "permit (principal, action, resource);\n"),
        SourceFile(name: "b.cedar", text: "forbid (principal, action, resource) when { \"é\" == \"e\u{301}\" };"),
    ]

    @Test func anOpeningReadsBackAsWritten() throws {
        let opening = TaskOpening(
            agent: "support-bot", onBehalfOf: "alice", purpose: "answer\tticket 42\n", mandate: Self.mandate,
            ttl: .seconds(600), budgets: Self.budgets, labels: ["pii", "untrusted"], openedBy: "front-end")
        let read = try TaskBody.opening(try JSON.parse(TaskBody.json(opening).encoded()), openedBy: "front-end")
        #expect(read == opening)
    }

    @Test func aDelegationReadsBackAsWrittenWithAndWithoutATTL() throws {
        let delegation = TaskDelegation(
            agent: "refund-helper", purpose: "refund", mandate: Self.mandate, ttl: .seconds(60), budgets: Self.budgets,
            labels: ["pii"])
        var unbounded = delegation
        unbounded.ttl = nil
        unbounded.budgets = TaskBudgets()
        #expect(try TaskBody.delegation(try JSON.parse(TaskBody.json(delegation).encoded())) == delegation)
        #expect(try TaskBody.delegation(try JSON.parse(TaskBody.json(unbounded).encoded())) == unbounded)
    }
}
