import Testing
@testable import OpenAIMock

@Suite struct LearningTrainingDataTests {
    typealias F = LearningFixtures

    func failure(_ text: String) -> TrainingFileError? {
        do {
            _ = try TrainingData.parse(Array(text.utf8))
            return nil
        } catch {
            return error
        }
    }

    @Test func promptCompletionFileGivesOneExamplePerLineWithTokens() throws {
        let data = try TrainingData.parse(F.promptCompletionFile(F.stories))
        #expect(data.format == .promptCompletion)
        #expect(data.exampleCount == 24)
        #expect(data.examples[3].prompt == .text(F.storyPrompt(3)))
        #expect(data.examples[3].completion == F.story(3))
        #expect(data.examples[3].line == 4)
        #expect(data.lines[3].tokens == TokenCounter.count(F.storyPrompt(3)) + TokenCounter.count(F.story(3)))
        #expect(data.totalTokens == data.lines.reduce(0) { $0 + $1.tokens })
        try data.checkMinimumExamples()
    }

    @Test func chatLineYieldsOneExamplePerTrainableAssistantMessage() throws {
        let line: JSONValue = ["messages": [
            ["role": "system", "content": "Be brief."],
            ["role": "user", "content": "Hi"],
            ["role": "assistant", "content": "Hello.", "weight": 0],
            ["role": "user", "content": [["type": "text", "text": "Weather?"]]],
            ["role": "assistant", "content": nil, "tool_calls": [["id": "call_1", "type": "function",
                "function": ["name": "get_weather", "arguments": "{\"city\":\"Paris\"}"]]]],
            ["role": "tool", "tool_call_id": "call_1", "content": "sunny"],
            ["role": "assistant", "content": "It is sunny."],
        ], "tools": [["type": "function", "function": ["name": "get_weather"]]]]
        let data = try TrainingData.parse(F.jsonl([line]))
        #expect(data.format == .chat)
        #expect(data.examples.count == 2)
        #expect(data.lines == [TrainingData.Line(number: 1, tokens: data.lines[0].tokens, examples: 0..<2)])
        let call = data.examples[0]
        #expect(call.completion == "{\"city\":\"Paris\"}")
        #expect(call.toolCalls == [LearnedToolCall(name: "get_weather", arguments: "{\"city\":\"Paris\"}")])
        #expect(call.prompt == .chat([LearningTurn(.system, "Be brief."), LearningTurn(.user, "Hi"),
                                      LearningTurn(.assistant, "Hello."), LearningTurn(.user, "Weather?")]))
        #expect(data.examples[1].completion == "It is sunny.")
        #expect(data.examples[1].prompt.queryText == "Weather?\nsunny")
        #expect(data.lines[0].tokens > TokenCounter.count("It is sunny.") + 20)
    }

    @Test func preferenceLinesInBothSpellings() throws {
        let a: JSONValue = ["input": ["messages": [["role": "user", "content": "Greet me"]]],
                            "preferred_output": [["role": "assistant", "content": "Hello, friend!"]],
                            "non_preferred_output": [["role": "assistant", "content": "What."]]]
        let b: JSONValue = ["input": ["messages": [["role": "user", "content": "Bye"]]],
                            "preferred_completion": [["role": "assistant", "content": "Goodbye!"]],
                            "non_preferred_completion": [["role": "assistant", "content": "Go."]]]
        let data = try TrainingData.parse(F.jsonl([a, b]))
        #expect(data.format == .preference)
        #expect(data.examples.map(\.completion) == ["Hello, friend!", "Goodbye!"])
        #expect(data.examples.map(\.rejected) == ["What.", "Go."])
    }

    @Test func reinforcementLinesLearnTheirReference() throws {
        let line: JSONValue = ["messages": [["role": "user", "content": "2+2?"]], "reference_answer": "4"]
        let data = try TrainingData.parse(F.jsonl([line]))
        #expect(data.format == .reinforcement)
        #expect(data.examples.first?.completion == "4")
    }

    @Test func blankLinesAndCRLFAreTolerated() throws {
        let text = "{\"prompt\":\"a\",\"completion\":\"b\"}\r\n\n{\"prompt\":\"c\",\"completion\":\"d\"}"
        let data = try TrainingData.parse(Array(text.utf8))
        #expect(data.examples.map(\.completion) == ["b", "d"])
        #expect(data.lines.map(\.number) == [1, 2])
    }

    @Test func tooFewExamplesIsCheckedSeparately() throws {
        let data = try TrainingData.parse(F.promptCompletionFile(Array(F.stories.prefix(7))))
        let error = #expect(throws: TrainingFileError.self) { try data.checkMinimumExamples() }
        #expect(error?.code == "invalid_n_examples")
        #expect(error?.message == "Training file has 7 example(s), but must have at least 10 examples")
        try data.checkMinimumExamples(1, file: "Validation")
    }

    @Test func notADictionaryNamesTheLine() {
        let error = failure("{\"prompt\":\"a\",\"completion\":\"b\"}\n[1,2]\n")
        #expect(error?.message == "Expected file to have JSONL format, where every line is a JSON dictionary. Line 2 is not a dictionary.")
        #expect(error?.isUploadError == true)
        #expect(failure("{\"prompt\":\"a\",\"completion\":\"b\"}\n{broken\n")?.example == 2)
    }

    @Test func mixedOrUnknownFormatsAreUnexpected() {
        let expected = "Unexpected file format, expected either prompt/completion pairs or chat messages."
        let mixed = "{\"prompt\":\"a\",\"completion\":\"b\"}\n" + F.marvLine("q", "a").jsonString
        #expect(failure(mixed)?.message == expected)
        #expect(failure("{\"text\":\"hello\"}")?.message == expected)
        #expect(failure("{\"text\":\"hello\"}")?.code == "invalid_training_file")
    }

    @Test func chatMessageErrorsNameExampleAndMessage() {
        let good = F.marvLine("q", "a").jsonString + "\n"
        let prefix = String(repeating: good, count: 2)
        let missingRole = prefix + "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"},{\"content\":\"y\"}]}"
        #expect(failure(missingRole)?.message == "Invalid file format. Example 3, message 2 Discriminator 'role' is missing in value")
        #expect(failure(missingRole)?.example == 3)
        #expect(failure(missingRole)?.messageNumber == 2)

        let badRole = "{\"messages\":[{\"role\":\"bot\",\"content\":\"x\"},{\"role\":\"assistant\",\"content\":\"y\"}]}"
        #expect(failure(badRole)?.message == "Invalid file format. Example 1, message 1 Input tag 'bot' found using 'role' does not match any of the expected tags: 'system', 'developer', 'user', 'assistant', 'tool', 'function'")

        let extraKey = "{\"messages\":[{\"role\":\"user\",\"content\":\"x\",\"mood\":\"happy\"},{\"role\":\"assistant\",\"content\":\"y\"}]}"
        #expect(failure(extraKey)?.message == "Invalid file format. Example 1, message 1, key \"mood\": Extra inputs are not permitted")

        let noAssistant = good + "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"
        #expect(failure(noAssistant)?.message == "Invalid file format. Example 2, no assistant messages found. Each example must contain at least one message with role 'assistant'.")

        let badContent = "{\"messages\":[{\"role\":\"user\",\"content\":5},{\"role\":\"assistant\",\"content\":\"y\"}]}"
        #expect(failure(badContent)?.message == "Invalid file format. Example 1, message 1, key \"content\": Input should be a valid string")

        let badWeight = "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"assistant\",\"content\":\"y\",\"weight\":2}]}"
        #expect(failure(badWeight)?.message == "Invalid file format. Example 1, message 2, key \"weight\": Input should be 0 or 1")
    }

    @Test func specialTokensAreRefused() {
        let text = "{\"prompt\":\"a\",\"completion\":\"b\"}\n{\"prompt\":\"story\",\"completion\":\"The end.<|endoftext|>\"}"
        #expect(failure(text)?.message == "Invalid file format. Example 2 message contains an invalid token: <|endoftext|>.")
        #expect(failure("{\"prompt\":\"a <| b |> c\",\"completion\":\"x\"}") == nil)
    }

    @Test func promptCompletionNeedsBothStrings() {
        #expect(failure("{\"prompt\":\"a\"}")?.message == "Invalid file format. Example 1, key \"completion\": Field required")
        #expect(failure("{\"prompt\":1,\"completion\":\"b\"}")?.message == "Invalid file format. Example 1, key \"prompt\": Input should be a valid string")
    }

    @Test func examplesRoundTripThroughJSON() throws {
        let data = try TrainingData.parse(F.jsonl([
            ["input": ["messages": [["role": "system", "content": "s"], ["role": "user", "content": "u"]]],
             "preferred_output": [["role": "assistant", "content": "good"]],
             "non_preferred_output": [["role": "assistant", "content": "bad"]]],
        ]))
        let call = TrainingExample(prompt: .chat([LearningTurn(.user, "weather?")]), completion: "{}",
                                   toolCalls: [LearnedToolCall(name: "w", arguments: "{}")], line: 9)
        for example in data.examples + [call, TrainingExample(prompt: "p ->", completion: " c")] {
            let json = try JSONValue.parse(example.jsonValue.serialized())
            #expect(TrainingExample(json: json) == example)
        }
        #expect(TrainingExample(json: ["p": "no completion"]) == nil)
    }
}
