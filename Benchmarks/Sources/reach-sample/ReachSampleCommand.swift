import ArgumentParser
import ReachSamples

/// Writes a generated deployment as a policy directory, for timing
/// `writ analyze reach --from DIR` (Benchmarks/README.md, "Reach analysis").
@main
struct ReachSampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reach-sample",
        abstract: "Write a generated deployment (org.cedar, sample.cedarschema, entities.json) to a directory.")

    @Argument(help: "The directory to write to (created when missing).")
    var directory: String

    @Option(help: "Tools.") var tools = ReachSample.Size.large.tools
    @Option(help: "Agents.") var agents = ReachSample.Size.large.agents
    @Option(help: "Policies.") var policies = ReachSample.Size.large.policies
    @Option(help: "The seed.") var seed: UInt64 = 2024

    func run() throws {
        try ReachSample(.init(tools: tools, agents: agents, policies: policies), seed: seed).write(to: directory)
    }
}
