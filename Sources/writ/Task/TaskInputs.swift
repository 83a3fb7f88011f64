import ArgumentParser
import Cedar
import Foundation
import WritCore

/// What `writ task open` and `writ task delegate` both take: the agent, the purpose,
/// the mandate, budgets and labels. Each is checked here, with a message naming the
/// option, before anything is asked of a server or a store.
struct TaskInputs: ParsableArguments {
    @Option(help: "The Writ::Agent id the task is for.")
    var agent: String

    @Option(help: "What the work is, in a sentence.")
    var purpose: String

    @Option(help: ArgumentHelp(
        "A file of Cedar policies: the task's mandate (`-` reads standard input); repeat for several. Nothing is permitted without one.",
        valueName: "file"))
    var mandate: [String] = []

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("The most decisions that may be allowed in the task and below it.", valueName: "n"))
    var maxDecisions: String?

    @Option(
        parsing: .unconditionalSingleValue,
        help: ArgumentHelp("The most allowed calls of one tool, TOOL=N (the action id: mail___send_email=3); repeatable.", valueName: "tool=n"))
    var maxCalls: [String] = []

    @Option(
        parsing: .unconditionalSingleValue,
        help: ArgumentHelp(
            "A ceiling on the sum of one Long argument of a tool, TOOL.ARGUMENT=CEILING (payments___refund.amount=500); repeatable.",
            valueName: "tool.argument=ceiling"))
    var spendLimit: [String] = []

    @Option(help: ArgumentHelp("A data label the task carries (pii, untrusted …); repeatable.", valueName: "label"))
    var label: [String] = []

    /// The mandate files, named by their paths (`stdin` for `-`), so errors carry
    /// `path:line:column`.
    func mandateFiles() throws -> [SourceFile] {
        guard !mandate.isEmpty else {
            throw InputError("give the task's mandate with --mandate FILE (Cedar policies; without one nothing is permitted)")
        }
        if mandate.filter({ $0 == "-" }).count > 1 { throw InputError("--mandate - (standard input) may be given once") }
        return try mandate.map { path in
            do {
                return SourceFile(name: path == "-" ? "stdin" : path, text: try PolicyFiles.read(path))
            } catch let error as InputError {
                throw InputError("--mandate: \(error.description)")
            }
        }
    }

    /// The budgets `--max-decisions`, `--max-calls` and `--spend-limit` give.
    func budgets() throws -> TaskBudgets {
        var budgets = TaskBudgets()
        if let maxDecisions {
            budgets.maxDecisions = try Self.count(maxDecisions, "--max-decisions `\(maxDecisions)`")
        }
        for entry in maxCalls {
            let (tool, number) = try Self.split(entry, at: "=", "--max-calls `\(entry)` is not TOOL=N")
            guard budgets.maxCalls[tool] == nil else { throw InputError("--max-calls names `\(tool)` twice") }
            budgets.maxCalls[tool] = try Self.count(number, "--max-calls `\(entry)`")
        }
        for entry in spendLimit {
            let usage = "--spend-limit `\(entry)` is not TOOL.ARGUMENT=CEILING"
            let (target, number) = try Self.split(entry, at: "=", usage)
            let (tool, argument) = try Self.split(target, at: ".", usage)
            guard budgets.spend[tool] == nil else { throw InputError("--spend-limit names `\(tool)` twice") }
            let ceiling = try Self.count(number, "--spend-limit `\(entry)`")
            budgets.spend[tool] = SpendCeiling(argument: argument, ceiling: Int64(ceiling))
        }
        return budgets
    }

    /// The labels, each given once.
    func labels() throws -> Set<String> {
        let labels = Set(label)
        guard labels.count == label.count else { throw InputError("--label names a label twice") }
        return labels
    }

    /// A whole number of seconds from 1 to the longest a task lives.
    static func ttl(_ text: String) throws -> Duration {
        let most = TaskService.Configuration().maxTTL.components.seconds
        guard let seconds = Int64(text), (1...most).contains(seconds) else {
            throw InputError("--ttl must be a whole number of seconds from 1 to \(most) (12 hours), not `\(text)`")
        }
        return .seconds(seconds)
    }

    /// A limit: a whole number of 1 or more.
    private static func count(_ text: String, _ what: String) throws -> Int {
        guard let value = Int(text), value >= 1 else {
            throw InputError("\(what): the limit must be a whole number of 1 or more, not `\(text)`")
        }
        return value
    }

    /// `text` split at the last `separator`, both sides not empty.
    private static func split(_ text: String, at separator: Character, _ usage: String) throws -> (String, String) {
        guard let index = text.lastIndex(of: separator) else { throw InputError(usage) }
        let left = String(text[..<index]), right = String(text[text.index(after: index)...])
        guard !left.isEmpty, !right.isEmpty else { throw InputError(usage) }
        return (left, right)
    }
}
