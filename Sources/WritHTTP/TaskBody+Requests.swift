import Cedar
import Foundation
import WritCore

/// The request bodies of the task routes, written: what `opening(_:openedBy:)` and
/// `delegation(_:)` read back. A client (`writ task --server`) sends these.
extension TaskBody {
    /// `{"agent", "on_behalf_of", "purpose", "mandate": [{"name", "text"}], "ttl",
    /// "budgets", "labels"}`; `openedBy` is not sent (the server records the key).
    package static func json(_ opening: TaskOpening) -> JSON {
        .members([
            ("agent", .string(opening.agent)), ("on_behalf_of", .string(opening.onBehalfOf)),
            ("purpose", .string(opening.purpose)), ("mandate", json(opening.mandate)),
            ("ttl", .number(JSONNumber(opening.ttl.components.seconds))), ("budgets", json(opening.budgets)),
            ("labels", json(opening.labels)),
        ])
    }

    /// `{"agent", "purpose", "mandate", "ttl"?, "budgets", "labels"}`; `openedBy` is not
    /// sent (the server records `task:<parent id>`).
    package static func json(_ delegation: TaskDelegation) -> JSON {
        var members: [(key: String, value: JSON)] = [
            ("agent", .string(delegation.agent)), ("purpose", .string(delegation.purpose)),
            ("mandate", json(delegation.mandate)),
        ]
        if let ttl = delegation.ttl { members.append(("ttl", .number(JSONNumber(ttl.components.seconds)))) }
        members.append(("budgets", json(delegation.budgets)))
        members.append(("labels", json(delegation.labels)))
        return .members(members)
    }

    /// `[{"name", "text"}]`.
    static func json(_ mandate: [SourceFile]) -> JSON {
        .array(mandate.map { .members([("name", .string($0.name)), ("text", .string($0.text))]) })
    }

    private static func json(_ labels: Set<String>) -> JSON {
        .array(labels.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { .string($0) })
    }

    /// `{"max_decisions"?, "max_calls": {action: n}, "spend": {action: {"argument", "ceiling"}}}`.
    static func json(_ budgets: TaskBudgets) -> JSON {
        var members: [(key: String, value: JSON)] = []
        if let max = budgets.maxDecisions { members.append(("max_decisions", .integer(max))) }
        members.append(("max_calls", .members(budgets.maxCalls.sorted { $0.key < $1.key }.map { ($0.key, .integer($0.value)) })))
        members.append(("spend", .members(budgets.spend.sorted { $0.key < $1.key }.map {
            ($0.key, .members([("argument", .string($0.value.argument)), ("ceiling", .number(JSONNumber($0.value.ceiling)))]))
        })))
        return .members(members)
    }
}
