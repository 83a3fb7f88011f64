import Testing
import WritCore

/// When no policy a filter's candidates meet may read `context.task` or tags, the task
/// service does not bring `context.task` up to date after each allow (only when the
/// task's labels grow). Budgets, labels and their limit still depend on the order of
/// the candidates; every candidate must be decided exactly as by its own evaluation,
/// and a set where one policy does read the task must be decided the same way too.
@Suite struct FilterIndependentBatchTests {
    /// `FilterBatchTests.policies` without those reading the task, and one that reads it
    /// about another action (narrowed out).
    static let policies = FilterBatchTests.readingDocuments + """
        @id("counters-of-another-action")
        forbid (principal, action == Writ::Action::"release", resource) when { context.task.counters.decisions > 1 };
        """

    static let parentMandate = TaskFixtures.mandate("""
        permit (principal, action == Writ::Action::"retrieve", resource) unless { resource.labels.contains("parentless") };
        """)

    /// A mandate that reads the task's counters: the candidates depend on each other again.
    static let countingMandate = TaskFixtures.mandate("""
        permit (principal, action == Writ::Action::"retrieve", resource)
        unless { resource.labels.contains("offlimits") || context.task.counters.sameTool >= 3 };
        """)

    /// A mandate that, narrowed to the agent and `retrieve`, permits any resource without
    /// conditions: it allows every candidate without being evaluated.
    static let everyDocument = TaskFixtures.mandate("""
        permit (principal, action in [Writ::Action::"retrieve", Writ::Action::"release"], resource);
        forbid (principal, action == Writ::Action::"release", resource);
        """)

    static func compare(
        seed: UInt64, mandate: [SourceFile], parentMandate: [SourceFile] = parentMandate
    ) async throws -> (allowed: Int, reasons: Set<String>) {
        try await FilterBatchTests.compareFilters(
            seed: seed, rounds: 40, policies: policies, mandate: mandate, parentMandate: parentMandate)
    }

    @Test func aMandatePermittingEveryResourceUnconditionallyDecidesEachCandidateAsItsOwnEvaluationDoes() async throws {
        let (allowed, reasons) = try await Self.compare(seed: 2030, mandate: Self.everyDocument, parentMandate: Self.everyDocument)
        #expect(allowed > 100)
        // Neither mandate denies (no `mandate_denied`): everything else still does.
        #expect(reasons == [
            "-", "policy_denied", "invalid_request", "budget_exhausted:decisions", "unregistered", "labels_refused",
        ])
    }

    @Test func candidatesNoPolicyLetsReadTheTaskAreDecidedAsTheirOwnEvaluationsAre() async throws {
        let (allowed, reasons) = try await Self.compare(seed: 2028, mandate: FilterBatchTests.mandate)
        // Budgets, label limits and approvals still show, with allows in quantity.
        #expect(allowed > 100)
        #expect(reasons == [
            "-", "policy_denied", "invalid_request", "approval_required", "mandate_denied", "budget_exhausted:decisions",
            "unregistered", "labels_refused",
        ])
    }

    @Test func aMandateReadingTheCountersMakesTheCandidatesDependOnEachOtherAsBefore() async throws {
        let (allowed, reasons) = try await Self.compare(seed: 2029, mandate: Self.countingMandate)
        #expect(allowed > 50)
        // The counters deny candidates after the third allow: only deciding in order gets that right.
        #expect(reasons.contains("mandate_denied"))
    }
}
