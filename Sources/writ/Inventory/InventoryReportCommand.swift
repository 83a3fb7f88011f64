import ArgumentParser
import Foundation
import WritCore
import WritSQLite

/// `writ inventory report`: each registered resource with its owner, labels, the
/// policies that name it, the agents that can reach it and its last decisions.
struct InventoryReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Each registered resource: owner, labels, policies naming it, agents reaching it, last decisions.",
        discussion: """
            Reads the data directory's store (it changes nothing): the inventory, the \
            latest policy set and entities, and the audit log. For each tool, prompt, \
            dataset, MCP server and destination it lists the policies that name it (in \
            their scope or conditions), every agent's widest reach by the reach analysis \
            (never, inside a task only, conditional, always; docs/ANALYSIS.md), and its \
            last --last decisions (docs/INVENTORY.md, "The report"). Exits 0 when the \
            report was written, 1 when the store cannot be read or the output written.
            """
    )

    @OptionGroup var data: DataOptions

    @Option(help: "text, json (writ-inventory-report/1) or html (one self-contained page with filters).")
    var format: ReportFormat = .text

    @Option(help: "Write to this file instead of standard output.")
    var output: String?

    @Option(help: "The last this many decisions of each resource (0 to \(InventoryReport.maxLast)).")
    var last = 5

    func validate() throws {
        guard (0...InventoryReport.maxLast).contains(last) else {
            throw ValidationError("--last must be 0 to \(InventoryReport.maxLast), not \(last)")
        }
    }

    func run() async throws {
        let store = try data.existingStore()
        defer { try? store.close() }
        let report: InventoryReport
        do throws(WritError) {
            let service = DecisionService(store: store)
            try await service.reload()
            report = try await InventoryReport.make(
                items: try await store.inventoryItems(), engine: try service.engine(), audit: store, last: last)
        } catch {
            printError("cannot report on the inventory in `\(data.data)`: \(error.message)")
            throw WritExit.badInput
        }
        try ReportOutput.write(
            format, to: output, text: { InventoryReportText.render(report) }, json: { report.json() }, html: { report.html })
    }
}
