import Cedar
import Foundation

/// How `writ task` prints the JSON the task routes answer with: tables of tasks, one
/// task field by field, and text safe for a terminal.
enum TaskOutput {
    /// Prints `json` indented, as `--json` asks.
    static func printJSON(_ json: JSON) {
        print(json.encoded(pretty: true))
    }

    /// The `credential` of an opened or delegated task.
    static func credential(_ reply: JSON) throws(TaskFailure) -> String {
        guard let credential = reply[member: "credential"]?.stringValue, !credential.isEmpty else {
            throw TaskFailure("the reply carries no credential (the server mints none)")
        }
        return credential
    }

    /// One line about an opened task, for standard error.
    static func opened(_ reply: JSON) -> String {
        let id = text(reply[member: "id"]), agent = text(reply[member: "agent"])
        return "opened task \(id) for agent \(agent), expires \(time(reply[member: "expires_at"]))\n"
    }

    /// The tasks of a `{"tasks": [...]}` reply, one row each.
    static func table(_ reply: JSON) -> [[String]] {
        let header = ["ID", "AGENT", "USER", "STATE", "PARENT", "EXPIRES", "DECISIONS", "PURPOSE"]
        return [header] + (reply[member: "tasks"]?.arrayValue ?? []).map { task in
            [
                text(task[member: "id"]), text(task[member: "agent"]), text(task[member: "on_behalf_of"]),
                text(task[member: "state"]), text(task[member: "parent_id"]), time(task[member: "expires_at"]),
                text(task[member: "counters"]?[member: "decisions"]), String(text(task[member: "purpose"]).prefix(60)),
            ]
        }
    }

    /// One task, a field a row, then its mandate files.
    static func fields(_ task: JSON) -> (rows: [[String]], mandate: [(name: String, text: String)]) {
        let rows: [[String]] = [
            ["id", text(task[member: "id"])], ["agent", text(task[member: "agent"])],
            ["on behalf of", text(task[member: "on_behalf_of"])], ["purpose", text(task[member: "purpose"])],
            ["state", text(task[member: "state"])], ["parent", text(task[member: "parent_id"])],
            ["depth", text(task[member: "depth"])], ["opened", time(task[member: "opened_at"])],
            ["expires", time(task[member: "expires_at"])], ["closed", time(task[member: "closed_at"])],
            ["opened by", text(task[member: "opened_by"])],
            ["labels", list((task[member: "labels"]?.arrayValue ?? []).map { text($0) })],
            ["budgets", budgets(task[member: "budgets"])], ["used", counters(task[member: "counters"])],
        ]
        let mandate = (task[member: "mandate"]?.arrayValue ?? []).map { file in
            (name: text(file[member: "name"]), text: file[member: "text"]?.stringValue ?? "")
        }
        return (rows, mandate)
    }

    /// Text safe to print on a terminal: control characters (escape sequences,
    /// newlines) become spaces or U+FFFD.
    static func printable(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar -> Unicode.Scalar in
            switch scalar {
            case "\n", "\t", "\r": return " "
            case _ where scalar.properties.generalCategory == .control: return "\u{FFFD}"
            default: return scalar
            }
        }))
    }

    private static func budgets(_ budgets: JSON?) -> String {
        var parts: [String] = []
        if let max = budgets?[member: "max_decisions"] { parts.append("decisions ≤ \(text(max))") }
        for (tool, max) in budgets?[member: "max_calls"]?.objectValue ?? JSONObject() {
            parts.append("\(printable(tool)) ≤ \(text(max))")
        }
        for (tool, spend) in budgets?[member: "spend"]?.objectValue ?? JSONObject() {
            parts.append("\(printable(tool)).\(text(spend[member: "argument"])) ≤ \(text(spend[member: "ceiling"]))")
        }
        return list(parts)
    }

    private static func counters(_ counters: JSON?) -> String {
        var parts = ["decisions \(text(counters?[member: "decisions"]))", "calls \(text(counters?[member: "calls"]))"]
        for (tool, count) in counters?[member: "actions"]?.objectValue ?? JSONObject() {
            parts.append("\(printable(tool)) \(text(count))")
        }
        for (tool, amount) in counters?[member: "spend"]?.objectValue ?? JSONObject() {
            parts.append("\(printable(tool)) spent \(text(amount))")
        }
        return parts.joined(separator: ", ")
    }

    private static func list(_ items: [String]) -> String { items.isEmpty ? "-" : items.joined(separator: ", ") }

    /// A string or number as printable text; `-` for null or absent.
    private static func text(_ value: JSON?) -> String {
        switch value {
        case .string(let string)?: return printable(string)
        case .number(let number)?: return number.description
        case .bool(let bool)?: return String(bool)
        default: return "-"
        }
    }

    /// Unix seconds as ISO 8601 (UTC); `-` for null or absent.
    private static func time(_ value: JSON?) -> String {
        guard let seconds = value?.int64Value else { return "-" }
        return Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(Date.ISO8601FormatStyle())
    }
}

extension JSON {
    /// The member `key` of an object; nil for anything else.
    subscript(member key: String) -> JSON? {
        guard case .object(let object) = self else { return nil }
        return object[key]
    }

    var stringValue: String? {
        guard case .string(let string) = self else { return nil }
        return string
    }

    var int64Value: Int64? {
        guard case .number(let number) = self else { return nil }
        return number.int64
    }

    var arrayValue: [JSON]? {
        guard case .array(let array) = self else { return nil }
        return array
    }

    var objectValue: JSONObject? {
        guard case .object(let object) = self else { return nil }
        return object
    }
}
