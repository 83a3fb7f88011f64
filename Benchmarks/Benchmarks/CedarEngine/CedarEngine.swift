import Benchmark
import Cedar
import CedarWorkloads

// Wall-clock latency and heap allocations per authorization, on the OOPSLA'24
// workloads and on a synthetic set of 10,000 linked policies, the latter with and
// without the scope index. Each iteration authorizes the next request of the
// workload's mix; building the workload is setup and is not measured.

/// A workload ready to authorize: what one benchmark iteration needs.
struct PreparedWorkload: Sendable {
    let authorizer: Authorizer
    let entities: Entities
    let requests: [Request]

    init(_ name: String, scopeIndex: Bool) throws {
        let workload = try WorkloadCatalog.workload(named: name)
        authorizer = Authorizer(try workload.policySet(), configuration: .init(scopeIndex: scopeIndex))
        entities = workload.entityStore()
        requests = workload.requests
    }

    /// Authorizes the request for iteration `i`, cycling through the mix.
    @inline(__always)
    func authorize(iteration i: Int) -> Response {
        authorizer.authorize(requests[i % requests.count], entities: entities)
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .throughput],
        warmupIterations: 200,
        maxDuration: .seconds(3),
        maxIterations: 1_000_000
    )

    func register(_ benchmarkName: String, workload: String, scopeIndex: Bool = true) {
        Benchmark(benchmarkName) { benchmark, prepared in
            let request = benchmark.currentIteration
            benchmark.startMeasurement()
            blackHole(prepared.authorize(iteration: request))
            benchmark.stopMeasurement()
        } setup: {
            try PreparedWorkload(workload, scopeIndex: scopeIndex)
        }
    }

    for name in WorkloadCatalog.names where name != "synthetic-10k" {
        register(name, workload: name)
    }
    register("synthetic-10k/index", workload: "synthetic-10k", scopeIndex: true)
    register("synthetic-10k/no-index", workload: "synthetic-10k", scopeIndex: false)
}
