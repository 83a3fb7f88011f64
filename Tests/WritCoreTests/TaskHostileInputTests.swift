import Cedar
import Foundation
import Testing
import WritCore

/// Bad input to the task service: a typed error naming the input and where, and
/// nothing stored or held.
@Suite struct TaskHostileInputTests {
    let clock = TestClock()

    /// The error opening `opening` throws, checking that nothing was stored or held.
    private func refusal(_ opening: TaskOpening, configuration: TaskService.Configuration = .init()) async throws -> WritError? {
        let tasks = try await TaskFixtures.service(clock: clock, configuration: configuration)
        let error = await #expect(throws: WritError.self) { try await tasks.open(opening) }
        #expect(try await tasks.tasks(matching: TaskFilter(now: clock.now())) == [])
        #expect(tasks.heldCount == 0)
        return error
    }

    @Test func anOversizePurposeIsTooLarge() async throws {
        var opening = TaskFixtures.opening()
        opening.purpose = String(repeating: "p", count: 4097)
        let error = try await refusal(opening)
        #expect(error?.code == .tooLarge)
        #expect(error?.message == "`purpose` is 4097 bytes; at most 4096 are accepted")
    }

    @Test func aPurposeWithABidiOverrideIsRefusedButNewlinesAreFine() async throws {
        var opening = TaskFixtures.opening()
        opening.purpose = "refund\u{202E}all"
        let error = try await refusal(opening)
        #expect(error?.code == .invalidRequest)
        #expect(error?.message == "`purpose` contains U+202E (a bidirectional control); it may not contain control, bidirectional or zero-width characters")
        opening.purpose = "line one\n\tline two"
        let tasks = try await TaskFixtures.service(clock: clock)
        #expect(try await tasks.open(opening).record.purpose == "line one\n\tline two")
    }

    @Test func anOversizeMandateIsTooLarge() async throws {
        let big = TaskFixtures.mandate(String(repeating: "// padding\n", count: 30_000))
        #expect(try await refusal(TaskFixtures.opening(mandate: big))?.message
            == "`mandate` is 330000 bytes; at most 262144 are accepted")
        let many = (0..<17).map { SourceFile(name: "m\($0).cedar", text: "") }
        #expect(try await refusal(TaskFixtures.opening(mandate: many))?.message
            == "`mandate` has 17 files; at most 16 are accepted")
    }

    @Test func aMandateThatDoesNotParseIsPlacedByLineAndColumn() async throws {
        let bad = TaskFixtures.mandate("permit (principal, action, resource);\npermit (principal, action resource);\n", name: "ticket.cedar")
        let error = try await refusal(TaskFixtures.opening(mandate: bad))
        #expect(error?.code == .policyParseError)
        #expect(error?.details.first?.location == WritError.Location(file: "ticket.cedar", line: 2, column: 27))
        #expect(error?.message.hasPrefix("ticket.cedar:2:27: ") == true)
    }

    @Test func aMandateThatDoesNotValidateAgainstTheSchemaIsPlaced() async throws {
        let bad = TaskFixtures.mandate("""
            permit (principal, action == Writ::Action::"mail___send_email", resource)
            when { context.input.recipient == "x" };
            """)
        let error = try await refusal(TaskFixtures.opening(mandate: bad))
        #expect(error?.code == .policyValidationError)
        #expect(error?.details.count == 1)
        #expect(error?.details.first?.location?.file == "mandate.cedar")
        #expect(error?.details.first?.location?.line == 2)
    }

    @Test func idsWithControlBidiOrZeroWidthCharactersAreRefused() async throws {
        var opening = TaskFixtures.opening(agent: "bot\u{0}")
        #expect(try await refusal(opening)?.message
            == "`agent` contains U+0000 (a control character); identifiers may not contain control, bidirectional or zero-width characters")
        opening = TaskFixtures.opening()
        opening.onBehalfOf = "\u{202E}alice"
        #expect(try await refusal(opening)?.code == .invalidIdentifier)
        opening = TaskFixtures.opening(labels: ["pi\u{200B}i"])
        #expect(try await refusal(opening)?.code == .invalidIdentifier)
        opening = TaskFixtures.opening()
        opening.openedBy = "ops\n"
        #expect(try await refusal(opening)?.code == .invalidIdentifier)
        opening = TaskFixtures.opening(mandate: [SourceFile(name: "a\u{7}.cedar", text: "")])
        #expect(try await refusal(opening)?.message.hasPrefix("`mandate[0].name` contains U+0007") == true)
    }

    @Test func emptyAndOversizeIdsAreRefused() async throws {
        #expect(try await refusal(TaskFixtures.opening(agent: ""))?.message == "`agent` is empty")
        #expect(try await refusal(TaskFixtures.opening(agent: String(repeating: "a", count: 257)))?.message
            == "`agent` is 257 bytes; at most 256 are accepted")
    }

    @Test func aLifetimeMustBeAtLeastASecondAndAtMostTheMaximum() async throws {
        for ttl: Duration in [.zero, .seconds(-5), .milliseconds(999)] {
            let error = try await refusal(TaskFixtures.opening(ttl: ttl))
            #expect(error?.code == .invalidRequest)
            #expect(error?.message == "`ttl` is \(ttl); a task must live at least one second")
        }
        for ttl: Duration in [.seconds(12 * 3600 + 1), .seconds(Int64.max)] {
            let error = try await refusal(TaskFixtures.opening(ttl: ttl))
            #expect(error?.message == "`ttl` is \(ttl); at most 43200.0 seconds is accepted")
        }
    }

    @Test func negativeOrOddBudgetsAreRefused() async throws {
        #expect(try await refusal(TaskFixtures.opening(budgets: TaskBudgets(maxDecisions: -1)))?.message
            == "`budgets.maxDecisions` is -1; limits may not be negative")
        #expect(try await refusal(TaskFixtures.opening(budgets: TaskBudgets(maxCalls: ["x": -2])))?.code == .invalidNumber)
        let negative = TaskBudgets(spend: ["pay": SpendCeiling(argument: "amount", ceiling: -1)])
        #expect(try await refusal(TaskFixtures.opening(budgets: negative))?.code == .invalidNumber)
        let badArgument = TaskBudgets(spend: ["pay": SpendCeiling(argument: "", ceiling: 1)])
        #expect(try await refusal(TaskFixtures.opening(budgets: badArgument))?.message == "`budgets.spend[pay].argument` is empty")
        let many = TaskBudgets(maxCalls: Dictionary(uniqueKeysWithValues: (0..<257).map { ("tool\($0)", 1) }))
        #expect(try await refusal(TaskFixtures.opening(budgets: many))?.code == .tooLarge)
    }

    @Test func openingWithoutAPolicySetIsNotReady() async throws {
        let tasks = TaskService(decisions: DecisionService(store: MemoryStore()), now: clock.now)
        let error = await #expect(throws: WritError.self) { try await tasks.open(TaskFixtures.opening()) }
        #expect(error?.code == .notReady)
        #expect(await tasks.decide(taskID: "t_x", request: TaskFixtures.search()).denial?.reason == .notReady)
    }

    @Test func aMinterThatFailsStoresNothing() async throws {
        struct NoSigningKey: Error {}
        let tasks = TaskService(
            decisions: try await TaskFixtures.decisions(), now: clock.now, mint: { _ in throw NoSigningKey() })
        let error = await #expect(throws: WritError.self) { try await tasks.open(TaskFixtures.opening()) }
        #expect(error?.message == "the credential for the task could not be minted: NoSigningKey()")
        #expect(try await tasks.tasks(matching: TaskFilter(now: clock.now())) == [])
    }

    @Test func delegatingFromAClosedOrUnknownTaskIsRefused() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let parent = try await tasks.open(TaskFixtures.opening()).record
        _ = try await tasks.close(parent.id, closedBy: "key ops")
        let delegation = TaskDelegation(agent: "h", purpose: "p", mandate: [])
        let closed = await #expect(throws: WritError.self) { try await tasks.delegate(from: parent.id, delegation) }
        #expect(closed?.code == .conflict)
        #expect(closed?.message == "cannot delegate from task `\(parent.id)`: task `\(parent.id)` is closed")
        let unknown = await #expect(throws: WritError.self) { try await tasks.delegate(from: "t_nope", delegation) }
        #expect(unknown?.code == .notFound)
        let control = await #expect(throws: WritError.self) { try await tasks.delegate(from: "t_\u{1B}[2J", delegation) }
        #expect(control?.code == .invalidIdentifier)
        #expect(try await tasks.tasks(matching: TaskFilter(now: clock.now())).count == 1)
    }

    @Test func delegationStopsAtTheMaximumDepth() async throws {
        let tasks = try await TaskFixtures.service(clock: clock, configuration: TaskService.Configuration(maxDepth: 2))
        var task = try await tasks.open(TaskFixtures.opening()).record
        for _ in 0..<2 {
            task = try await tasks.delegate(from: task.id, TaskDelegation(agent: "h", purpose: "p", mandate: TaskFixtures.everything)).record
        }
        #expect(task.depth == 2)
        let error = await #expect(throws: WritError.self) {
            try await tasks.delegate(from: task.id, TaskDelegation(agent: "h", purpose: "p", mandate: []))
        }
        #expect(error?.message == "task `\(task.id)` is at depth 2; tasks may be delegated at most 2 deep")
    }

    @Test func delegationAlwaysMakesAFreshTaskBelowItsParentSoTheTreeCannotCycle() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        var chain = [try await tasks.open(TaskFixtures.opening()).record]
        for _ in 0..<5 {
            let last = try #require(chain.last)
            chain.append(try await tasks.delegate(
                from: last.id, TaskDelegation(agent: "h", purpose: "p", mandate: TaskFixtures.everything)).record)
        }
        #expect(Set(chain.map(\.id)).count == chain.count)
        for (index, task) in chain.enumerated() {
            #expect(task.depth == index)
            #expect(task.parentID == (index == 0 ? nil : chain[index - 1].id))
        }
        // A stored task cannot be re-parented or be its own parent: the store refuses both.
        var cycle = chain[0]
        cycle.parentID = chain[5].id
        let duplicate = await #expect(throws: WritError.self) { try await tasks.store.insertTask(cycle) }
        #expect(duplicate?.code == .conflict)
        #expect(await tasks.decide(taskID: chain[5].id, request: TaskFixtures.search(by: "h")).allowed)
    }

    @Test func closingWithABadIdIsRefused() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let error = await #expect(throws: WritError.self) { try await tasks.close("t_\u{202E}x", closedBy: "ops") }
        #expect(error?.code == .invalidIdentifier)
        let actor = await #expect(throws: WritError.self) { try await tasks.close("t_x", closedBy: "") }
        #expect(actor?.message == "`closedBy` is empty")
    }

    @Test func anOversizeOrForgedCredentialIdentifiesNoTask() async throws {
        let tasks = try await TaskFixtures.service(clock: clock)
        let task = try await TaskFixtures.service(clock: clock).open(TaskFixtures.opening())
        let credential = try #require(task.credential)
        #expect(try tasks.identify(credential: credential).get() == TaskCredentialIdentity(taskID: task.record.id, agent: "support-bot"))
        let forged = credential.dropLast() + (credential.last == "0" ? "1" : "0")
        guard case .failure(let denial) = tasks.identify(credential: String(forged)) else {
            Issue.record("a forged credential verified")
            return
        }
        #expect(denial == TaskDenial(.noTask, "the task credential is not valid: the credential's MAC does not match"))
        guard case .failure(let large) = tasks.identify(credential: String(repeating: "a", count: 8193)) else {
            Issue.record("an oversize credential verified")
            return
        }
        #expect(large.message == "the task credential is 8193 bytes; at most 8192 are accepted")
    }
}
