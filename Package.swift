// swift-tools-version:6.1
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Writ",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Cedar", targets: ["Cedar"]),
        .library(name: "WritCore", targets: ["WritCore"]),
        .library(name: "WritSQLite", targets: ["WritSQLite"]),
        .library(name: "WritHTTP", targets: ["WritHTTP"]),
        .library(name: "WritMCP", targets: ["WritMCP"]),
        .executable(name: "writ", targets: ["writ"]),
        // Generated deployments for testing and timing reach analysis (tests, Benchmarks/).
        .library(name: "ReachSamples", targets: ["ReachSamples"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        // YAML inventory files (`writ inventory apply`); used by the `writ` target only.
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        // Listing an MCP server's tools (`writ inventory import --mcp`); used by the `writ` target only.
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk.git", from: "0.12.1"),
        // Already in the graph through swift-sdk: its stdio transport takes `FileDescriptor`s.
        .package(url: "https://github.com/apple/swift-system.git", from: "1.6.0"),
    ],
    targets: [
        // Starting child processes without Foundation's `Process` (see ChildProcess.swift).
        .target(name: "CSpawn"),
        .target(
            name: "WritProcess",
            dependencies: ["CSpawn"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Cedar",
            swiftSettings: strictSettings
        ),
        .target(
            name: "CedarConformance",
            dependencies: ["Cedar", "WritProcess"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "WritCore",
            dependencies: [
                "Cedar",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "WritStoreConformance",
            dependencies: ["WritCore"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "ReachSamples",
            dependencies: ["Cedar", "WritCore"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "WritSQLite",
            dependencies: [
                "WritCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C API under GRDB, for the statements of a decision's write (SQLiteDirect).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "WritHTTP",
            dependencies: [
                "Cedar",
                "WritCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "WritMCP",
            dependencies: [
                "Cedar",
                "WritCore",
                "WritProcess",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Logging", package: "swift-log"),
                // The agent's Streamable HTTP endpoint (`writ gateway --listen`).
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                // The remote decider's client of `writ serve`, and HTTP upstreams.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "writ",
            dependencies: [
                "Cedar",
                "CedarConformance",
                "WritCore",
                "WritProcess",
                "WritSQLite",
                "WritHTTP",
                "WritMCP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // The HTTP client of `writ task --server`.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSettings
        ),
        // Scratch directories for the tests, removed when the test process exits.
        .target(
            name: "WritTestSupport",
            path: "Tests/WritTestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WritProcessTests",
            dependencies: ["WritProcess"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CedarTests",
            dependencies: ["Cedar", "CedarConformance", "WritProcess", "WritTestSupport"],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WritCoreTests",
            dependencies: [
                "WritCore",
                "WritStoreConformance",
                "WritTestSupport",
                "ReachSamples",
                // Only to forge hostile tokens (HS256 with the public key, attacker keys).
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WritSQLiteTests",
            dependencies: [
                "WritSQLite",
                "WritStoreConformance",
                "WritTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WritHTTPTests",
            dependencies: [
                "Cedar",
                "WritHTTP",
                "WritSQLite",
                "WritTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WritMCPTests",
            dependencies: [
                "WritMCP", "WritCore", "WritProcess", "WritTestSupport", .product(name: "MCP", package: "swift-sdk"),
                // Raw requests to the gateway's HTTP endpoint (hostile input).
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WritCLITests",
            dependencies: ["writ", "WritCore", "WritProcess", "WritSQLite", "WritTestSupport", "ReachSamples", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
