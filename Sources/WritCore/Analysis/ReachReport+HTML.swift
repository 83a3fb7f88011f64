import Cedar

extension ReachReport {
    /// An entity as reports show it to a person: Cedar syntax, without the `Writ::`
    /// namespace of the base schema's types (`Agent::"support-bot"`).
    public static func display(_ uid: EntityUID) -> String {
        let text = uid.description
        return text.hasPrefix("Writ::") ? String(text.dropFirst(6)) : text
    }

    /// The report as one self-contained HTML page: the verdicts and the findings as
    /// tables with filters, its style and script inline, nothing loaded from the network
    /// (its Content-Security-Policy forbids it). Every text is escaped.
    public var html: String {
        var out = HTMLPage.head(title: "Writ: who can reach what")
        let counts = self.counts
        out += "<h1>Who can reach what</h1>\n<p class=\"summary\">"
        out += htmlEscaped(
            "\(universe.agents.count) agents, \(universe.resources.count) resources, \(universe.actions.count) actions, "
                + "\(policyCount) policies: \(triples.count) agent × resource × action triples — "
                + ReachVerdict.allCases.map { "\($0.words) \(counts[$0] ?? 0)" }.joined(separator: ", ")
                + "; \(findings.count) findings.")
        out += "</p>\n<h2>Verdicts</h2>\n<div class=\"filters\" data-table=\"triples\">"
        out += HTMLPage.textFilter("agent", "Agent") + HTMLPage.textFilter("resource", "Resource")
        out += HTMLPage.textFilter("policy", "Policy")
        out += HTMLPage.choiceFilter("checkpoint", "Checkpoint", ReachUniverse.Checkpoint.allCases.map { ($0.rawValue, $0.rawValue) })
        out += HTMLPage.choiceFilter("verdict", "Verdict", ReachVerdict.allCases.map { ($0.rawValue, $0.words) })
        out += "<span class=\"shown\"></span></div>\n<table id=\"triples\"><thead><tr><th>Agent</th><th>Checkpoint</th>"
        out += "<th>Action</th><th>Resource</th><th>Verdict</th><th>Policies</th><th>Conditions</th></tr></thead><tbody>\n"
        for t in triples {
            let agent = Self.display(t.agent), resource = Self.display(t.resource)
            let policies = (t.permits + t.forbids).joined(separator: " ")
            out += "<tr data-agent=\"\(htmlEscaped(agent))\" data-resource=\"\(htmlEscaped(resource))\" "
            out += "data-policy=\"\(htmlEscaped(policies))\" data-checkpoint=\"\(t.checkpoint.rawValue)\" "
            out += "data-verdict=\"\(t.verdict.rawValue)\"><td>\(htmlEscaped(agent))</td><td>\(t.checkpoint.rawValue)</td>"
            out += "<td>\(htmlEscaped(Self.display(t.action)))</td><td>\(htmlEscaped(resource))</td>"
            out += "<td class=\"v-\(t.verdict.rawValue)\">\(htmlEscaped(t.verdict.words))</td><td>"
            out += t.permits.map { "<code>\(htmlEscaped($0))</code>" }.joined(separator: " ")
            out += t.forbids.map { " <code class=\"forbid\">\(htmlEscaped($0))</code>" }.joined()
            out += "</td><td>"
            out += t.conditions.map { "<div><code>\(htmlEscaped($0.policy))</code>: <code>\(htmlEscaped($0.text))</code></div>" }.joined()
            out += "</td></tr>\n"
        }
        out += "</tbody></table>\n<h2>Findings</h2>\n<div class=\"filters\" data-table=\"findings\">"
        out += HTMLPage.choiceFilter("kind", "Kind", ReachFinding.Kind.allCases.map { ($0.rawValue, $0.rawValue) })
        out += HTMLPage.textFilter("text", "Text")
        out += "<span class=\"shown\"></span></div>\n<table id=\"findings\"><thead><tr><th>Kind</th><th>Finding</th>"
        out += "<th>Policies</th><th>Agents</th><th>Resources</th></tr></thead><tbody>\n"
        for f in findings {
            let names = (f.policies + f.agents.map(Self.display) + f.resources.map(Self.display)).joined(separator: " ")
            out += "<tr data-kind=\"\(f.kind.rawValue)\" data-text=\"\(htmlEscaped(f.message + " " + names))\">"
            out += "<td>\(f.kind.rawValue)</td><td>\(htmlEscaped(f.message))</td>"
            for list in [f.policies, f.agents.map(Self.display), f.resources.map(Self.display)] {
                out += "<td>" + list.map { "<code>\(htmlEscaped($0))</code>" }.joined(separator: " ") + "</td>"
            }
            out += "</tr>\n"
        }
        out += "</tbody></table>\n" + HTMLPage.script + "</body>\n</html>\n"
        return out
    }
}
