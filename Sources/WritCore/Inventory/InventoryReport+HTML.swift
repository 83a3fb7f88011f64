import Cedar
import Foundation

extension InventoryReport {
    /// The report as one self-contained HTML page: a table of the resources, one row
    /// each, with filters (kind, resource, owner, label, policy, agent, widest reach),
    /// style and script inline, nothing loaded from the network (its
    /// Content-Security-Policy forbids it). Every text is escaped.
    public var html: String {
        var out = HTMLPage.head(title: "Writ: inventory report")
        let decisions = entries.reduce(0) { $0 + $1.decisions.count }
        out += "<h1>Inventory report</h1>\n<p class=\"summary\">"
        out += htmlEscaped(
            "\(entries.count) resources, \(agents.count) agents, \(policyCount) policies; "
                + "the last \(last) decisions on each resource (\(decisions) in all).")
        out += "</p>\n<div class=\"filters\" data-table=\"resources\">"
        out += HTMLPage.choiceFilter("kind", "Kind", InventoryItem.Kind.allCases.filter { $0 != .agent }.map { ($0.rawValue, $0.rawValue) })
        out += HTMLPage.textFilter("resource", "Resource") + HTMLPage.textFilter("owner", "Owner")
        out += HTMLPage.textFilter("label", "Label") + HTMLPage.textFilter("policy", "Policy")
        out += HTMLPage.textFilter("agent", "Agent")
        let reach: [(value: String, text: String)] =
            [(value: "none", text: "no checkpoint action")] + ReachVerdict.allCases.map { (value: $0.rawValue, text: $0.words) }
        out += HTMLPage.choiceFilter("reach", "Widest reach", reach)
        out += "<span class=\"shown\"></span></div>\n<table id=\"resources\"><thead><tr><th>Kind</th><th>Resource</th>"
        out += "<th>Owner</th><th>Labels</th><th>Policies naming it</th><th>Agents that can reach it</th>"
        out += "<th>Last decisions</th></tr></thead><tbody>\n"
        for entry in entries { out += entry.htmlRow }
        out += "</tbody></table>\n" + HTMLPage.script + "</body>\n</html>\n"
        return out
    }
}

extension InventoryReport.Entry {
    /// The agents whose verdict is not `never`.
    var reaching: [InventoryReport.AgentReach] { reach.filter { $0.verdict != .never } }

    fileprivate var htmlRow: String {
        let item = self.item
        let resource = ReachReport.display(item.uid), owner = ReachReport.display(item.ownerUID)
        let labels = item.labels.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
        let reaching = self.reaching
        var out = "<tr data-kind=\"\(htmlEscaped(item.kind?.rawValue ?? ""))\" data-resource=\"\(htmlEscaped(resource))\" "
        out += "data-owner=\"\(htmlEscaped(owner))\" data-label=\"\(htmlEscaped(labels.joined(separator: " ")))\" "
        out += "data-policy=\"\(htmlEscaped(policies.map(\.id).joined(separator: " ")))\" "
        out += "data-agent=\"\(htmlEscaped(reaching.map { ReachReport.display($0.agent) }.joined(separator: " ")))\" "
        out += "data-reach=\"\(widest?.rawValue ?? "none")\">"
        out += "<td>\(htmlEscaped(item.kind?.rawValue ?? ""))</td><td><code>\(htmlEscaped(resource))</code>"
        if item.isQuarantined { out += " <code class=\"forbid\">quarantined</code>" }
        if let description = item.description { out += "<div>\(htmlEscaped(description))</div>" }
        out += "</td><td><code>\(htmlEscaped(owner))</code></td><td>"
        out += labels.map { "<code>\(htmlEscaped($0))</code>" }.joined(separator: " ")
        out += "</td><td>"
        out += policies.map { p in
            let forbid = p.effect == .forbid ? " class=\"forbid\"" : ""
            return "<div><code\(forbid)>\(htmlEscaped(p.id))</code> "
                + htmlEscaped(p.places.map(\.words).joined(separator: ", ")) + "</div>"
        }.joined()
        out += "</td><td>"
        if covers.isEmpty { out += "no checkpoint action applies" }
        out += reaching.map { r in
            "<div><code>\(htmlEscaped(ReachReport.display(r.agent)))</code> "
                + "<span class=\"v-\(r.verdict.rawValue)\">\(htmlEscaped(r.verdict.words))</span></div>"
        }.joined()
        let never = reach.count - reaching.count
        if never > 0 { out += "<div class=\"v-never\">never: \(never) agent\(never == 1 ? "" : "s")</div>" }
        out += "</td><td>"
        out += decisions.map { d in
            let text = [
                AuditTime.format(micros: AuditCanonical.microseconds(d.time)), d.agent ?? "-",
                d.outcome?.rawValue ?? "-", d.reasonText,
            ].joined(separator: " ")
            return "<div>\(htmlEscaped(text)) <code>\(htmlEscaped(d.decisionID ?? "-"))</code></div>"
        }.joined()
        out += "</td></tr>\n"
        return out
    }
}

extension InventoryReport.Place {
    /// As a person reads it: `resource scope`.
    public var words: String {
        switch self {
        case .resourceScope: "resource scope"
        case .actionScope: "action scope"
        case .condition: "condition"
        }
    }
}

extension InventoryReport.Decision {
    /// Why, in one word or list: the denial's reason, else the policies that decided,
    /// else `-`.
    public var reasonText: String {
        if let reason { return reason }
        return policies.isEmpty ? "-" : policies.joined(separator: ",")
    }
}
