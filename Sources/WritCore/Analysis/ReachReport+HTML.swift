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
        var out = HTMLPage.head
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

/// The fixed parts of the report page.
private enum HTMLPage {
    static let head = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Writ: who can reach what</title>
        <style>
        body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #1d1d1f; }
        table { border-collapse: collapse; width: 100%; margin-bottom: 2em; }
        th, td { border-bottom: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top; }
        th { position: sticky; top: 0; background: #f4f4f6; }
        code { font-size: 12px; }
        code.forbid { color: #a00; }
        .filters { margin: .5em 0; display: flex; gap: 1em; flex-wrap: wrap; align-items: center; }
        .shown { color: #666; }
        .v-never { color: #777; }
        .v-inside_task_only { color: #05a; }
        .v-conditional { color: #a60; }
        .v-always { color: #c00; font-weight: bold; }
        </style>
        </head>
        <body>

        """

    static func textFilter(_ key: String, _ label: String) -> String {
        "<label>\(label) <input type=\"search\" data-key=\"\(key)\"></label>"
    }

    static func choiceFilter(_ key: String, _ label: String, _ options: [(value: String, text: String)]) -> String {
        "<label>\(label) <select data-key=\"\(key)\"><option value=\"\">any</option>"
            + options.map { "<option value=\"\($0.value)\">\($0.text)</option>" }.joined() + "</select></label>"
    }

    /// Hides the rows of a table that do not match its filters: text filters match a
    /// part of the row's value, case-insensitively; choices match it exactly.
    static let script = """
        <script>
        document.querySelectorAll(".filters").forEach(function (bar) {
          var table = document.getElementById(bar.dataset.table);
          var rows = Array.prototype.slice.call(table.tBodies[0].rows);
          var fields = Array.prototype.slice.call(bar.querySelectorAll("[data-key]"));
          var shown = bar.querySelector(".shown");
          function apply() {
            var count = 0;
            rows.forEach(function (row) {
              var ok = fields.every(function (f) {
                var want = f.value.trim().toLowerCase();
                if (want === "") return true;
                var have = (row.dataset[f.dataset.key] || "").toLowerCase();
                return f.tagName === "SELECT" ? have === want : have.indexOf(want) >= 0;
              });
              row.style.display = ok ? "" : "none";
              if (ok) count++;
            });
            shown.textContent = count + " of " + rows.length + " shown";
          }
          fields.forEach(function (f) { f.addEventListener("input", apply); f.addEventListener("change", apply); });
          apply();
        });
        </script>

        """
}

/// `text` with `&`, `<`, `>`, `"` and `'` replaced by character references, safe in
/// element content and in quoted attribute values.
func htmlEscaped(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out
}
