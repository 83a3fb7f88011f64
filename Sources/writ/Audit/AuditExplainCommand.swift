import ArgumentParser
import Foundation
import WritCore
import WritSQLite

/// `writ audit explain DECISION_ID`: a recorded decision decided again.
struct AuditExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Decide a recorded decision again under the policy set version it names.",
        discussion: """
            Reads the decision record from the data directory's audit log, compiles the \
            policy set version it names and decides the recorded request again with the \
            current entities (entities are not versioned). Prints what was recorded, what \
            the policies decide now, and whether the two match. Exit status: 0 when they \
            match, 3 when they do not or cannot be compared, 1 on bad input.
            """)

    @OptionGroup var data: DataOptions

    @Argument(help: "The decision id (`decision_id` in the decision's response, `dec_…`).")
    var decisionID: String

    @Flag(help: "Print the explanation as JSON.")
    var json = false

    func run() async throws {
        let store = try data.existingStore()
        defer { try? store.close() }
        let page = try await store.auditPageOrExit(AuditQuery(decisionID: decisionID, kind: .decision, limit: 1))
        guard let record = page.records.first else {
            printError("no decision `\(decisionID)` in the audit log of `\(data.data)`")
            throw WritExit.badInput
        }
        let explanation: AuditExplanation
        do {
            let mapping = try PolicyDirectory.loadMapping(data.data)
            let service = DecisionService(store: store, configuration: .init(authzen: mapping))
            try await service.reload()
            explanation = try await service.explain(record.event)
        } catch let error as WritError {
            printError("cannot explain `\(decisionID)`: \(error.message)")
            throw WritExit.badInput
        } catch let error as InputError {
            printError(error.description)
            throw WritExit.badInput
        }
        print(json ? Self.json(explanation, sequence: record.sequence) : Self.text(explanation, sequence: record.sequence))
        if explanation.matches != true { throw WritExit.verificationFailed }
    }

    static func text(_ e: AuditExplanation, sequence: Int) -> String {
        func decided(_ allowed: Bool?) -> String { allowed.map { $0 ? "allow" : "deny" } ?? "not decided" }
        var lines = [
            "decision    \(e.decisionID ?? "-") (record \(sequence))",
            "version     policy set version \(e.policySetVersion)",
            "recorded    \(e.recordedOutcome?.rawValue ?? "-"); policies: \(decided(e.recordedAllowed)) \(Self.list(e.recordedReasons))",
            "now         policies: \(decided(e.nowAllowed)) \(Self.list(e.nowReasons))",
        ]
        if let invalid = e.nowInvalid { lines.append("invalid     \(invalid)") }
        lines.append("matches     \(e.matches.map { $0 ? "yes" : "no" } ?? "cannot compare")")
        if let note = e.note { lines.append("note        \(note)") }
        return lines.joined(separator: "\n")
    }

    private static func list(_ reasons: [String]) -> String {
        reasons.isEmpty ? "(no policy)" : "(" + reasons.joined(separator: ", ") + ")"
    }

    static func json(_ e: AuditExplanation, sequence: Int) -> String {
        var object: [String: Any] = [
            "sequence": sequence, "policy_set_version": e.policySetVersion,
            "recorded_reasons": e.recordedReasons, "now_reasons": e.nowReasons,
        ]
        object["decision_id"] = e.decisionID
        object["recorded_outcome"] = e.recordedOutcome?.rawValue
        object["recorded_allowed"] = e.recordedAllowed
        object["now_allowed"] = e.nowAllowed
        object["now_invalid"] = e.nowInvalid
        object["matches"] = e.matches
        object["note"] = e.note
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
