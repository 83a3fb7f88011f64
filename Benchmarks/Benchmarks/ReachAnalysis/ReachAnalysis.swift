import Benchmark
import Cedar
import ReachSamples
import WritCore

// Wall-clock time of `writ analyze reach` in process: the reach analysis of a generated
// deployment of 1,000 tools × 50 agents × 500 policies (`ReachSample.large`, seed 2024:
// 50,350 agent × resource × action triples). Generating the sample and loading it into
// an engine (parsing, validation, entities) is setup; each iteration compiles the
// policies for analysis, builds the universe and decides every triple with its findings.
// The target is under 10 s.

/// The large sample's policies compiled and validated, and its entities read with the
/// schema (the schema's actions and their groups added), as an engine holds them.
struct PreparedReach: Sendable {
    let policies: CompiledPolicySet
    let entities: Entities

    init() throws {
        let sample = ReachSample(.large, seed: 2024)
        policies = try PolicySetCompiler.compile(
            files: [SourceFile(name: "org.cedar", text: sample.policies)],
            schema: SchemaSource(format: .cedar, file: SourceFile(name: "sample.cedarschema", text: sample.schema)))
        entities = try EntityJSON.parseEntities(sample.entities, schema: policies.schema!)
    }

    func analyze() throws -> ReachReport {
        let analyzer = ReachAnalyzer(
            policies: policies.policies, approvable: Set(policies.approvable.keys), entities: entities)
        return try analyzer.analyze(ReachUniverse(entities: entities, schema: policies.schema))
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .peakMemoryResident],
        warmupIterations: 1,
        maxDuration: .seconds(60),
        maxIterations: 5
    )

    Benchmark("reach/1000-tools-50-agents-500-policies") { benchmark, prepared in
        benchmark.startMeasurement()
        blackHole(try prepared.analyze())
        benchmark.stopMeasurement()
    } setup: {
        try PreparedReach()
    }
}
