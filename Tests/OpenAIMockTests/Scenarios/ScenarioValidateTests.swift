import Foundation
import Testing
@testable import OpenAIMock

/// One test per class of problem `validate` reports, each with its position.
@Suite struct ScenarioValidateTests {
    @Test func syntaxError() {
        let d = ScenarioTest.diagnostics("{rules: [\n  {when: {model: 'x'} do: {text: 'y'}},\n]}")
        #expect(d.count == 1)
        #expect(d.first?.kind == .syntax)
        #expect(d.first?.description == "t.json5:2:23: error: Expected ',' or '}' after the value of 'when', found character 'd'")
    }

    @Test func unknownKeySuggestsTheNearestOne() {
        let d = ScenarioTest.diagnostics("{rules: [\n  {when: {last_user_mesage: 'hi'}, do: {txt: 'y', text: 'z'}},\n]}")
        #expect(d.map(\.kind) == [.unknownKey, .unknownKey])
        #expect(d.first?.description == "t.json5:2:11: error: Unknown key 'last_user_mesage' in 'when'; did you mean 'last_user_message'?")
        #expect(d.last?.location.column == 41)
        #expect(d.last?.message.contains("did you mean 'text'?") == true)
    }

    @Test func badRegex() {
        let d = ScenarioTest.diagnostics("{rules: [{when: {last_user_message: {regex: '(unclosed'}}, do: {text: 'y'}}]}")
        #expect(d.count == 1)
        #expect(d.first?.kind == .badRegex)
        #expect(d.first?.location.column == 45)
        #expect(d.first?.message.hasPrefix(#"Invalid regex "(unclosed" in 'last_user_message': "#) == true)
    }

    @Test func missingSideFile() throws {
        let dir = try ScenarioDir(["s.json5": "{rules: [{do: {text_file: 'stories/none.txt'}}]}"])
        let result = ScenarioLoader.load(paths: [dir.path])
        #expect(result.diagnostics.map(\.kind) == [.missingFile])
        #expect(result.diagnostics.first?.location.file == dir.file("s.json5"))
        #expect(result.diagnostics.first?.location.column == 27)
        #expect(!result.succeeded)
    }

    @Test func shadowedRule() {
        let d = ScenarioTest.diagnostics("""
        {rules: [
          {when: {endpoint: 'chat', last_user_message: {contains: 'book'}}, times: 2, do: {text: 'a'}},
          {when: {endpoint: 'chat', last_user_message: {contains: 'book'}}, do: {text: 'b'}},
          {when: {endpoint: 'chat', last_user_message: {contains: 'book a table'}, model: 'gpt-4o'}, do: {text: 'c'}},
          {when: {last_user_message: {contains: 'cancel'}}, do: {text: 'd'}},
        ]}
        """)
        #expect(d.count == 1)
        #expect(d.first?.kind == .shadowed)
        #expect(d.first?.severity == .warning)
        #expect(d.first?.location.line == 4)
        #expect(d.first?.message.contains("t.json5:3") == true)
    }

    @Test func ruleWithoutWhenShadowsEverythingAfterIt() {
        let d = ScenarioTest.diagnostics("{rules: [{do: {text: 'a'}}, {when: {model: 'x'}, do: {text: 'b'}}]}")
        #expect(d.map(\.kind) == [.shadowed])
        #expect(d.first?.message.contains("has no 'when'") == true)
    }

    @Test func otherValueErrors() {
        let d = ScenarioTest.diagnostics("""
        {rules: [
          {when: {turn: 'two', endpoint: 'chats'}, do: {text: '{{last_usr}}', fault: {status: 429}}},
          {times: 0, do: {finish_reason: 'done', stream: {cut_after: 1, drop_after: 2}}},
          {when: {model: 'x'}},
        ]}
        """)
        let kinds = d.map(\.kind)
        #expect(kinds.contains(.badTemplate))
        #expect(kinds.filter { $0 == .invalidValue }.count >= 5)
        #expect(d.contains { $0.message.hasPrefix("Unknown endpoint 'chats'") })
        #expect(d.contains { $0.message.hasPrefix("Missing 'do'") && $0.location.line == 4 })
    }

    @Test func cleanFileHasNoDiagnostics() {
        let d = ScenarioTest.diagnostics("""
        {
          $schema: './scenario.schema.json',
          models: ['curie:ft-acme-2023', {id: 'ft:gpt-4o-mini:acme::x', owned_by: 'acme'}],
          rules: [
            {when: {endpoint: 'chat', tool: 'book_table', has_tool_result: true},
             do: {text: 'Booked for {{tool_args.party_size}}.'}},
            {when: {endpoint: 'chat'}, do: [{fault: {status: 429, headers: {'retry-after-ms': 10}}}, {text: 'ok'}]},
          ],
        }
        """)
        #expect(d.isEmpty, "\(d)")
    }
}
