import ArgumentParser

/// `writ analyze …`: what the policies allow, answered from the policies themselves.
struct AnalyzeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Analyse the organisation's policies: which agent can reach what (docs/ANALYSIS.md).",
        subcommands: [AnalyzeReach.self]
    )
}
