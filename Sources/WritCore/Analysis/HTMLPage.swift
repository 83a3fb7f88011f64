/// The fixed parts of the pages reports are written as: one self-contained page, its
/// style and script inline, nothing loaded from the network (its Content-Security-Policy
/// forbids it), tables filtered by the controls above them.
enum HTMLPage {
    /// The page up to the opening `<body>`, titled `title` (escaped here).
    static func head(title: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(htmlEscaped(title))</title>
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
    }

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
