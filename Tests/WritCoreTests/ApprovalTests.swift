import Cedar
import Foundation
import Testing
import WritCore

/// Approvals outside tasks: an `@approvable` forbid that alone denies asks; a person's
/// approval allows exactly the request it was asked for.
@Suite struct ApprovalTests {
    static let policies = """
        @id("payers-pay")
        permit (principal, action == Action::"pay", resource);

        @id("big-payments")
        @approvable("Payments over 100 need a person.")
        forbid (principal, action == Action::"pay", resource) when { context.input.amount > 100 };

        @id("never-mallory")
        forbid (principal, action, resource == Account::"mallory");
        """

    static func pay(_ amount: Int, to account: String = "bob") -> String {
        #"{"subject": {"type": "User", "id": "alice"}, "action": {"name": "pay"}, "resource": {"type": "Account", "id": "\#(account)"}, "context": {"input": {"amount": \#(amount)}}}"#
    }

    /// A service over `policies`, an approval service on its store, and the clock both use.
    struct Desk {
        let service: DecisionService
        let approvals: ApprovalService
        let clock: TestClock

        init() async throws {
            service = try await TestService.make(policies: ApprovalTests.policies)
            clock = TestClock()
            approvals = ApprovalService(store: service.store, now: clock.now)
        }

        /// `decision`, `context.reason` and the approval id of `context.evaluation_id`.
        func decide(_ body: String) async throws -> ApprovalAnswer {
            let outcome = try await service.authzen(
                .evaluation, body: Array(body.utf8), taskCredential: nil, tasks: nil, approvals: approvals)
            return try ApprovalAnswer(outcome.body)
        }
    }

    func compileError(_ text: String) -> WritError? {
        do {
            _ = try PolicySetCompiler.compile(files: [SourceFile(name: "org.cedar", text: text)], resolvedSchema: nil)
            return nil
        } catch {
            return error as? WritError
        }
    }

    @Test func approvableIsOnlyAcceptedOnAForbidAndPlacedAtItsLine() throws {
        let error = try #require(compileError("""
            permit (principal, action, resource);
            @approvable("looks fine")
            permit (principal, action, resource);
            """))
        #expect(error.code == .invalidPolicySet)
        #expect(error.message.hasPrefix("org.cedar:2:1: policy `policy1`: `@approvable` is only meaningful on a forbid"))
        #expect(error.details.first?.code == "invalid_approvable")
        #expect(error.details.first?.location == WritError.Location(file: "org.cedar", line: 2, column: 1))
    }

    @Test func approvableNeedsTextForThePerson() throws {
        let error = try #require(compileError(#"@approvable("  ") forbid (principal, action, resource);"#))
        #expect(error.message.hasSuffix("`@approvable` needs the text a person approving sees"))
    }

    @Test func aMandateCannotMarkAForbidApprovable() async throws {
        let service = try await TestService.make(policies: Self.policies)
        let tasks = TaskService(decisions: service)
        let opening = TaskOpening(
            agent: "a", onBehalfOf: "u", purpose: "p",
            mandate: [SourceFile(name: "m.cedar", text: #"@approvable("x") forbid (principal, action, resource);"#)],
            ttl: .seconds(60), openedBy: "test")
        await #expect(throws: WritError(.invalidPolicySet, "")) { try await tasks.open(opening) }
    }

    @Test func onlyApprovableForbidsDenyingAsks() async throws {
        let desk = try await Desk()
        let answer = try await desk.decide(Self.pay(500))
        #expect(answer.allowed == false)
        #expect(answer.reason == "approval_required")
        let id = try #require(answer.approval)
        let stored = try #require(try await desk.approvals.approval(id: id))
        #expect(stored.state == .pending)
        #expect(stored.principal == #"User::"alice""#)
        #expect(stored.arguments == #"{"amount":500}"#)
        #expect(stored.policies == [ApprovablePolicy(policyID: "big-payments", text: "Payments over 100 need a person.")])
        #expect(stored.taskID == nil)
    }

    @Test func aNonApprovableForbidOrNoPermitDeniesWithoutAsking() async throws {
        let desk = try await Desk()
        let mallory = try await desk.decide(Self.pay(500, to: "mallory"))
        #expect(mallory.allowed == false)
        #expect(mallory.reason == nil)
        #expect(mallory.approval == nil)
        let other = try await desk.decide(
            #"{"subject": {"type": "User", "id": "alice"}, "action": {"name": "read"}, "resource": {"type": "Account", "id": "bob"}}"#)
        #expect(other.reason == nil)
        #expect(try await desk.approvals.approvals(state: nil).isEmpty)
    }

    @Test func anApprovedRequestIsAllowedOnceAndADifferentAmountStillAsks() async throws {
        let desk = try await Desk()
        let id = try #require(try await desk.decide(Self.pay(500)).approval)
        _ = try await desk.approvals.approve(id: id, by: "key-1")
        let other = try await desk.decide(Self.pay(501))
        #expect(other.allowed == false)
        #expect(other.reason == "approval_required")
        #expect(other.approval != id)
        #expect(try await desk.decide(Self.pay(500)).allowed == true)
        let again = try await desk.decide(Self.pay(500))
        #expect(again.allowed == false)
        #expect(again.reason == "approval_required")
        #expect(try await desk.approvals.approval(id: id)?.state == .consumed)
    }

    @Test func concurrentRequestsUnderOneSingleUseApprovalAllowExactlyOne() async throws {
        let desk = try await Desk()
        let id = try #require(try await desk.decide(Self.pay(500)).approval)
        _ = try await desk.approvals.approve(id: id, by: "key-1")
        let allowed = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<20 { group.addTask { try await desk.decide(Self.pay(500)).allowed } }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(allowed == 1)
    }

    @Test func aRefusedRequestIsDeniedApprovalRefusedUntilTheApprovalExpires() async throws {
        let desk = try await Desk()
        let id = try #require(try await desk.decide(Self.pay(500)).approval)
        _ = try await desk.approvals.refuse(id: id, by: "key-1")
        let refused = try await desk.decide(Self.pay(500))
        #expect(refused.reason == "approval_refused")
        #expect(refused.approval == id)
        desk.clock.advance(901)
        let later = try await desk.decide(Self.pay(500))
        #expect(later.reason == "approval_required")
        #expect(later.approval != id)
    }

    @Test func anExpiredPendingApprovalCannotBeDecided() async throws {
        let desk = try await Desk()
        let id = try #require(try await desk.decide(Self.pay(500)).approval)
        desk.clock.advance(900)
        await #expect(throws: WritError(.conflict, "")) { try await desk.approvals.approve(id: id, by: "key-1") }
        #expect(try await desk.approvals.approval(id: id)?.state == .pending)
        #expect(try await desk.approvals.approvals(state: .pending).isEmpty)
    }

    @Test func anExpiredApprovalNoLongerAllows() async throws {
        let desk = try await Desk()
        let id = try #require(try await desk.decide(Self.pay(500)).approval)
        _ = try await desk.approvals.approve(id: id, scope: .task, ttl: .seconds(60), by: "key-1")
        #expect(try await desk.decide(Self.pay(500)).allowed == true)
        desk.clock.advance(60)
        let expired = try await desk.decide(Self.pay(500))
        #expect(expired.allowed == false)
        #expect(expired.reason == "approval_required")
    }

    @Test func aDecidedApprovalConflictsAndAnUnknownOneIsNotFound() async throws {
        let desk = try await Desk()
        let id = try #require(try await desk.decide(Self.pay(500)).approval)
        _ = try await desk.approvals.approve(id: id, by: "key-1")
        await #expect(throws: WritError(.conflict, "")) { try await desk.approvals.refuse(id: id, by: "key-2") }
        await #expect(throws: WritError(.notFound, "")) { try await desk.approvals.approve(id: "apr_unknown", by: "key-1") }
        await #expect(throws: WritError(.invalidRequest, "")) {
            try await desk.approvals.approve(id: id, ttl: .seconds(0), by: "key-1")
        }
    }

    @Test func theDigestBindsEveryPartOfTheAction() {
        let request = Request(
            principal: EntityUID("User", "alice"), action: EntityUID("Action", "pay"),
            resource: EntityUID("Account", "bob"),
            context: Record([("input", .record(Record([("amount", .long(5))])))]))
        let digest = ApprovalDigest.of(request, taskID: "t_1")
        var other = request
        other.context = Record([("input", .record(Record([("amount", .long(6))])))])
        #expect(ApprovalDigest.of(other, taskID: "t_1") != digest)
        #expect(ApprovalDigest.of(request, taskID: "t_2") != digest)
        #expect(ApprovalDigest.of(request, taskID: nil) != digest)
        other = request
        other.resource = EntityUID("Account", "carol")
        #expect(ApprovalDigest.of(other, taskID: "t_1") != digest)
        #expect(ApprovalDigest.of(request, taskID: "t_1") == digest)
        #expect(digest.count == 64)
    }
}
