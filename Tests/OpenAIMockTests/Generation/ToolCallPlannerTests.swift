import Testing
@testable import OpenAIMock

@Suite struct ToolCallPlannerTests {
    static let weather = ToolCallPlanner.Tool(
        name: "get_weather", description: "Get the current weather for a city",
        parameters: ["type": "object",
                     "properties": ["city": ["type": "string"], "unit": ["type": "string", "enum": ["celsius", "fahrenheit"]]],
                     "required": ["city", "unit"], "additionalProperties": false],
        strict: true)
    static let stocks = ToolCallPlanner.Tool(
        name: "lookupStockPrice", description: "Look up the latest stock price for a ticker symbol on an exchange",
        parameters: ["type": "object", "properties": ["ticker": ["type": "string"]], "required": ["ticker"]])
    static let tools = [weather, stocks]

    @Test func autoCallsAMentionedTool() {
        let calls = ToolCallPlanner.plan(tools: Self.tools, choice: .auto, lastUserMessage: "What's the weather in Paris?", seed: 1)
        #expect(calls.map(\.name) == ["get_weather"])
        #expect(calls[0].arguments["city"] == "Paris")
        #expect(SchemaValidator(schema: Self.weather.parameters!).isValid(calls[0].arguments))
        #expect(calls[0].id.hasPrefix("call_") && calls[0].id.count == 29)
        #expect(calls[0].argumentsJSON.hasPrefix("{\"city\":"))
    }

    @Test func autoMatchesCamelCaseNamesAndDescriptions() {
        #expect(ToolCallPlanner.plan(tools: Self.tools, choice: .auto, lastUserMessage: "Find the stock quote for AAPL", seed: 1).map(\.name) == ["lookupStockPrice"])
        #expect(ToolCallPlanner.plan(tools: Self.tools, choice: .auto, lastUserMessage: "latest price of that ticker?", seed: 1).map(\.name) == ["lookupStockPrice"])
    }

    @Test func autoWithoutMentionAnswersWithText() {
        #expect(ToolCallPlanner.plan(tools: Self.tools, choice: .auto, lastUserMessage: "Tell me a joke.", seed: 1).isEmpty)
    }

    @Test func chineseMessageMatches() {
        let calls = ToolCallPlanner.plan(tools: Self.tools, choice: .auto, lastUserMessage: "北京今天天气怎么样？", seed: 1)
        #expect(calls.map(\.name) == ["get_weather"])
        #expect(calls.first?.arguments["city"] == "北京")
    }

    @Test func requiredNamedAndNone() {
        #expect(ToolCallPlanner.plan(tools: Self.tools, choice: .required, lastUserMessage: "Tell me a joke.", seed: 1).map(\.name) == ["get_weather"])
        #expect(ToolCallPlanner.plan(tools: Self.tools, choice: .named("lookupStockPrice"), lastUserMessage: "weather?", seed: 1).map(\.name) == ["lookupStockPrice"])
        #expect(ToolCallPlanner.plan(tools: Self.tools, choice: .none, lastUserMessage: "weather in Paris", seed: 1).isEmpty)
        #expect(ToolCallPlanner.plan(tools: Self.tools, choice: .allowed(names: ["lookupStockPrice"], required: true), lastUserMessage: "weather", seed: 1).map(\.name) == ["lookupStockPrice"])
    }

    @Test func parallelCallsEachMatchingToolOnce() {
        let message = "What's the weather in Tokyo and the stock price of SONY?"
        let parallel = ToolCallPlanner.plan(tools: Self.tools, choice: .auto, parallel: true, lastUserMessage: message, seed: 4)
        #expect(parallel.map(\.name) == ["get_weather", "lookupStockPrice"])
        #expect(Set(parallel.map(\.id)).count == 2)
        #expect(ToolCallPlanner.plan(tools: Self.tools, choice: .auto, parallel: false, lastUserMessage: message, seed: 4).count == 1)
    }

    @Test func noRepeatAfterToolResultAndDeterministic() {
        #expect(ToolCallPlanner.plan(tools: Self.tools, choice: .auto, lastUserMessage: "weather in Paris?", lastMessageIsToolResult: true, seed: 1).isEmpty)
        let a = ToolCallPlanner.plan(tools: Self.tools, choice: .required, lastUserMessage: "hi", seed: 8)
        #expect(a == ToolCallPlanner.plan(tools: Self.tools, choice: .required, lastUserMessage: "hi", seed: 8))
        #expect(a[0].id != ToolCallPlanner.plan(tools: Self.tools, choice: .required, lastUserMessage: "hi", seed: 9)[0].id)
    }

    @Test func parsesToolChoiceJSON() {
        #expect(ToolCallPlanner.Choice(json: nil) == .auto)
        #expect(ToolCallPlanner.Choice(json: "none") == .none)
        #expect(ToolCallPlanner.Choice(json: "required") == .required)
        #expect(ToolCallPlanner.Choice(json: ["type": "function", "function": ["name": "f"]]) == .named("f"))
        let allowed: JSONValue = ["type": "allowed_tools", "allowed_tools": ["mode": "required", "tools": [["type": "function", "function": ["name": "g"]]]]]
        #expect(ToolCallPlanner.Choice(json: allowed) == .allowed(names: ["g"], required: true))
    }
}
