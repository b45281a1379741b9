import Testing
@testable import MockCLI

@Suite struct CLIOptionsTests {
    @Test func defaultsServeOn4010() throws {
        let o = try CLIOptions.parse([])
        #expect(o.command == .serve)
        #expect(o.host == "127.0.0.1")
        #expect(o.port == 4010)
        #expect(o.log == .text)
    }

    @Test func parsesEveryOption() throws {
        let o = try CLIOptions.parse(["serve", "--host", "0.0.0.0", "--port=0", "--port-file", "/tmp/p",
                                      "--scenarios", "a", "--scenarios", "b", "--seed", "7", "--api-key", "k1",
                                      "--api-key", "k2", "--log", "json", "--max-body-bytes", "1000",
                                      "--event-loops", "3"])
        #expect(o.host == "0.0.0.0")
        #expect(o.port == 0)
        #expect(o.portFile == "/tmp/p")
        #expect(o.scenarios == ["a", "b"])
        #expect(o.seed == 7)
        #expect(o.apiKeys == ["k1", "k2"])
        #expect(o.log == .json)
        #expect(o.maxBodyBytes == 1000)
        #expect(o.eventLoops == 3)
        #expect(o.configuration.apiKeys == ["k1", "k2"])
    }

    @Test func clockModes() throws {
        #expect(try CLIOptions.parse([]).configuration.clock == .fixed(1_717_200_000))
        #expect(try CLIOptions.parse(["--clock", "real"]).clock == .real)
        #expect(try CLIOptions.parse(["--clock", "fixed:2024-01-01T00:00:00Z"]).clock == .fixed(1_704_067_200))
        #expect(try CLIOptions.parse(["--clock=fixed:42"]).clock == .fixed(42))
        #expect(throws: CLIOptions.UsageError.self) { try CLIOptions.parse(["--clock", "tomorrow"]) }
    }

    @Test func helpAndVersion() throws {
        #expect(try CLIOptions.parse(["--help"]).command == .help)
        #expect(try CLIOptions.parse(["-h"]).command == .help)
        #expect(try CLIOptions.parse(["--version"]).command == .version)
    }

    @Test(arguments: [["--port"], ["--port", "70000"], ["--port", "x"], ["--log", "xml"], ["--bogus"],
                      ["frobnicate"], ["--seed", "1.5"], ["--api-key", ""], ["--event-loops", "0"]])
    func usageErrors(_ args: [String]) {
        #expect(throws: CLIOptions.UsageError.self) { try CLIOptions.parse(args) }
    }
}
