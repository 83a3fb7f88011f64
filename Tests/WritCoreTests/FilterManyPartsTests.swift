import Foundation
import Testing
@testable import WritCore

/// A filter with more candidates than the task service decides under one hold of its
/// lock (`TaskService.batchPart`): the parts after the first reuse the policies the
/// first narrowed, and where nothing reads the counters between allows (no policy
/// reads the task, no budget) the allows are counted and charged together. Every
/// candidate must still be decided, and the task charged, as one evaluation per
/// candidate in order would.
@Suite struct FilterManyPartsTests {
    static let count = 700

    /// `count` documents: one in seven in `hr` (which teaches `pii`), one in fifty
    /// `secret` (denied), and documents 300 and 550 labelled `a` and `b`: the task's
    /// labels grow in the first, second and third part.
    static func entities() -> (json: String, documents: [String]) {
        var random = SeededRandom(seed: 1)
        var (json, _) = FilterBatchTests.entities(&random)
        json.removeLast()
        var documents: [String] = []
        for index in 0..<count {
            let id = "many-\(index)"
            let dataset = index % 7 == 0 ? "hr" : "kb"
            let labels = index % 50 == 13 ? #"["secret"]"# : index == 300 ? #"["a"]"# : index == 550 ? #"["b"]"# : "[]"
            json += #", {"uid": {"type": "Writ::Document", "id": "\#(id)"}, "attrs": {"uri": "files://\#(id)", "dataset": {"__entity": {"type": "Writ::Dataset", "id": "\#(dataset)"}}, "labels": \#(labels)}, "parents": [{"type": "Writ::Dataset", "id": "\#(dataset)"}]}"#
            documents.append(id)
        }
        return (json + "]", documents)
    }

    static func filter(delegated: Bool) async throws -> (
        got: [String: String], expected: [String: String], decisions: [Bool], task: TaskRecord, live: TaskRecord,
        sameUse: Bool
    ) {
        let (decisions, tasks, documents) = try await FilterBatchTests.services(
            entities: Self.entities(), policies: FilterIndependentBatchTests.policies)
        let candidates = documents.map { #"{"type": "document", "id": "\#($0)"}"# }
        let compared = try await FilterBatchTests.filterBesideOneByOne(
            candidates, decisions: decisions, tasks: tasks, budgets: TaskBudgets(), labels: [], delegated: delegated,
            mandate: FilterBatchTests.mandate, parentMandate: FilterIndependentBatchTests.parentMandate)
        return (
            compared.got, compared.expectedByKey, compared.filtered.decisions,
            try #require(try await tasks.task(id: compared.batched.id)),
            try tasks.liveTask(credential: compared.batched.credential).get(),
            try await FilterBatchTests.sameUse(tasks, compared.batched.id, compared.single.id)
        )
    }

    @Test(arguments: [false, true])
    func aFilterOfManyPartsDecidesEachCandidateAsItsOwnEvaluationDoes(delegated: Bool) async throws {
        let outcome = try await Self.filter(delegated: delegated)
        #expect(outcome.got == outcome.expected)
    }

    @Test(arguments: [false, true])
    func aFilterOfManyPartsChargesItsTaskOnceForEachAllow(delegated: Bool) async throws {
        let outcome = try await Self.filter(delegated: delegated)
        // Fourteen of the 700 are secret.
        #expect(outcome.decisions.filter { $0 }.count == 686)
        #expect(outcome.task.counters.decisions == 686)
        #expect(outcome.task.counters.actions == ["retrieve": 686])
        #expect(outcome.task.labels == ["a", "b", "pii"])
        #expect(outcome.sameUse)
        // What the task service holds, which the next decision's budgets and policies
        // see, is what was stored.
        #expect(outcome.live.counters == outcome.task.counters)
        #expect(outcome.live.labels == outcome.task.labels)
    }
}
