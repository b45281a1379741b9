// swift-tools-version:6.0
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "openai-mock",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "openai-mock", targets: ["openai-mock"]),
        .library(name: "OpenAIMock", targets: ["OpenAIMock"]),
        .library(name: "MockHTTP", targets: ["MockHTTP"]),
    ],
    targets: [
        .target(name: "CSystem"),
        .target(name: "MockHTTP", dependencies: ["CSystem"], swiftSettings: strict),
        .target(name: "OpenAIMock", dependencies: ["MockHTTP"], swiftSettings: strict),
        .executableTarget(name: "openai-mock", dependencies: ["OpenAIMock", "MockHTTP", "CSystem"], swiftSettings: strict),
        .testTarget(name: "MockHTTPTests", dependencies: ["MockHTTP", "CSystem"], swiftSettings: strict),
        .testTarget(name: "OpenAIMockTests", dependencies: ["OpenAIMock", "MockHTTP"], swiftSettings: strict),
        .testTarget(name: "CLITests", dependencies: ["openai-mock"], swiftSettings: strict),
        // Learning figures (not run by CI): `swift run -c release LearningBench`.
        .executableTarget(name: "LearningBench", dependencies: ["OpenAIMock"], path: "Tests/Benchmarks/LearningBench",
                          swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
