import Cedar
import Crypto
import Foundation
import Synchronization
import Testing
import WritCore

/// A support desk: tools to search docs, send email and issue refunds, as actions in
/// `Writ::Action::"call"` of the base schema, and the organisation's policies.
enum TaskFixtures {
    static let tools = """
          action "docs___search" in [call] appliesTo {
            principal: [Agent], resource: [Tool],
            context: { task: TaskContext, system: SystemContext, input: { query: String } }
          };
          action "mail___send_email" in [call] appliesTo {
            principal: [Agent], resource: [Tool],
            context: { task: TaskContext, system: SystemContext, input: { to: String } }
          };
          action "payments___refund" in [call] appliesTo {
            principal: [Agent], resource: [Tool],
            context: { task: TaskContext, system: SystemContext, input: { amount: Long } }
          };
        """

    static let schema = BaseSchema.extended(with: tools, name: "support.cedarschema")

    /// Agents may call tools, but never refund more than 1,000.
    static let policies = """
        @id("agents-call-tools")
        permit (principal is Writ::Agent, action in Writ::Action::"call", resource is Writ::Tool);
        @id("no-big-refunds")
        forbid (principal, action == Writ::Action::"payments___refund", resource) when { context.input.amount > 1000 };
        """

    /// A mandate that permits every tool.
    static let everything = mandate("""
        permit (principal, action in Writ::Action::"call", resource);
        """)

    static func mandate(_ text: String, name: String = "mandate.cedar") -> [SourceFile] {
        [SourceFile(name: name, text: text)]
    }

    /// The moment every test clock starts at (a whole second).
    static let start = Date(timeIntervalSince1970: 1_750_000_000)

    /// AuthZEN `agent`, `tool` and `user` are the base schema's types; actions are
    /// `Writ::Action`s.
    static let mapping = AuthZENMapping(
        namespace: "Writ", entityTypes: ["agent": "Writ::Agent", "tool": "Writ::Tool", "user": "Writ::User"])

    /// The three tools, as entities.
    static let toolEntities = "[" + ["docs___search", "mail___send_email", "payments___refund"].map { id in
        #"{"uid": {"type": "Writ::Tool", "id": "\#(id)"}, "attrs": {"name": "\#(id)", "owner": {"__entity": {"type": "Writ::User", "id": "ops"}}, "labels": [], "egress": false}, "parents": []}"#
    }.joined(separator: ", ") + "]"

    /// A decision service over the support desk's policies and schema (or `policies`
    /// without one).
    static func decisions(
        store: MemoryStore = MemoryStore(), policies: String = policies, schema: SchemaSource? = schema,
        entities: String = "[]"
    ) async throws -> DecisionService {
        let service = DecisionService(store: store, configuration: DecisionService.Configuration(authzen: mapping))
        let loaded = try await service.bootstrap(
            PolicySetDraft(files: [SourceFile(name: "org.cedar", text: policies)], schema: schema, author: "test"),
            entities: Array(registering(entities).utf8))
        #expect(loaded)
        return service
    }

    /// The agents tests act as: registered, as the inventory requires
    /// (docs/INVENTORY.md), by `decisions`.
    static let agents = ["support-bot", "refund-helper", "helper", "search-bot", "sub-bot", "refund-bot", "other-bot", "bot", "h", "a", "b"]

    /// `entities` (an entities document) with every test agent and the desk's three
    /// tools added, unless it holds an entity of that uid already.
    static func registering(_ entities: String) throws -> String {
        let given = try #require(try JSONSerialization.jsonObject(with: Data(entities.utf8)) as? [[String: Any]])
        let uids = Set(given.compactMap { entity -> String? in
            guard let uid = entity["uid"] as? [String: Any], let type = uid["type"] as? String, let id = uid["id"] as? String else {
                return nil
            }
            return type + "::" + id
        })
        let owner = #"{"__entity": {"type": "Writ::User", "id": "ops"}}"#
        var added = agents.filter { !uids.contains("Writ::Agent::" + $0) }.map { id in
            #"{"uid": {"type": "Writ::Agent", "id": "\#(id)"}, "attrs": {"owner": \#(owner)}, "parents": []}"#
        }
        added += ["docs___search", "mail___send_email", "payments___refund"].filter { !uids.contains("Writ::Tool::" + $0) }.map { id in
            #"{"uid": {"type": "Writ::Tool", "id": "\#(id)"}, "attrs": {"name": "\#(id)", "owner": \#(owner), "labels": [], "egress": false}, "parents": []}"#
        }
        let trimmed = entities.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !added.isEmpty else { return entities }
        let inner = String(trimmed.dropFirst().dropLast()).trimmingCharacters(in: .whitespacesAndNewlines)
        return "[" + (inner.isEmpty ? [] : [inner]).joined() + (inner.isEmpty ? "" : ", ") + added.joined(separator: ", ") + "]"
    }

    /// A task service over the support desk, minting and verifying `TestCredentials`.
    static func service(
        clock: TestClock = TestClock(), configuration: TaskService.Configuration = TaskService.Configuration(),
        decisions: DecisionService? = nil, sign: TaskService.Signer? = nil
    ) async throws -> TaskService {
        var service = decisions
        if service == nil { service = try await Self.decisions() }
        return TaskService(
            decisions: try #require(service), configuration: configuration, now: clock.now,
            mint: TestCredentials.mint, verify: TestCredentials.verify, sign: sign)
    }

    /// Opening a task for `agent` acting for alice.
    static func opening(
        agent: String = "support-bot", mandate: [SourceFile] = everything, ttl: Duration = .seconds(3600),
        budgets: TaskBudgets = TaskBudgets(), labels: Set<String> = []
    ) -> TaskOpening {
        TaskOpening(
            agent: agent, onBehalfOf: "alice", purpose: "answer ticket 42", mandate: mandate, ttl: ttl,
            budgets: budgets, labels: labels, openedBy: "key ops")
    }

    /// A call of `tool` by `agent` with `input` as its arguments.
    static func call(_ tool: String, by agent: String = "support-bot", input: [(String, Value)]) -> Request {
        Request(
            principal: EntityUID(type: BaseSchema.agentType, id: agent),
            action: EntityUID(type: EntityType("Writ::Action"), id: tool),
            resource: EntityUID(type: EntityType("Writ::Tool"), id: tool),
            context: Record([("input", .record(Record(input)))]))
    }

    static func search(by agent: String = "support-bot") -> Request {
        call("docs___search", by: agent, input: [("query", .string("refund policy"))])
    }

    static func email(_ to: String, by agent: String = "support-bot") -> Request {
        call("mail___send_email", by: agent, input: [("to", .string(to))])
    }

    static func refund(_ amount: Int64, by agent: String = "support-bot") -> Request {
        call("payments___refund", by: agent, input: [("amount", .long(amount))])
    }
}

/// A clock tests move by hand.
final class TestClock: Sendable {
    private let time: Mutex<Date>
    init(_ start: Date = TaskFixtures.start) { time = Mutex(start) }

    var now: @Sendable () -> Date { { [self] in time.withLock { $0 } } }

    func advance(_ seconds: TimeInterval) {
        time.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

/// Task credentials for tests: `<task id>.<agent, base64>.<HMAC-SHA256>` under a key
/// made for the test run. Verification recomputes the MAC, so an altered credential
/// is refused — a small real credential format, standing in for the signed JWTs
/// the key ring issues.
enum TestCredentials {
    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    static let key = SymmetricKey(size: .bits256)

    static func mint(_ task: TaskRecord) -> String {
        let body = task.id + "." + Data(task.agent.utf8).base64EncodedString()
        return body + "." + mac(body)
    }

    static func verify(_ token: String) throws -> TaskCredentialIdentity {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, mac(parts[0] + "." + parts[1]) == parts[2],
            let agent = Data(base64Encoded: parts[1]).flatMap({ String(data: $0, encoding: .utf8) })
        else { throw Invalid(description: "the credential's MAC does not match") }
        return TaskCredentialIdentity(taskID: parts[0], agent: agent)
    }

    private static func mac(_ text: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key).map { String(format: "%02x", $0) }.joined()
    }
}
