// swift-tools-version:6.1
import PackageDescription

// Performance measurement for Writ's Cedar engine and task credentials, kept out
// of the main package so that its dependencies (the benchmark harness and its
// malloc interposer) never reach Writ's users. Build and run in release mode; see README.md.

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "WritBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Writ", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
    ],
    targets: [
        // The workloads: the OOPSLA'24 policy sets with generated entity stores and
        // request mixes, and a synthetic 10,000-policy set. Seeded and deterministic.
        .target(
            name: "CedarWorkloads",
            dependencies: [.product(name: "Cedar", package: "Writ")],
            swiftSettings: strictSettings
        ),
        // Exports the workloads for Rust Cedar and times Writ on them in-process.
        .executableTarget(
            name: "cedar-workload",
            dependencies: [
                "CedarWorkloads",
                .product(name: "Cedar", package: "Writ"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        // Writes a generated deployment for timing `writ analyze reach --from DIR`.
        .executableTarget(
            name: "reach-sample",
            dependencies: [
                .product(name: "ReachSamples", package: "Writ"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        // The trivial Hummingbird JSON endpoint http/run_wrk.sh compares `writ serve` with.
        .executableTarget(
            name: "http-baseline",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")],
            swiftSettings: strictSettings
        ),
        // `swift package benchmark`: latency percentiles and malloc counts per authorization.
        .executableTarget(
            name: "CedarEngine",
            dependencies: [
                "CedarWorkloads",
                .product(name: "Cedar", package: "Writ"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/CedarEngine",
            swiftSettings: strictSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // `swift package benchmark --target TaskCredentials`: verifying task credentials,
        // with and without the key ring's cache of verified tokens.
        .executableTarget(
            name: "TaskCredentials",
            dependencies: [
                .product(name: "WritCore", package: "Writ"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/TaskCredentials",
            swiftSettings: strictSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // `swift package benchmark --target Decisions`: whole AuthZEN decisions in process,
        // and what deciding inside a task adds.
        .executableTarget(
            name: "Decisions",
            dependencies: [
                .product(name: "Cedar", package: "Writ"),
                .product(name: "WritCore", package: "Writ"),
                .product(name: "WritSQLite", package: "Writ"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/Decisions",
            swiftSettings: strictSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // `swift package benchmark --target ReachAnalysis`: `writ analyze reach` on a
        // generated 1,000 tools × 50 agents × 500 policies.
        .executableTarget(
            name: "ReachAnalysis",
            dependencies: [
                .product(name: "ReachSamples", package: "Writ"),
                .product(name: "Cedar", package: "Writ"),
                .product(name: "WritCore", package: "Writ"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/ReachAnalysis",
            swiftSettings: strictSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
