import ArgumentParser
import Foundation
import WritCore
import WritSQLite

/// `writ analyze reach`: for every agent × resource × checkpoint action, whether the
/// organisation's policies allow it never, only inside a task, under conditions, or
/// always; and the findings a person should look at.
struct AnalyzeReach: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reach",
        abstract: "Which agent can reach which tool, prompt, document and destination, by the organisation's policies.",
        discussion: """
            Reads the policies, schema and entities of a policy directory (--from DIR, as \
            `writ serve --from` loads it) or of a data directory's store (--data DIR), and \
            decides every agent × resource × checkpoint action: never, inside a task only, \
            conditional (naming the conditions) or always. `never` is sound: no request of \
            that triple can be allowed. Then lists the findings: standing access, \
            unreachable resources, policies that can never apply, resources without an \
            owner, agents reaching resources of another owner (docs/ANALYSIS.md). \
            Exits 0 when the analysis was written (findings or not), 1 when the input \
            cannot be read, does not compile, or pairs more triples than --max-triples.
            """
    )

    @Option(help: "A policy directory: *.cedar files, a schema, entities.json (as `writ serve --from` takes).")
    var from: String?

    @Option(help: "A data directory: the policy set and entities its store holds.")
    var data: String?

    @Option(help: "text (a table), json (docs/ANALYSIS.md) or html (one self-contained page with filters).")
    var format: ReportFormat = .text

    @Option(help: "Write to this file instead of standard output.")
    var output: String?

    @Option(help: "The most agent × resource × action triples to analyse.")
    var maxTriples = ReachAnalyzer.Limits().maxTriples

    func validate() throws {
        guard (from == nil) != (data == nil) else { throw ValidationError("give one of --from DIR or --data DIR") }
        guard maxTriples >= 1 else { throw ValidationError("--max-triples must be at least 1") }
    }

    func run() async throws {
        let (engine, inventory) = try await loadEngine()
        let report: ReachReport
        do {
            report = try ReachAnalyzer(engine: engine, limits: .init(maxTriples: maxTriples))
                .analyze(ReachUniverse(engine: engine, inventory: inventory))
        } catch {
            printError("cannot analyze \(source): \(error.message)")
            throw WritExit.badInput
        }
        try ReportOutput.write(
            format, to: output, text: { ReachText.render(report) }, json: { report.json() }, html: { report.html })
    }

    private var source: String { from.map { "`\($0)`" } ?? "the store in `\(data ?? "")`" }

    /// The engine over the policy directory (loaded into a store in memory, its
    /// inventory applied, as `writ serve --from` loads it) or the data directory's
    /// store, and the inventory's items.
    private func loadEngine() async throws -> (PolicyEngine, [InventoryItem]) {
        do {
            if let from {
                let directory = try PolicyDirectory.read(from)
                let service = DecisionService(store: MemoryStore())
                try await service.bootstrap(directory.draft, entities: directory.entities)
                if let inventory = directory.inventory {
                    _ = try await InventoryService(decisions: service).apply(inventory, actor: "analyze")
                }
                return (try service.engine(), try await service.store.inventoryItems())
            }
            let store = try DataOptions.parse(["--data", data ?? DataOptions.defaultDirectory]).existingStore()
            defer { try? store.close() }
            let service = DecisionService(store: store)
            try await service.reload()
            return (try service.engine(), try await store.inventoryItems())
        } catch let error as InputError {
            printError(error.description)
            throw WritExit.badInput
        } catch let error as WritError {
            printError("cannot analyze \(source): \(error.message)")
            for detail in error.details where !error.message.contains(detail.description) {
                FileHandle.standardError.write(Data("  \(detail.description)\n".utf8))
            }
            throw WritExit.badInput
        }
    }
}
