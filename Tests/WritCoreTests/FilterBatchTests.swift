import Cedar
import Foundation
import Testing
import WritCore

/// A filter decides its candidates together in the agent's task (one pass, the
/// request's shape validated once, `context.task` patched between candidates), and so
/// does an AuthZEN `evaluations` batch about one agent. On seeded, randomized candidate
/// sets, tasks and budgets, each must give every candidate the same decision, reason,
/// message, obligations and errors as one `evaluation` request per candidate, in order,
/// and leave the task the same.
@Suite struct FilterBatchTests {
    /// Documents carry labels that policies read, that budgets and history make depend
    /// on the order of the candidates, and that the task learns.
    static let policies = readingDocuments + """
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

    /// The policies about documents that read nothing of the task.
    static let readingDocuments = """
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
        _ tasks: TaskService, budgets: TaskBudgets, labels: Set<String>, delegated: Bool,
        mandate: [SourceFile] = mandate, parentMandate: [SourceFile] = parentMandate
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

    /// Each candidate's `(type/id, allowed, reason, message, obligations, errors)` in a
    /// reply, with the ids of the task and the task above it replaced by `T` and `P` in messages.
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

    /// The outcome of each item of an evaluations batch, in order.
    static func outcomes(evaluations body: [UInt8], chain: [String]) throws -> [String] {
        let reply = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        let items = try #require(reply["evaluations"] as? [[String: Any]])
        return try items.map { item in
            try describe(item["decision"] as? Bool == true, item["context"] as? [String: Any] ?? [:], chain: chain)
        }
    }

    /// The outcome of one evaluation.
    static func outcome(evaluation body: [UInt8], chain: [String]) throws -> String {
        let reply = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        return try describe(reply["decision"] as? Bool == true, reply["context"] as? [String: Any] ?? [:], chain: chain)
    }

    static func describe(_ allowed: Bool, _ entry: [String: Any], chain: [String]) throws -> String {
        func json(_ member: String) throws -> String {
            try entry[member].map {
                String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self)
            } ?? "-"
        }
        var message = entry["message"] as? String ?? "-"
        for (id, name) in zip(chain, ["T", "P"]) { message = message.replacingOccurrences(of: id, with: name) }
        let reason = entry["reason"] as? String ?? (allowed ? "-" : "policy_denied")
        return "\(allowed) \(reason) \(message) \(try json("obligations")) \(try json("errors")) \(try json("failed_guardrails"))"
    }

    /// The service on the seeded documents, and its task service.
    static func services(
        _ random: inout SeededRandom, policies: String = policies
    ) async throws -> (DecisionService, TaskService, [String]) {
        try await services(entities: Self.entities(&random), policies: policies)
    }

    /// The services on `entities` (the JSON of an entity list and the ids of its documents).
    static func services(
        entities: (json: String, documents: [String]), policies: String = policies
    ) async throws -> (DecisionService, TaskService, [String]) {
        let (json, documents) = entities
        let decisions = DecisionService(store: MemoryStore(), configuration: DecisionService.Configuration(authzen: Self.mapping))
        let loaded = try await decisions.bootstrap(
            PolicySetDraft(files: [SourceFile(name: "org.cedar", text: policies)], schema: TaskFixtures.schema, author: "test"),
            entities: Array(try TaskFixtures.registering(json).utf8))
        try #require(loaded)
        let tasks = try await TaskFixtures.service(
            clock: TestClock(), configuration: TaskService.Configuration(maxTaskLabels: 3), decisions: decisions)
        return (decisions, tasks, documents)
    }

    static let subject = #""subject": {"type": "agent", "id": "support-bot"}, "action": {"name": "retrieve"}"#

    /// Each candidate decided by its own `evaluation` request, in order, in the task
    /// `credential` names; after the first a batch with `semantic` stops after, none.
    static func oneByOne(
        _ candidates: [String], semantic: String, decisions: DecisionService, tasks: TaskService, credential: String,
        chain: [String]
    ) async throws -> [String] {
        var outcomes: [String] = []
        for candidate in candidates {
            let answer = try await decisions.authzen(
                .evaluation, body: Array(#"{\#(subject), "resource": \#(candidate)}"#.utf8), taskCredential: credential,
                tasks: tasks)
            outcomes.append(try outcome(evaluation: answer.body, chain: chain))
            let allowed = answer.decisions == [true]
            if semantic == "deny_on_first_deny" && !allowed || semantic == "permit_on_first_permit" && allowed { break }
        }
        return outcomes
    }

    /// Whether two tasks have the same counters and labels.
    static func sameUse(_ tasks: TaskService, _ one: String, _ other: String) async throws -> Bool {
        let a = try #require(try await tasks.task(id: one))
        let b = try #require(try await tasks.task(id: other))
        return a.counters == b.counters && a.labels == b.labels
    }

    /// Decides `rounds` seeded filters, and one evaluation per candidate in a twin task,
    /// expecting the same outcomes and use; returns how many candidates were allowed and
    /// the reasons seen.
    static func compareFilters(
        seed: UInt64, rounds: Int, policies: String = policies, mandate: [SourceFile] = mandate,
        parentMandate: [SourceFile] = parentMandate
    ) async throws -> (allowed: Int, reasons: Set<String>) {
        var random = SeededRandom(seed: seed)
        let (decisions, tasks, documents) = try await Self.services(&random, policies: policies)
        var allowedSeen = 0
        var reasons: Set<String> = []
        for round in 0..<rounds {
            let budgets = random.next(3) == 0 ? TaskBudgets(maxDecisions: 2 + random.next(20)) : TaskBudgets()
            let labels: Set<String> = random.next(5) == 0 ? ["pii"] : []
            let delegated = random.next(3) == 0
            let candidates = Self.candidates(documents, &random)
            let compared = try await Self.filterBesideOneByOne(
                candidates, decisions: decisions, tasks: tasks, budgets: budgets, labels: labels, delegated: delegated,
                mandate: mandate, parentMandate: parentMandate)
            #expect(compared.got == compared.expectedByKey, "round \(round)")
            #expect(compared.filtered.decisions == compared.expected.map { $0.hasPrefix("true") }, "round \(round)")
            #expect(try await Self.sameUse(tasks, compared.batched.id, compared.single.id), "round \(round)")
            allowedSeen += compared.filtered.decisions.filter { $0 }.count
            reasons.formUnion(compared.got.values.map { String($0.split(separator: " ")[1]) })
        }
        return (allowedSeen, reasons)
    }

    /// Opens two twin tasks, decides `candidates` with one filter in the first and with
    /// one evaluation each, in order, in the second. Returns the filter's answer and its
    /// outcomes by `type/id`, the evaluations' outcomes in order and by `type/id`, and
    /// the two tasks.
    static func filterBesideOneByOne(
        _ candidates: [String], decisions: DecisionService, tasks: TaskService, budgets: TaskBudgets, labels: Set<String>,
        delegated: Bool, mandate: [SourceFile], parentMandate: [SourceFile]
    ) async throws -> (
        filtered: AuthZENOutcome, got: [String: String], expected: [String], expectedByKey: [String: String],
        batched: (id: String, credential: String, chain: [String]), single: (id: String, credential: String, chain: [String])
    ) {
        let batched = try await Self.open(
            tasks, budgets: budgets, labels: labels, delegated: delegated, mandate: mandate, parentMandate: parentMandate)
        let single = try await Self.open(
            tasks, budgets: budgets, labels: labels, delegated: delegated, mandate: mandate, parentMandate: parentMandate)
        let filtered = try await decisions.filter(
            body: Array(#"{\#(Self.subject), "resources": [\#(candidates.joined(separator: ", "))]}"#.utf8),
            taskCredential: batched.credential, tasks: tasks)
        let expected = try await Self.oneByOne(
            candidates, semantic: "execute_all", decisions: decisions, tasks: tasks, credential: single.credential,
            chain: single.chain)
        let got = try Self.outcomes(filter: filtered.body, chain: batched.chain)
        let keys = try candidates.map { candidate in
            let named = try #require(try JSONSerialization.jsonObject(with: Data(candidate.utf8)) as? [String: Any])
            return "\(named["type"] ?? "")/\(named["id"] ?? "")"
        }
        return (filtered, got, expected, Dictionary(uniqueKeysWithValues: zip(keys, expected)), batched, single)
    }

    @Test func aFilterDecidesEveryCandidateAsItsOwnEvaluationDoes() async throws {
        let (allowedSeen, reasons) = try await Self.compareFilters(seed: 2026, rounds: 60)
        // The rounds exercise every kind of outcome, allows in quantity.
        #expect(allowedSeen > 100)
        #expect(reasons == [
            "-", "policy_denied", "invalid_request", "approval_required", "mandate_denied", "budget_exhausted:decisions", "unregistered",
            "labels_refused",
        ])
    }

    @Test(arguments: ["execute_all", "deny_on_first_deny", "permit_on_first_permit"])
    func anEvaluationsBatchAboutOneAgentDecidesEachItemAsItsOwnEvaluationDoes(semantic: String) async throws {
        var random = SeededRandom(seed: 2027)
        let (decisions, tasks, documents) = try await Self.services(&random)
        var stoppedEarly = 0
        for round in 0..<60 {
            let budgets = random.next(3) == 0 ? TaskBudgets(maxDecisions: 2 + random.next(20)) : TaskBudgets()
            let labels: Set<String> = random.next(5) == 0 ? ["pii"] : []
            let delegated = random.next(3) == 0
            var candidates = Self.candidates(documents, &random)
            // A batch may name an item twice.
            if random.next(3) == 0 { candidates.insert(candidates[random.next(candidates.count)], at: random.next(candidates.count)) }
            let batched = try await Self.open(tasks, budgets: budgets, labels: labels, delegated: delegated)
            let single = try await Self.open(tasks, budgets: budgets, labels: labels, delegated: delegated)
            let items = candidates.map { #"{"resource": \#($0)}"# }.joined(separator: ", ")
            let evaluated = try await decisions.authzen(
                .evaluations,
                body: Array(#"{\#(Self.subject), "options": {"evaluations_semantic": "\#(semantic)"}, "evaluations": [\#(items)]}"#.utf8),
                taskCredential: batched.credential, tasks: tasks)
            let expected = try await Self.oneByOne(
                candidates, semantic: semantic, decisions: decisions, tasks: tasks, credential: single.credential,
                chain: single.chain)

            #expect(try Self.outcomes(evaluations: evaluated.body, chain: batched.chain) == expected, "round \(round)")
            #expect(evaluated.decisions == expected.map { $0.hasPrefix("true") }, "round \(round)")
            #expect(try await Self.sameUse(tasks, batched.id, single.id), "round \(round)")
            if expected.count < candidates.count { stoppedEarly += 1 }
        }
        // The semantics that stop did stop, in many rounds.
        #expect(semantic == "execute_all" ? stoppedEarly == 0 : stoppedEarly > 10)
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
