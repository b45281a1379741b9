import Foundation
import MockHTTP
import Testing
@testable import OpenAIMock

/// Scenario files that used to trap, hang or split responses: each is now a diagnostic with its
/// position, and a running server keeps its rules.
@Suite struct HostileScenarioTests {
    @Test(arguments: [#"'\uD800\u0041'"#, #"'\uD800\uD800'"#, #"'\uDC00'"#, #"'\uD800'"#])
    func brokenSurrogatesAreSyntaxErrors(_ literal: String) {
        let d = ScenarioTest.diagnostics("{rules: [{do: {text: \(literal)}}]}")
        #expect(d.map(\.kind) == [.syntax])
        #expect(d.first?.message.contains("surrogate") == true)
        #expect(d.first?.location.line == 1)
    }

    @Test func columnsOnALongLineCountScalars() {
        var text = "{rules: ["
        for i in 0..<2_000 { text += "{when: {last_user_message: '中文 \(i)'}, do: {text: 'é'}}, " }
        let prefix = text
        text += "{bad: 1, do: {text: 'x'}}]}"
        let d = ScenarioTest.diagnostics(text)
        #expect(d.map(\.kind) == [.unknownKey])
        #expect(d.first?.location.column == prefix.unicodeScalars.count + 2)
    }

    @Test func sideFilesMustBeSmallRegularFiles() throws {
        let dir = try ScenarioDir(["big.txt": String(repeating: "x", count: ScenarioFiles.maxFileBytes + 1)])
        #expect(mkfifo(dir.file("fifo.txt"), 0o600) == 0)
        for (file, problem) in [("/dev/zero", "is not a regular file"), ("fifo.txt", "is not a regular file"),
                                ("big.txt", "is larger than 8 MiB"), ("none.txt", "not found")] {
            try dir.write("s.json5", "{rules: [{do: {text_file: '\(file)'}}]}")
            let result = ScenarioLoader.load(paths: [dir.file("s.json5")])
            #expect(result.diagnostics.map(\.kind) == [.missingFile], "\(file)")
            #expect(result.diagnostics.first?.message.contains(problem) == true, "\(file): \(result.diagnostics)")
            #expect(result.diagnostics.first?.location.column == 27)
        }
    }

    @Test func scenarioFilesMustBeRegularToo() throws {
        let dir = try ScenarioDir()
        try FileManager.default.createSymbolicLink(atPath: dir.file("zero.json"), withDestinationPath: "/dev/zero")
        let result = ScenarioLoader.load(paths: [dir.path])
        #expect(result.diagnostics.map(\.kind) == [.io])
        #expect(result.diagnostics.first?.message == "The file is not a regular file")
    }

    @Test func headersThatCouldSplitAResponseAreRejected() {
        let d = ScenarioTest.diagnostics("""
        {rules: [{do: {fault: {status: 429, headers: {
          'x-a': 'one\\r\\nSet-Cookie: stolen=1',
          'bad name': 'v',
          'x-b': 'tab\\tis fine',
        }}}}]}
        """)
        #expect(d.map(\.kind) == [.invalidValue, .invalidValue])
        #expect(d.first?.message.contains("line break or control character") == true)
        #expect(d.first?.location.line == 2 && d.first?.location.column == 10)
        #expect(d.last?.message.hasPrefix(#"Header name "bad name" is not a valid HTTP field name"#) == true)
        #expect(d.last?.location.line == 3 && d.last?.location.column == 3)
    }

    @Test(arguments: [(#"(a)\\1"#, "backreferences"), (#"(?=x)"#, "lookahead"), (#"a{5000}"#, "above 1000")])
    func regexesThatCannotRunInLinearTimeAreRejectedAtLoad(_ pattern: String, _ reason: String) {
        let d = ScenarioTest.diagnostics("{rules: [{when: {any_message: {regex: '\(pattern)'}}, do: {text: 'y'}}]}")
        #expect(d.map(\.kind) == [.badRegex])
        #expect(d.first?.location.column == 39)
        #expect(d.first?.message.contains(reason) == true, "\(d)")
    }

    /// Two requests like this used to take every worker for minutes.
    @Test func catastrophicRuleRegexAnswersAtOnce() async throws {
        let (client, _dir) = try ScenarioTest.client("{rules: [{when: {last_user_message: {regex: '^(a+)+$'}}, do: {text: 'matched'}}]}")
        _ = _dir
        let evil = await client.send("POST", "/v1/chat/completions",
                                     json: ScenarioTest.chat(String(repeating: "a", count: 50_000) + "b"))
        #expect(evil.status == 200)
        #expect(evil.json?["choices"]?[0]?["message"]?["content"] != "matched")
        let good = await client.send("POST", "/v1/chat/completions", json: ScenarioTest.chat(String(repeating: "a", count: 50_000)))
        #expect(good.json?["choices"]?[0]?["message"]?["content"] == "matched")
    }

    @Test func reloadOfAFileThatUsedToTrapKeepsTheRules() async throws {
        let (client, dir) = try ScenarioTest.client("{rules: [{do: {text: 'old'}}]}")
        try dir.write("s.json5", #"{rules: [{do: {text: '\uD800\u0041'}}]}"#)
        let reload = await client.send("POST", "/_mock/scenarios/reload")
        #expect(reload.status == 400)
        #expect(reload.json?.error?["code"] == "scenario_reload_failed")
        let r = await client.send("POST", "/v1/chat/completions", json: ScenarioTest.chat("hi"))
        #expect(r.json?["choices"]?[0]?["message"]?["content"] == "old")
    }

    @Test func strictExplanationsMaskCredentials() async throws {
        let (client, _dir) = try ScenarioTest.client(
            "{rules: [{when: {endpoint: 'chat', headers: {authorization: 'Bearer sk-expected'}}, do: {text: 'x'}}]}", strict: true)
        _ = _dir
        let r = await client.send("POST", "/v1/chat/completions", json: ScenarioTest.chat("hi"), key: "sk-live-1234567890abcdef")
        #expect(r.status == 404)
        let message = r.json?.error?["message"]?.stringValue ?? ""
        #expect(message.contains(#"got "Bearer sk-li***ef""#), "\(message)")
        #expect(!message.contains("1234567890"))
    }
}
