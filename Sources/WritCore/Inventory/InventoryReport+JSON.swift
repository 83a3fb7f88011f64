import Cedar
import Foundation

extension InventoryReport {
    /// The format name and version the JSON carries; a change that removes or renames
    /// a member gets a new version.
    public static let jsonFormat = "writ-inventory-report/1"

    /// The report as JSON (docs/INVENTORY.md, "The report"): members in a fixed order,
    /// entities in Cedar syntax, lists in the report's order, absent values `null`.
    public func json(pretty: Bool = true) -> String {
        JSON.object(jsonObject).encoded(pretty: pretty)
    }

    /// The report as one JSON object.
    package var jsonObject: JSONObject {
        var summary = JSONObject()
        summary.append("resources", number(entries.count))
        summary.append("agents", number(agents.count))
        summary.append("policies", number(policyCount))
        summary.append("last", number(last))
        summary.append("decisions", number(entries.reduce(0) { $0 + $1.decisions.count }))

        var object = JSONObject()
        object.append("format", .string(Self.jsonFormat))
        object.append("summary", .object(summary))
        object.append("agents", .array(agents.map { agent in
            .object(["uid": uid(agent.uid), "owner": agent.owner.map(uid) ?? .null])
        }))
        object.append("resources", .array(entries.map(\.json)))
        return object
    }
}

extension InventoryReport.Entry {
    var json: JSON {
        var o = JSONObject()
        o.append("uid", uid(item.uid))
        o.append("kind", item.kind.map { .string($0.rawValue) } ?? .null)
        o.append("owner", uid(item.ownerUID))
        o.append("description", item.description.map(JSON.string) ?? .null)
        o.append("labels", InventoryItem.sortedStrings(item.labels))
        o.append("state", .string(item.isQuarantined ? "quarantined" : "active"))
        o.append("policies", .array(policies.map { p in
            var r = JSONObject()
            r.append("id", .string(p.id))
            r.append("effect", .string(p.effect.rawValue))
            r.append("places", .array(p.places.map { .string($0.rawValue) }))
            r.append("via", .array(p.via.map(uid)))
            return .object(r)
        }))
        o.append("covers", .array(covers.map(uid)))
        o.append("reach", .array(reach.filter { $0.verdict != .never }.map { r in
            var a = JSONObject()
            a.append("agent", uid(r.agent))
            a.append("owner", r.owner.map(uid) ?? .null)
            a.append("verdict", .string(r.verdict.rawValue))
            a.append("triples", .array(r.triples.map { t in
                // As in writ-reach/1, without the agent (above) and the conditions
                // (`writ analyze reach` names them): a server's entry repeats its tools'.
                var o = JSONObject()
                o.append("resource", uid(t.resource))
                o.append("action", uid(t.action))
                o.append("checkpoint", .string(t.checkpoint.rawValue))
                o.append("verdict", .string(t.verdict.rawValue))
                o.append("permits", .array(t.permits.map(JSON.string)))
                o.append("forbids", .array(t.forbids.map(JSON.string)))
                return .object(o)
            }))
            return .object(a)
        }))
        o.append("never", .array(reach.filter { $0.verdict == .never }.map { uid($0.agent) }))
        o.append("decisions", .array(decisions.map(\.json)))
        return .object(o)
    }
}

extension InventoryReport.Decision {
    var json: JSON {
        var o = JSONObject()
        o.append("sequence", number(sequence))
        o.append("time", .string(AuditTime.format(micros: AuditCanonical.microseconds(time))))
        o.append("agent", agent.map(JSON.string) ?? .null)
        o.append("action", action.map(JSON.string) ?? .null)
        o.append("decision", outcome.map { .string($0.rawValue) } ?? .null)
        o.append("reason", reason.map(JSON.string) ?? .null)
        o.append("policies", .array(policies.map(JSON.string)))
        o.append("decision_id", decisionID.map(JSON.string) ?? .null)
        o.append("task", taskID.map(JSON.string) ?? .null)
        return .object(o)
    }
}

private func uid(_ uid: EntityUID) -> JSON { .string(uid.description) }
private func number(_ n: Int) -> JSON { .number(JSONNumber(Int64(n))) }
