import Cedar
import Foundation
import Testing
import WritCore

/// A filter decides its candidates together in the agent's task (one pass, the
/// request's shape validated once, `context.task` patched between candidates); an
/// AuthZEN `evaluations` batch decides the same candidates one by one. On seeded,
/// randomized candidate sets, tasks and budgets, both must give every candidate the
/// same decision, reason, message and obligations, and leave the task the same.
@Suite struct FilterBatchTests {
    /// Documents carry labels that policies read, that budgets and history make depend
    /// on the order of the candidates, and that the task learns.
    static let policies = """
        @id("read-documents")
        permit (principal is Writ::Agent, action == Writ::Action::"retrieve", resource is Writ::Document);
        @id("redact-pii")
        @redact_fields("body.ssn")
        permit (principal is Writ::Agent, action == Writ::Action::"retrieve", resource is Writ::Document)
        when { resource.labels.contains("pii") };
        @id("no-secrets")
        forbid (principal, action == Writ::Action::"retrieve", resource) when { resource.labels.contains("secret") };
        @id("restricted")
        @approvable("restricted documents need a person")
        forbid (principal, action == Writ::Action::"retrieve", resource) when { resource.labels.contains("restricted") };
        @id("no-public-after-pii")
        forbid (principal, action == Writ::Action::"retrieve", resource)
        when { context.task.labels.contains("pii") && resource.labels.contains("public") };
        @id("late-only-early")
        forbid (principal, action == Writ::Action::"retrieve", resource)
        when { resource.labels.contains("late") && context.task.counters.sameTool >= 4 };
        @id("recent-by-history")
        forbid (principal, action == Writ::Action::"retrieve", resource)
        when { resource.labels.contains("recent") && context.task.history.hasTag("retrieve")
               && context.task.history.getTag("retrieve") >= 6 };
        """

    static let mandate = TaskFixtures.mandate("""
        permit (principal, action == Writ::Action::"retrieve", resource) unless { resource.labels.contains("offlimits") };
        """)

    /// The parent's mandate sees the parent's counters, which its child's allows raise.
    static let parentMandate = TaskFixtures.mandate("""
        permit (principal, action == Writ::Action::"retrieve", resource)
        unless { resource.labels.contains("parentless") || context.task.counters.decisions >= 12 };
        """)

    static let labels = ["secret", "pii", "public", "restricted", "offlimits", "late", "recent", "parentless", "a", "b"]

    static let mapping = AuthZENMapping(
        namespace: "Writ",
        entityTypes: ["agent": "Writ::Agent", "document": "Writ::Document", "spreadsheet": "Writ::Spreadsheet"])

    /// 40 documents in `kb` or `hr` (`pii`), each with up to two labels.
    static func entities(_ random: inout SeededRandom) -> (json: String, documents: [String]) {
        let owner = #"{"__entity": {"type": "Writ::User", "id": "ops"}}"#
        var list = [
            #"{"uid": {"type": "Writ::Group", "id": "staff"}, "attrs": {}, "parents": []}"#,
            #"{"uid": {"type": "Writ::McpServer", "id": "files"}, "attrs": {"owner": \#(owner), "labels": []}, "parents": []}"#,
        ]
        for (dataset, labels) in [("kb", "[]"), ("hr", #"["pii"]"#)] {
            list.append(#"{"uid": {"type": "Writ::Dataset", "id": "\#(dataset)"}, "attrs": {"owner": \#(owner), "readers": {"__entity": {"type": "Writ::Group", "id": "staff"}}, "labels": \#(labels)}, "parents": [{"type": "Writ::McpServer", "id": "files"}]}"#)
        }
        var documents: [String] = []
        for index in 0..<40 {
            let id = "doc-\(index)"
            let dataset = random.next(4) == 0 ? "hr" : "kb"
            let labels = (0..<random.next(3)).map { _ in "\"\(Self.labels[random.next(Self.labels.count)])\"" }
            list.append(#"{"uid": {"type": "Writ::Document", "id": "\#(id)"}, "attrs": {"uri": "files://\#(id)", "dataset": {"__entity": {"type": "Writ::Dataset", "id": "\#(dataset)"}}, "labels": [\#(Set(labels).sorted().joined(separator: ", "))]}, "parents": [{"type": "Writ::Dataset", "id": "\#(dataset)"}]}"#)
            documents.append(id)
        }
        return ("[" + list.joined(separator: ", ") + "]", documents)
    }

    /// 1 to 30 distinct candidates (an empty `evaluations` is no batch): stored documents, documents the store lacks, and
    /// now and then one of a type the schema does not declare.
    static func candidates(_ documents: [String], _ random: inout SeededRandom) -> [String] {
        var pool = documents.map { #"{"type": "document", "id": "\#($0)"}"# }
        pool += (0..<5).map { #"{"type": "document", "id": "missing-\#($0)"}"# }
        pool += [#"{"type": "spreadsheet", "id": "q3"}"#]
        var chosen: [String] = []
        for _ in 0...random.next(30) {
            let index = random.next(pool.count)
            chosen.append(pool.remove(at: index))
        }
        return chosen
    }

    /// Opens a task for `support-bot` — delegated from a parent, in some rounds — and
    /// returns its id, its credential and the ids of it and the task above it.
    static func open(
        _ tasks: TaskService, budgets: TaskBudgets, labels: Set<String>, delegated: Bool
    ) async throws -> (id: String, credential: String, chain: [String]) {
        guard delegated else {
            let opened = try await tasks.open(TaskFixtures.opening(mandate: mandate, budgets: budgets, labels: labels))
            return (opened.record.id, try #require(opened.credential), [opened.record.id])
        }
        let parent = try await tasks.open(TaskFixtures.opening(mandate: parentMandate, labels: labels))
        let child = try await tasks.delegate(
            from: parent.record.id,
            TaskDelegation(agent: "support-bot", purpose: "read", mandate: mandate, budgets: budgets))
        return (child.record.id, try #require(child.credential), [child.record.id, parent.record.id])
    }

    /// Each candidate's `(type/id, allowed, reason, message, obligations)` in a reply,
    /// with the ids of the task and the task above it replaced by `T` and `P` in messages.
    static func outcomes(filter body: [UInt8], chain: [String]) throws -> [String: String] {
        let reply = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        var outcomes: [String: String] = [:]
        for (list, allowed) in [("allowed", true), ("denied", false)] {
            for entry in reply[list] as? [[String: Any]] ?? [] {
                let key = "\(entry["type"] ?? "")/\(entry["id"] ?? "")"
                outcomes[key] = try describe(allowed, entry, chain: chain)
            }
        }
        return outcomes
    }

    static func outcomes(evaluations body: [UInt8], candidates: [String], chain: [String]) throws -> [String: String] {
        let reply = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        let items = try #require(reply["evaluations"] as? [[String: Any]])
        try #require(items.count == candidates.count)
        var outcomes: [String: String] = [:]
        for (candidate, item) in zip(candidates, items) {
            let named = try #require(try JSONSerialization.jsonObject(with: Data(candidate.utf8)) as? [String: Any])
            var entry = item["context"] as? [String: Any] ?? [:]
            entry["obligations"] = item["obligations"] ?? entry["obligations"]
            outcomes["\(named["type"] ?? "")/\(named["id"] ?? "")"] = try describe(item["decision"] as? Bool == true, entry, chain: chain)
        }
        return outcomes
    }

    static func describe(_ allowed: Bool, _ entry: [String: Any], chain: [String]) throws -> String {
        let obligations = try entry["obligations"].map {
            String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self)
        } ?? "-"
        var message = entry["message"] as? String ?? "-"
        for (id, name) in zip(chain, ["T", "P"]) { message = message.replacingOccurrences(of: id, with: name) }
        return "\(allowed) \(entry["reason"] as? String ?? (allowed ? "-" : "policy_denied")) \(message) \(obligations)"
    }

    @Test func aFilterDecidesEveryCandidateAsTheSameEvaluationsBatchDoes() async throws {
        var random = SeededRandom(seed: 2026)
        let (json, documents) = Self.entities(&random)
        let decisions = DecisionService(store: MemoryStore(), configuration: DecisionService.Configuration(authzen: Self.mapping))
        let loaded = try await decisions.bootstrap(
            PolicySetDraft(files: [SourceFile(name: "org.cedar", text: Self.policies)], schema: TaskFixtures.schema, author: "test"),
            entities: Array(try TaskFixtures.registering(json).utf8))
        try #require(loaded)
        let tasks = try await TaskFixtures.service(
            clock: TestClock(), configuration: TaskService.Configuration(maxTaskLabels: 3), decisions: decisions)
        var allowedSeen = 0
        var reasons: Set<String> = []
        for round in 0..<60 {
            let budgets = random.next(3) == 0 ? TaskBudgets(maxDecisions: 2 + random.next(20)) : TaskBudgets()
            let labels: Set<String> = random.next(5) == 0 ? ["pii"] : []
            let delegated = random.next(3) == 0
            let candidates = Self.candidates(documents, &random)
            let batched = try await Self.open(tasks, budgets: budgets, labels: labels, delegated: delegated)
            let oneByOne = try await Self.open(tasks, budgets: budgets, labels: labels, delegated: delegated)
            let subject = #""subject": {"type": "agent", "id": "support-bot"}, "action": {"name": "retrieve"}"#
            let filtered = try await decisions.filter(
                body: Array(#"{\#(subject), "resources": [\#(candidates.joined(separator: ", "))]}"#.utf8),
                taskCredential: batched.credential, tasks: tasks)
            let items = candidates.map { #"{"resource": \#($0)}"# }.joined(separator: ", ")
            let evaluated = try await decisions.authzen(
                .evaluations, body: Array(#"{\#(subject), "evaluations": [\#(items)]}"#.utf8),
                taskCredential: oneByOne.credential, tasks: tasks)

            let expected = try Self.outcomes(evaluations: evaluated.body, candidates: candidates, chain: oneByOne.chain)
            let got = try Self.outcomes(filter: filtered.body, chain: batched.chain)
            #expect(got == expected, "round \(round)")
            #expect(filtered.decisions == evaluated.decisions, "round \(round)")
            let batchedTask = try #require(try await tasks.task(id: batched.id))
            let oneByOneTask = try #require(try await tasks.task(id: oneByOne.id))
            #expect(batchedTask.counters == oneByOneTask.counters, "round \(round)")
            #expect(batchedTask.labels == oneByOneTask.labels, "round \(round)")
            allowedSeen += filtered.decisions.filter { $0 }.count
            reasons.formUnion(got.values.map { String($0.split(separator: " ")[1]) })
        }
        // The rounds exercise every kind of outcome, allows in quantity.
        #expect(allowedSeen > 100)
        #expect(reasons == [
            "-", "policy_denied", "invalid_request", "approval_required", "mandate_denied", "budget_exhausted:decisions", "unregistered",
            "labels_refused",
        ])
    }
}

/// SplitMix64: a small generator whose sequence depends only on its seed.
struct SeededRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// A number in `0..<bound`.
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Int(z % UInt64(bound))
    }
}
