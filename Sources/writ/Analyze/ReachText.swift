import WritCore

/// `writ analyze reach --format text`: a summary line, the verdicts as a table, then
/// the findings.
enum ReachText {
    /// The most agents or resources a finding lists in text; JSON lists them all.
    static let listed = 20

    static func render(_ report: ReachReport) -> String {
        let counts = report.counts
        var text = "\(report.universe.agents.count) agents, \(report.universe.resources.count) resources, "
        text += "\(report.universe.actions.count) actions, \(report.policyCount) policies: "
        text += "\(report.triples.count) triples ("
        text += ReachVerdict.allCases.map { "\($0.words) \(counts[$0] ?? 0)" }.joined(separator: ", ")
        text += "); \(report.findings.count) findings\n\n"
        var rows = [["AGENT", "CHECKPOINT", "ACTION", "RESOURCE", "VERDICT", "POLICIES", "CONDITIONS"]]
        for t in report.triples {
            rows.append([
                ReachReport.display(t.agent), t.checkpoint.rawValue, ReachReport.display(t.action),
                ReachReport.display(t.resource), t.verdict.words,
                (t.permits + t.forbids.map { "forbid:\($0)" }).joined(separator: " "),
                t.conditions.map { "\($0.policy): \($0.text)" }.joined(separator: "; "),
            ])
        }
        text += TextTable.render(rows)
        text += "\nFINDINGS\n"
        if report.findings.isEmpty { text += "none\n" }
        for f in report.findings {
            text += "\(f.kind.rawValue): \(f.message)\n"
            if !f.policies.isEmpty { text += "  policies: \(f.policies.joined(separator: ", "))\n" }
            if !f.agents.isEmpty { text += "  agents: \(names(f.agents.map(ReachReport.display)))\n" }
            if !f.resources.isEmpty { text += "  resources: \(names(f.resources.map(ReachReport.display)))\n" }
        }
        return text
    }

    private static func names(_ all: [String]) -> String {
        let shown = all.prefix(listed).joined(separator: ", ")
        return all.count > listed ? "\(shown) and \(all.count - listed) more (all in --format json)" : shown
    }
}
