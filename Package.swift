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
        .executable(name: "writ", targets: ["writ"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    ],
    targets: [
        .target(
            name: "Cedar",
            swiftSettings: strictSettings
        ),
        .target(
            name: "CedarConformance",
            dependencies: ["Cedar"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "writ",
            dependencies: [
                "Cedar",
                "CedarConformance",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CedarTests",
            dependencies: ["Cedar", "CedarConformance"],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WritCLITests",
            dependencies: ["writ"],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
