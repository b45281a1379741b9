import MockHTTP
import Testing
@testable import OpenAIMock

@Suite struct ChatToolsTests {
    let client = TestClient()

    static let weatherSchema = #"{"type":"object","properties":{"city":{"type":"string"},"unit":{"type":"string","enum":["celsius","fahrenheit"]},"days":{"type":"integer","minimum":1,"maximum":7},"when":{"type":"string","format":"date-time"},"contact":{"type":"object","properties":{"email":{"type":"string","format":"email"},"tags":{"type":"array","items":{"type":"string"},"minItems":1,"maxItems":3}},"required":["email","tags"],"additionalProperties":false},"kind":{"const":"forecast"}},"required":["city","unit","days","when","contact","kind"],"additionalProperties":false}"#
    static let tools = #"[{"type":"function","function":{"name":"get_weather","description":"Get the weather for a city","strict":true,"parameters":\#(weatherSchema)}},{"type":"function","function":{"name":"get_stock_price","description":"Latest stock price for a ticker","parameters":{"type":"object","properties":{"ticker":{"type":"string"}},"required":["ticker"]}}}]"#

    func ask(_ text: String, extra: String = "") async -> JSONValue? {
        await client.chat(#"{"model":"gpt-4o","tools":\#(Self.tools)\#(extra),"messages":[{"role":"user","content":"\#(text)"}]}"#).json
    }

    @Test func mentionedToolIsCalledWithSchemaValidArguments() async throws {
        let j = try #require(await ask("What's the weather in Paris?"))
        let choice = try #require(j["choices"]?[0])
        #expect(choice["finish_reason"] == "tool_calls")
        let message = try #require(choice["message"])
        #expect(message.objectValue?.keys == ["role", "content", "tool_calls", "refusal", "annotations"])
        #expect(message["content"] == .null)
        let calls = try #require(message["tool_calls"]?.arrayValue)
        #expect(calls.count == 1)
        let call = calls[0]
        #expect(call.objectValue?.keys == ["id", "type", "function"])
        #expect(call["id"]?.stringValue?.hasPrefix("call_") == true)
        #expect(call["type"] == "function")
        #expect(call["function"]?["name"] == "get_weather")
        let args = try JSONValue.parse(Array(try #require(call["function"]?["arguments"]?.stringValue).utf8))
        let schema = try JSONValue.parse(Array(Self.weatherSchema.utf8))
        #expect(SchemaValidator(schema: schema).validate(args).isEmpty, "\(args.jsonString)")
        #expect(args["city"] == "Paris")
        // Deterministic.
        #expect(try #require(await ask("What's the weather in Paris?")) == j)
    }

    @Test func parallelToolCallsAndTheirSwitch() async throws {
        let both = "What's the weather in Tokyo and the stock price of SONY?"
        let j = try #require(await ask(both))
        #expect(j["choices"]?[0]?["message"]?["tool_calls"]?.arrayValue?.compactMap { $0["function"]?["name"]?.stringValue }
                == ["get_weather", "get_stock_price"])
        let single = try #require(await ask(both, extra: #","parallel_tool_calls":false"#))
        #expect(single["choices"]?[0]?["message"]?["tool_calls"]?.arrayValue?.count == 1)
    }

    @Test func toolChoiceModes() async throws {
        let none = try #require(await ask("weather in Paris?", extra: #","tool_choice":"none""#))
        #expect(none["choices"]?[0]?["finish_reason"] == "stop")
        #expect(none.content() != nil)
        let auto = try #require(await ask("Tell me a joke."))
        #expect(auto["choices"]?[0]?["finish_reason"] == "stop")
        let required = try #require(await ask("Tell me a joke.", extra: #","tool_choice":"required""#))
        #expect(required["choices"]?[0]?["message"]?["tool_calls"]?.arrayValue?.count == 1)
        let named = try #require(await ask("weather in Paris?", extra: #","tool_choice":{"type":"function","function":{"name":"get_stock_price"}}"#))
        #expect(named["choices"]?[0]?["message"]?["tool_calls"]?[0]?["function"]?["name"] == "get_stock_price")
        let allowed = try #require(await ask("hello", extra: #","tool_choice":{"type":"allowed_tools","allowed_tools":{"mode":"required","tools":[{"type":"function","function":{"name":"get_stock_price"}}]}}"#))
        #expect(allowed["choices"]?[0]?["message"]?["tool_calls"]?[0]?["function"]?["name"] == "get_stock_price")
        let unknown = await client.chat(#"{"model":"gpt-4o","tools":\#(Self.tools),"tool_choice":{"type":"function","function":{"name":"nope"}},"messages":[{"role":"user","content":"x"}]}"#)
        #expect(unknown.status == 400)
        #expect(unknown.json?.error?["param"] == "tool_choice")
    }

    @Test func afterAToolResultTheModelAnswersInText() async throws {
        let body = #"{"model":"gpt-4o","tools":\#(Self.tools),"messages":[{"role":"user","content":"What's the weather in Paris?"},{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},{"role":"tool","tool_call_id":"call_1","content":"22 C and sunny"}]}"#
        let r = await client.chat(body)
        #expect(r.status == 200, "\(r.json?.jsonString ?? "")")
        #expect(r.json?["choices"]?[0]?["finish_reason"] == "stop")
        #expect(r.json?.content()?.isEmpty == false)
    }

    @Test func legacyFunctions() async throws {
        let body = #"{"model":"gpt-3.5-turbo","functions":[{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}],"messages":[{"role":"user","content":"weather in Berlin?"}]}"#
        let r = try #require(await client.chat(body).json)
        let choice = try #require(r["choices"]?[0])
        #expect(choice["finish_reason"] == "function_call")
        #expect(choice["message"]?.objectValue?.keys == ["role", "content", "function_call", "refusal", "annotations"])
        #expect(choice["message"]?["function_call"]?["name"] == "get_weather")
        let args = try JSONValue.parse(Array(try #require(choice["message"]?["function_call"]?["arguments"]?.stringValue).utf8))
        #expect(args["city"]?.stringValue != nil)
        let off = try #require(await client.chat(body.replacingOccurrences("\"functions\"", with: "\"function_call\":\"none\",\"functions\"")).json)
        #expect(off["choices"]?[0]?["finish_reason"] == "stop")
    }

    @Test func usageCountsToolCalls() async throws {
        let j = try #require(await ask("What's the weather in Paris?"))
        let completion = try #require(j["usage"]?["completion_tokens"]?.intValue)
        let args = try #require(j["choices"]?[0]?["message"]?["tool_calls"]?[0]?["function"]?["arguments"]?.stringValue)
        #expect(completion > TokenCounter.count(args))
        // Tool definitions count towards the prompt.
        let plain = await client.chat(#"{"model":"gpt-4o","messages":[{"role":"user","content":"What's the weather in Paris?"}]}"#)
        #expect((j["usage"]?["prompt_tokens"]?.intValue ?? 0) > (plain.json?["usage"]?["prompt_tokens"]?.intValue ?? 0) + 20)
    }
}

extension String {
    /// Test helper: replaces every occurrence (no Foundation).
    func replacingOccurrences(_ target: String, with replacement: String) -> String {
        var out = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: target) {
            out += rest[..<r.lowerBound] + replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
