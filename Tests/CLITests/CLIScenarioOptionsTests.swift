import Foundation
import Testing
@testable import OpenAIMock
@testable import MockCLI

@Suite struct CLIScenarioOptionsTests {
    @Test func strictAndChaosReachTheConfiguration() throws {
        let o = try CLIOptions.parse(["--scenarios", "scenarios/", "--strict", "--chaos", "0.25", "--seed", "9"])
        #expect(o.strict && o.chaos == 0.25)
        let c = o.configuration
        #expect(c.strict && c.chaos == 0.25 && c.seed == 9 && c.scenarioPaths == ["scenarios/"])
        #expect(try CLIOptions.parse(["--chaos=1"]).chaos == 1)
        #expect(try !CLIOptions.parse([]).configuration.strict)
    }

    @Test(arguments: [["--chaos"], ["--chaos", "1.5"], ["--chaos", "-0.1"], ["--chaos", "x"], ["validate"],
                      ["validate", "--bogus", "a"]])
    func usageErrors(_ args: [String]) {
        #expect(throws: CLIOptions.UsageError.self) { try CLIOptions.parse(args) }
    }

    @Test func validateSubcommandTakesPaths() throws {
        #expect(try CLIOptions.parse(["validate", "a.json5", "dir/"]).command == .validate(["a.json5", "dir/"]))
        #expect(try CLIOptions.parse(["validate", "--help"]).command == .help)
        #expect(CLIOptions.usage.contains("validate <path>..."))
        #expect(CLIOptions.usage.contains("--strict") && CLIOptions.usage.contains("--chaos <rate>"))
    }

    @Test func validateReportFormat() throws {
        let clean = ScenarioLoader.decode("{rules: [{do: {text: 'x'}}]}", file: "a.json5")
        #expect(Validate.report(clean) == "1 file, 1 rule: ok\n")
        let bad = ScenarioLoader.decode("{rules: [{do: {txet: 'x'}}]}", file: "b.json5")
        #expect(Validate.report(bad) == """
            b.json5:1:16: error: Unknown key 'txet' in an action ('do'); did you mean 'text'?
            1 file, 0 rules: 1 error, 0 warnings

            """)
    }
}
