import Cedar
import Foundation
import WritCore

/// `writ inventory report --format text`: a summary line, then one block per resource.
/// Text from the inventory and the audit log is printed with its control characters
/// (newlines, escape sequences) replaced (`TaskOutput.printable`).
enum InventoryReportText {
    static func render(_ report: InventoryReport) -> String {
        let decisions = report.entries.reduce(0) { $0 + $1.decisions.count }
        var text = "\(report.entries.count) resources, \(report.agents.count) agents, \(report.policyCount) policies; "
        text += "the last \(report.last) decisions on each resource (\(decisions) in all)\n"
        for entry in report.entries { text += "\n" + block(entry) }
        return text
    }

    private static func block(_ entry: InventoryReport.Entry) -> String {
        let item = entry.item
        var text = "\(ReachReport.display(item.uid)) (\(item.kind?.rawValue ?? "?"))"
        text += item.isQuarantined ? ", quarantined\n" : "\n"
        text += "  owner: \(ReachReport.display(item.ownerUID))\n"
        let labels = item.labels.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
        text += "  labels: \(labels.isEmpty ? "-" : labels.joined(separator: ", "))\n"
        if let description = item.description { text += "  description: \(TaskOutput.printable(description))\n" }
        text += "  policies: "
        text += entry.policies.isEmpty ? "none name it\n" : entry.policies.map { p in
            "\(TaskOutput.printable(p.id)) (\(p.effect.rawValue); \(p.places.map(\.words).joined(separator: ", ")) via "
                + p.via.map(ReachReport.display).joined(separator: ", ") + ")"
        }.joined(separator: "; ") + "\n"
        text += "  agents: "
        if entry.covers.isEmpty {
            text += "none (no checkpoint action applies to it or to anything in it)\n"
        } else {
            let reaching = entry.reach.filter { $0.verdict != .never }
            let never = entry.reach.count - reaching.count
            var parts = reaching.map { "\(ReachReport.display($0.agent)) \($0.verdict.words)" }
            if never > 0 { parts.append("never: \(never) agent\(never == 1 ? "" : "s")") }
            text += parts.joined(separator: ", ") + "\n"
        }
        if entry.decisions.isEmpty {
            text += "  decisions: none\n"
            return text
        }
        text += "  decisions:\n"
        let rows = [["TIME", "AGENT", "ACTION", "DECISION", "REASON", "DECISION ID"]] + entry.decisions.map { d in
            [String]([
                AuditTime.format(micros: AuditCanonical.microseconds(d.time)), d.agent ?? "-",
                d.action.map { $0.hasPrefix("Writ::") ? String($0.dropFirst(6)) : $0 } ?? "-", d.outcome?.rawValue ?? "-",
                d.reasonText, d.decisionID ?? "-",
            ]).map(TaskOutput.printable)
        }
        for line in TextTable.render(rows).split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            text += "    \(line)\n"
        }
        return text
    }
}
