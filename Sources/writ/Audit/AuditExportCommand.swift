import ArgumentParser
import Foundation
import WritCore
import WritSQLite

/// `writ audit export`: every matching record as JSON Lines, oldest first.
struct AuditExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write every audit record matching the filters to standard output as JSON Lines, oldest first.",
        discussion: "One record per line, as `GET /v1/audit` returns them (docs/AUDIT.md).")

    @OptionGroup var data: DataOptions
    @OptionGroup var filters: AuditFilterOptions

    func run() async throws {
        var query = try filters.query([("order", "oldest"), ("limit", String(AuditQuery.maxLimit))])
        let store = try data.existingStore()
        defer { try? store.close() }
        let output = FileHandle.standardOutput
        while true {
            let page = try await store.auditPageOrExit(query)
            var text = ""
            for record in page.records {
                text += record.jsonLine
                text += "\n"
            }
            output.write(Data(text.utf8))
            guard let next = page.next else { return }
            query.after = next
        }
    }
}
