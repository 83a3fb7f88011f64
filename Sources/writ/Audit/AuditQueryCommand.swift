import ArgumentParser
import Foundation
import WritCore
import WritSQLite

/// `writ audit query`: one page of records from the local data directory.
struct AuditQueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "List audit records matching filters, newest first, one page at a time.",
        discussion: """
            Prints a table, or with --json the page as `GET /v1/audit` returns it. When more \
            records match, the last line (or `next`) gives the --after value of the next page.
            """)

    @OptionGroup var data: DataOptions
    @OptionGroup var filters: AuditFilterOptions

    @Option(help: "At most this many records (1 to 1000).")
    var limit = 100

    @Option(help: "Only records past this sequence in the listing order (the `next` of the page before).")
    var after: String?

    @Option(help: "newest (the default) or oldest first.")
    var order = "newest"

    @Flag(help: "Print the page as JSON.")
    var json = false

    func run() async throws {
        var extra: [(name: String, value: String)] = [("limit", String(limit)), ("order", order)]
        if let after { extra.append(("after", after)) }
        let query = try filters.query(extra)
        let store = try data.existingStore()
        defer { try? store.close() }
        let page = try await store.auditPageOrExit(query)
        if json {
            print(page.jsonText)
            return
        }
        let rows = [["SEQ", "TIME", "KIND", "OUTCOME", "ACTOR", "AGENT", "USER", "TASK", "ACTION", "RESOURCE"]]
            + page.records.map { record in
                let e = record.event
                return [
                    String(record.sequence), AuditTime.format(micros: AuditCanonical.microseconds(e.time)),
                    e.kind.rawValue, e.outcome?.rawValue ?? "-", e.actor ?? "-", e.agent ?? "-", e.user ?? "-",
                    e.taskID ?? "-", e.action ?? "-", e.resource ?? "-",
                ]
            }
        TextTable.print(rows)
        if let next = page.next { print("more: --after \(next)") }
    }
}
