// swift-tools-version:6.0
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("NonisolatedNonsendingByDefault"),
]

let package = Package(
    name: "openai-mock",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "openai-mock", targets: ["openai-mock"]),
        .executable(name: "openai-mock-record", targets: ["openai-mock-record"]),
        .library(name: "OpenAIMock", targets: ["OpenAIMock"]),
        .library(name: "MockHTTP", targets: ["MockHTTP"]),
        .library(name: "OpenAIMockURLProtocol", targets: ["OpenAIMockURLProtocol"]),
    ],
    targets: [
        .target(name: "CSystem"),
        .target(name: "MockHTTP", dependencies: ["CSystem"], swiftSettings: strict),
        .target(name: "OpenAIMock", dependencies: ["MockHTTP"], swiftSettings: strict),
        // The command line, shared by the serving binary and the recording one (Foundation-free).
        .target(name: "MockCLI", dependencies: ["OpenAIMock", "MockHTTP", "CSystem"], swiftSettings: strict),
        .executableTarget(name: "openai-mock", dependencies: ["MockCLI"], swiftSettings: strict),
        // `record`'s upstream client: URLSession (FoundationNetworking on Linux), kept out of `openai-mock`.
        .target(name: "OpenAIMockRecording", dependencies: ["OpenAIMock", "CUpstreamCA"], swiftSettings: strict),
        // `record --upstream-ca` on Linux: sets libcurl's CA file under FoundationNetworking (see its header).
        .target(name: "CUpstreamCA", linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]),
        // `--export-dynamic-symbol`: CUpstreamCA's `curl_easy_setopt` must be in the dynamic symbol table to be found
        // before libcurl's (the only unsafe flag; on an executable, so no library product carries it).
        .executableTarget(name: "openai-mock-record", dependencies: ["MockCLI", "OpenAIMockRecording"], swiftSettings: strict,
                          linkerSettings: [.unsafeFlags(["-Xlinker", "--export-dynamic-symbol=curl_easy_setopt"], .when(platforms: [.linux]))]),
        // A URLProtocol answering URLSession requests with the engine, no socket (needs Foundation).
        .target(name: "OpenAIMockURLProtocol", dependencies: ["OpenAIMock", "MockHTTP"], swiftSettings: strict),
        .testTarget(name: "MockHTTPTests", dependencies: ["MockHTTP", "CSystem"], swiftSettings: strict),
        .testTarget(name: "OpenAIMockTests", dependencies: ["OpenAIMock", "MockHTTP"], swiftSettings: strict),
        .testTarget(name: "CLITests", dependencies: ["MockCLI"], swiftSettings: strict),
        .testTarget(name: "SwiftAPITests", dependencies: ["OpenAIMock", "OpenAIMockURLProtocol", "MockHTTP"], swiftSettings: strict),
        // Learning figures (not run by CI): `swift run -c release LearningBench`.
        .executableTarget(name: "LearningBench", dependencies: ["OpenAIMock"], path: "Tests/Benchmarks/LearningBench",
                          swiftSettings: strict),
        // The engine's per-request CPU without sockets (not run by CI): `swift run -c release EngineBench`.
        .executableTarget(name: "EngineBench", dependencies: ["OpenAIMock", "MockHTTP"], path: "Tests/Benchmarks/EngineBench",
                          swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)

// libFuzzer targets, one per directory `Tests/Fuzz/NAME/` (a `@main` that calls `Fuzz.run`, a seed
// `corpus/` and a `fuzz.dict`). Built only by `Tests/Fuzz/run`, which sets OPENAI_MOCK_FUZZ=1 and the
// sanitizer flags in its own scratch path; ordinary builds do not see them. Adding a target: its
// directory and one line here.
let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
    ("http", ["MockHTTP"]),
    ("json", ["OpenAIMock"]),
    ("json5", ["OpenAIMock"]),
    ("schema", ["OpenAIMock"]),
    ("regex", ["OpenAIMock"]),
    ("multipart", ["OpenAIMock"]),
]
if Context.environment["OPENAI_MOCK_FUZZ"] == "1" {
    package.targets.append(.target(name: "FuzzSupport", path: "Tests/Fuzz/Support", swiftSettings: strict))
    for target in fuzzTargets {
        package.targets.append(.executableTarget(name: "fuzz-\(target.name)", dependencies: target.dependencies + ["FuzzSupport"],
                                                 path: "Tests/Fuzz/\(target.name)", exclude: ["corpus", "fuzz.dict"],
                                                 swiftSettings: strict))
    }
}
