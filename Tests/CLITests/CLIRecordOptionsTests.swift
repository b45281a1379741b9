import Testing
@testable import MockCLI

@Suite struct CLIRecordOptionsTests {
    @Test func recordTakesUpstreamOutRedactAndServeOptions() throws {
        let o = try CLIOptions.parse(["record", "--upstream", "https://api.openai.com/v1", "--out", "rec", "--redact", "x-team",
                                      "--port", "0"])
        #expect(o.command == .record)
        #expect(o.record.upstream == "https://api.openai.com/v1")
        #expect(o.record.out == "rec")
        #expect(o.record.redact == ["x-team"])
        #expect(o.port == 0)
        // The subcommand may follow options (as test harnesses that put --port first write it).
        #expect(try CLIOptions.parse(["--port", "0", "record", "--upstream", "http://h", "--out", "d"]).command == .record)
    }

    @Test func recordNeedsUpstreamAndOutAndServeRefusesThem() {
        #expect(throws: CLIOptions.UsageError.self) { try CLIOptions.parse(["record", "--out", "d"]) }
        #expect(throws: CLIOptions.UsageError.self) { try CLIOptions.parse(["record", "--upstream", "ftp://x", "--out", "d"]) }
        #expect(throws: CLIOptions.UsageError.self) { try CLIOptions.parse(["record", "--upstream", "http://x"]) }
        #expect(throws: CLIOptions.UsageError.self) { try CLIOptions.parse(["serve", "--out", "d"]) }
    }

    @Test func upstreamCAIsForAnHTTPSRecordOnly() throws {
        let o = try CLIOptions.parse(["record", "--upstream", "https://127.0.0.1:8443", "--out", "d", "--upstream-ca", "ca.pem"])
        #expect(o.record.upstreamCA == "ca.pem")
        #expect(throws: CLIOptions.UsageError(description: "--upstream-ca needs an https:// --upstream.")) {
            try CLIOptions.parse(["record", "--upstream", "http://127.0.0.1:8080", "--out", "d", "--upstream-ca", "ca.pem"])
        }
        #expect(throws: CLIOptions.UsageError.self) { try CLIOptions.parse(["serve", "--upstream-ca", "ca.pem"]) }
        #expect(throws: CLIOptions.UsageError.self) { try CLIOptions.parse(["record", "--upstream", "https://h", "--out", "d", "--upstream-ca"]) }
    }

    @Test func replaySpeed() throws {
        #expect(try CLIOptions.parse([]).configuration.replaySpeed == 1)
        #expect(try CLIOptions.parse(["--replay-speed", "instant"]).configuration.replaySpeed == nil)
        #expect(try CLIOptions.parse(["--replay-speed", "recorded"]).configuration.replaySpeed == 1)
        #expect(try CLIOptions.parse(["--replay-speed", "4"]).configuration.replaySpeed == 4)
        #expect(throws: CLIOptions.UsageError.self) { try CLIOptions.parse(["--replay-speed", "0"]) }
    }
}
