import Cedar
import Foundation
import Hummingbird
import WritCore

/// The JSON of the task routes: reading an opening or a delegation, writing a task,
/// a just-opened task with its credential, and a closure with its receipt.
///
/// An opening is `{"agent", "on_behalf_of", "purpose", "mandate", "ttl", "budgets"?,
/// "labels"?}`; a delegation the same without `on_behalf_of`, `ttl` optional. The
/// mandate is Cedar text, or an array of `{"name", "text"}` files. Times are Unix
/// seconds; `ttl` is whole seconds. `writ task` writes and reads the same shapes.
package enum TaskBody {
    static let openingKeys = ["agent", "on_behalf_of", "purpose", "mandate", "ttl", "budgets", "labels"]
    static let delegationKeys = ["agent", "purpose", "mandate", "ttl", "budgets", "labels"]

    package static func opening(_ body: JSON, openedBy: String) throws(JSONError) -> TaskOpening {
        let object = try body.asObject()
        try object.rejectUnknownKeys(allowed: openingKeys)
        return TaskOpening(
            agent: try object.decodeString("agent"), onBehalfOf: try object.decodeString("on_behalf_of"),
            purpose: try object.decodeString("purpose"), mandate: try object.decode("mandate", mandate),
            ttl: .seconds(try object.decode("ttl") { (value) throws(JSONError) in try value.asPositiveInteger() }),
            budgets: try object.decodeIfPresent("budgets", budgets) ?? TaskBudgets(),
            labels: try object.decodeIfPresent("labels", labels) ?? [], openedBy: openedBy)
    }

    package static func delegation(_ body: JSON) throws(JSONError) -> TaskDelegation {
        let object = try body.asObject()
        try object.rejectUnknownKeys(allowed: delegationKeys)
        let ttl = try object.decodeIfPresent("ttl") { (value) throws(JSONError) in try value.asPositiveInteger() }
        return TaskDelegation(
            agent: try object.decodeString("agent"), purpose: try object.decodeString("purpose"),
            mandate: try object.decode("mandate", mandate), ttl: ttl.map { .seconds($0) },
            budgets: try object.decodeIfPresent("budgets", budgets) ?? TaskBudgets(),
            labels: try object.decodeIfPresent("labels", labels) ?? [])
    }

    private static func mandate(_ value: JSON) throws(JSONError) -> [SourceFile] {
        if case .string(let text) = value { return [SourceFile(name: "mandate.cedar", text: text)] }
        return try value.decodeElements(expected: "Cedar text or an array of {name, text} files") { file throws(JSONError) in
            let object = try file.asObject()
            try object.rejectUnknownKeys(allowed: ["name", "text"])
            return SourceFile(name: try object.decodeString("name"), text: try object.decodeString("text"))
        }
    }

    /// A label report: `{"labels": [string, …]}`.
    static func labelReport(_ body: JSON) throws(JSONError) -> Set<String> {
        let object = try body.asObject()
        try object.rejectUnknownKeys(allowed: ["labels"])
        return try object.decode("labels", labels)
    }

    private static func labels(_ value: JSON) throws(JSONError) -> Set<String> {
        Set(try value.decodeElements(expected: "an array of strings") { label throws(JSONError) in try label.asString() })
    }

    private static func budgets(_ value: JSON) throws(JSONError) -> TaskBudgets {
        let object = try value.asObject()
        try object.rejectUnknownKeys(allowed: ["max_decisions", "max_calls", "spend"])
        let maxDecisions = try object.decodeIfPresent("max_decisions") { (value) throws(JSONError) in try value.asPositiveInteger() }
        let maxCalls = try object.decodeIfPresent("max_calls") { (value) throws(JSONError) in
            try value.decodeMembers { (action, count) throws(JSONError) in (action, try count.asPositiveInteger()) }
        } ?? []
        let spend = try object.decodeIfPresent("spend") { (value) throws(JSONError) in
            try value.decodeMembers { (action, ceiling) throws(JSONError) -> (String, SpendCeiling) in
                let object = try ceiling.asObject()
                try object.rejectUnknownKeys(allowed: ["argument", "ceiling"])
                let amount = try object.decode("ceiling") { (value) throws(JSONError) in try value.asPositiveInteger() }
                return (action, SpendCeiling(argument: try object.decodeString("argument"), ceiling: Int64(amount)))
            }
        } ?? []
        return TaskBudgets(
            maxDecisions: maxDecisions, maxCalls: Dictionary(maxCalls, uniquingKeysWith: { first, _ in first }),
            spend: Dictionary(spend, uniquingKeysWith: { first, _ in first }))
    }

    // MARK: - Writing

    /// A task as the routes answer it, with its state at `now`.
    package static func json(_ task: TaskRecord, now: Date) -> JSON {
        var members: [(key: String, value: JSON)] = [
            ("id", .string(task.id)), ("agent", .string(task.agent)), ("on_behalf_of", .string(task.onBehalfOf)),
            ("purpose", .string(task.purpose)), ("state", .string(task.state(at: now).rawValue)),
            ("parent_id", task.parentID.map { .string($0) } ?? .null), ("depth", .integer(task.depth)),
            ("opened_at", seconds(task.openedAt)), ("expires_at", seconds(task.expiresAt)),
            ("closed_at", task.closedAt.map(seconds) ?? .null), ("opened_by", .string(task.openedBy)),
            ("mandate", json(task.mandate)), ("labels", sorted(task.labels)),
        ]
        members.append(("budgets", json(task.budgets)))
        let counters = task.counters
        members.append(("counters", .members([
            ("decisions", .integer(counters.decisions)), ("calls", .integer(counters.calls)),
            ("actions", .members(counters.actions.sorted { $0.key < $1.key }.map { ($0.key, .integer($0.value)) })),
            ("spend", .members(counters.spend.sorted { $0.key < $1.key }.map { ($0.key, .number(JSONNumber($0.value))) })),
        ])))
        return .members(members)
    }

    /// `{"task", "labels"}`: a task's labels, in UTF-8 byte order.
    static func json(labels: Set<String>, of id: String) -> JSON {
        .members([("task", .string(id)), ("labels", sorted(labels))])
    }

    private static func sorted(_ labels: Set<String>) -> JSON {
        .array(labels.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { .string($0) })
    }

    /// 201 with the task and, as `credential`, the token its agent presents.
    static func opened(_ opened: OpenedTask) -> Response {
        JSONResponse.make(json(opened), status: .created)
    }

    /// The task and, as `credential`, the token its agent presents.
    package static func json(_ opened: OpenedTask) -> JSON {
        let task = json(opened.record, now: opened.record.openedAt)
        guard case .object(var object) = task else { return task }
        object.append("credential", opened.credential.map { .string($0) } ?? .null)
        return .object(object)
    }

    /// `{"task", "closed", "closed_at", "receipt": {"payload", "kid", "signature"}}`;
    /// payload and signature in base64url without padding.
    package static func json(_ closure: TaskClosure) -> JSON {
        var members: [(key: String, value: JSON)] = [
            ("task", .string(closure.taskID)), ("closed", .array(closure.closedIDs.map { .string($0) })),
            ("closed_at", seconds(closure.closedAt)),
        ]
        if let receipt = closure.receipt {
            members.append(("receipt", .members([
                ("payload", .string(base64URL(receipt.payload))), ("kid", .string(receipt.keyID)),
                ("signature", .string(base64URL(receipt.signature))),
            ])))
        } else {
            members.append(("receipt", .null))
            members.append(("receipt_failure", .string(closure.receiptFailure ?? "no signing key")))
        }
        return .members(members)
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    private static func seconds(_ date: Date) -> JSON {
        .number(JSONNumber(Int64(date.timeIntervalSince1970.rounded(.down))))
    }
}
