import MockHTTP
import Testing
@testable import OpenAIMock

@Suite struct ScenarioMatcherTests {
    /// Whether a rule with this `when` matches `body` on `path`.
    func matches(_ when: String, _ body: String, path: String = "/v1/chat/completions",
                 headers: HTTPHeaders = HTTPHeaders()) throws -> Bool {
        let result = ScenarioLoader.decode("{rules: [{when: \(when), do: {text: 'x'}}]}")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let rule = try #require(result.set.rules.first)
        return ScenarioMatcher.matches(rule, ScenarioTest.facts(body, path: path, headers: headers))
    }

    let chat = #"{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"system","content":"You are a Restaurant bot."},{"role":"user","content":"Hi"},{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"book_table","arguments":"{\"party_size\":4}"}}]},{"role":"tool","tool_call_id":"c1","content":"ok"},{"role":"user","content":[{"type":"text","text":"Book a TABLE please"}]}],"tools":[{"type":"function","function":{"name":"book_table"}}],"metadata":{"team":"qa"},"n":2}"#

    @Test func endpointByFamilyPathAndMethod() throws {
        #expect(try matches("{endpoint: 'chat'}", chat))
        #expect(try !matches("{endpoint: 'completions'}", chat))
        #expect(try matches("{endpoint: ['embeddings', 'chat']}", chat))
        #expect(try matches("{endpoint: 'POST /v1/chat/*'}", chat))
        #expect(try !matches("{endpoint: 'GET /v1/chat/*'}", chat))
        #expect(try matches("{endpoint: 'models'}", "{}", path: "/v1/models/gpt-4o"))
    }

    @Test func modelExactAndGlob() throws {
        #expect(try matches("{model: 'gpt-4o-mini'}", chat))
        #expect(try !matches("{model: 'gpt-4o'}", chat))
        #expect(try matches("{model: 'gpt-4o*'}", chat))
        #expect(try matches("{model: 'curie:ft-*'}", #"{"model":"curie:ft-acme-2023-03-31"}"#))
        #expect(try matches("{model: ['x', 'ft:*']}", #"{"model":"ft:gpt-4o-mini:acme::abc"}"#))
        #expect(try !matches("{model: 'ft:*'}", #"{"prompt":"no model"}"#))
    }

    @Test func chatMessages() throws {
        #expect(try matches("{last_user_message: {contains: 'table', ignore_case: true}}", chat))
        #expect(try !matches("{last_user_message: {contains: 'table'}}", chat))
        #expect(try matches("{last_user_message: 'Book a TABLE please'}", chat))
        #expect(try matches("{any_message: 'Hi'}", chat))
        #expect(try !matches("{last_user_message: 'Hi'}", chat))
        #expect(try matches("{system_prompt: {prefix: 'You are'}}", chat))
        #expect(try matches("{system_prompt: {regex: 'restaurant\\\\s+BOT', ignore_case: true}}", chat))
        #expect(try matches("{message_count: 5, turn: 2}", chat))
        #expect(try matches("{turn: {min: 2, max: 3}}", chat))
        #expect(try !matches("{turn: {max: 1}}", chat))
    }

    @Test func toolsAndToolResults() throws {
        #expect(try matches("{has_tools: true, has_tool_result: true, tool: 'book_table'}", chat))
        #expect(try !matches("{tool: 'cancel_booking'}", chat))
        #expect(try matches("{has_tools: false, has_tool_result: false}", ScenarioTest.chat("hi")))
        let facts = ScenarioTest.facts(chat)
        #expect(facts.toolArguments["party_size"] == 4)
    }

    @Test func promptAndInput() throws {
        #expect(try matches("{prompt: {suffix: '\\n\\n###\\n\\n'}}", #"{"prompt":["a","Apple Inc.\n\n###\n\n"]}"#, path: "/v1/completions"))
        #expect(try matches("{prompt: {equals: '宋,发射激光,艰难 ->\\n'}}", #"{"prompt":"宋,发射激光,艰难 ->\n"}"#))
        #expect(try matches("{input: {contains: 'apples'}}", #"{"input":["pears","I like apples"]}"#, path: "/v1/embeddings"))
        #expect(try matches("{input: {contains: 'kill'}}", #"{"input":[{"type":"text","text":"kill it"}]}"#))
        #expect(try !matches("{input: 'x'}", #"{"input":[1,2,3]}"#))
    }

    @Test func headersAndStream() throws {
        var h = HTTPHeaders()
        h.add("X-Scenario", "Flaky")
        #expect(try matches("{headers: {'x-scenario': {equals: 'flaky', ignore_case: true}}}", chat, headers: h))
        #expect(try !matches("{headers: {'x-other': 'Flaky'}}", chat, headers: h))
        #expect(try matches("{stream: true}", chat))
        #expect(try !matches("{stream: false}", chat))
    }

    @Test func bodyFieldsByPath() throws {
        #expect(try matches("{body: {'metadata.team': 'qa', n: 2}}", chat))
        #expect(try matches("{body: {'messages[0].role': 'system', 'messages[-1].role': 'user'}}", chat))
        #expect(try matches("{body: {'tools[0].function.name': {prefix: 'book'}}}", chat))
        #expect(try matches("{body: {temperature: {exists: false}, 'metadata': {exists: true}}}", chat))
        #expect(try matches("{body: {metadata: {equals: {team: 'qa'}}}}", chat))
        #expect(try !matches("{body: {n: 3}}", chat))
    }

    @Test func globs() {
        #expect(Glob("a*c").matches("abbbc"))
        #expect(Glob("a?c").matches("abc"))
        #expect(!Glob("a?c").matches("ac"))
        #expect(Glob("*").matches(""))
        #expect(Glob("ft:*:acme*").matches("ft:gpt-4o:acme::x"))
        #expect(!Glob("curie:ft-*").matches("davinci:ft-x"))
    }

    @Test func strictExplanationNamesTheFailingCondition() throws {
        let rules = ScenarioTest.rules("""
        {rules: [
          {when: {endpoint: 'embeddings'}, do: {text: 'a'}},
          {name: 'booking', when: {endpoint: 'chat', model: 'gpt-4o-mini', last_user_message: {contains: 'book'}}, do: {text: 'b'}},
        ]}
        """)
        let why = ScenarioMatcher.nearest(rules, ScenarioTest.facts(ScenarioTest.chat("hello")), exhausted: { _ in false })
        #expect(why == #"<inline>:3 ("booking") — last_user_message should contain "book", got "hello""#)
    }
}
