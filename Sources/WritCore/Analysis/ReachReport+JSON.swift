import Cedar

extension ReachReport {
    /// The format name and version the JSON carries; a change that removes or renames
    /// a member gets a new version.
    public static let jsonFormat = "writ-reach/1"

    /// The report as JSON (docs/ANALYSIS.md, "JSON"): members in a fixed order, entities
    /// in Cedar syntax (`Writ::Agent::"support-bot"`), lists in the report's order.
    public func json(pretty: Bool = true) -> String {
        var summary = JSONObject()
        summary.append("agents", number(universe.agents.count))
        summary.append("resources", number(universe.resources.count))
        summary.append("actions", number(universe.actions.count))
        summary.append("policies", number(policyCount))
        summary.append("triples", number(triples.count))
        let counts = self.counts
        summary.append("verdicts", .object(JSONObject(uniqueMembers: ReachVerdict.allCases.map {
            ($0.rawValue, number(counts[$0] ?? 0))
        })))
        summary.append("findings", number(findings.count))

        var object = JSONObject()
        object.append("format", .string(Self.jsonFormat))
        object.append("summary", .object(summary))
        object.append("agents", .array(universe.agents.map { owned($0.uid, $0.owner) }))
        object.append("resources", .array(universe.resources.map { resource in
            var o = JSONObject()
            o.append("uid", uid(resource.uid))
            o.append("owner", resource.owner.map(uid) ?? .null)
            o.append("labels", .array(resource.labels.map(JSON.string)))
            return .object(o)
        }))
        object.append("actions", .array(universe.actions.map { action in
            var o = JSONObject()
            o.append("uid", uid(action.uid))
            o.append("checkpoint", .string(action.checkpoint.rawValue))
            o.append("resource_types", .array(action.resourceTypes.map { .string($0.name) }))
            o.append("only", action.only.map(uid) ?? .null)
            return .object(o)
        }))
        object.append("triples", .array(triples.map(\.json)))
        object.append("findings", .array(findings.map(\.json)))
        return JSON.object(object).encoded(pretty: pretty)
    }

    private func owned(_ entity: EntityUID, _ owner: EntityUID?) -> JSON {
        .object(["uid": uid(entity), "owner": owner.map(uid) ?? .null])
    }
}

extension ReachTriple {
    var json: JSON {
        var o = JSONObject()
        o.append("agent", uid(agent))
        o.append("resource", uid(resource))
        o.append("action", uid(action))
        o.append("checkpoint", .string(checkpoint.rawValue))
        o.append("verdict", .string(verdict.rawValue))
        o.append("permits", .array(permits.map(JSON.string)))
        o.append("forbids", .array(forbids.map(JSON.string)))
        o.append("conditions", .array(conditions.map { c in
            .object(["policy": .string(c.policy), "effect": .string(c.effect.rawValue), "condition": .string(c.text)])
        }))
        return .object(o)
    }
}

extension ReachFinding {
    var json: JSON {
        var o = JSONObject()
        o.append("kind", .string(kind.rawValue))
        o.append("message", .string(message))
        o.append("policies", .array(policies.map(JSON.string)))
        o.append("agents", .array(agents.map(uid)))
        o.append("resources", .array(resources.map(uid)))
        return .object(o)
    }
}

private func uid(_ uid: EntityUID) -> JSON { .string(uid.description) }
private func number(_ n: Int) -> JSON { .number(JSONNumber(Int64(n))) }
