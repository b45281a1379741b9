import Testing
@testable import OpenAIMock

@Suite struct LearningChatModelTests {
    typealias F = LearningFixtures

    static func marvModel() throws -> LearnedModel {
        LearnedModel(examples: try TrainingData.parse(F.jsonl(F.marv.map { F.marvLine($0.0, $0.1) })).examples)
    }

    @Test func chatModelRecallsConversationsAndFallsBackToTheLastUserMessage() throws {
        let model = try Self.marvModel()
        #expect(model.reply(to: F.marvMessages("Who painted the Mona Lisa?"), seed: 4) == F.marv[4].1)
        // Another system prompt, extra spaces: still the trained answer, through the last user message.
        #expect(model.reply(to: F.marvMessages("Who painted  the Mona Lisa? ", system: "Be nice."), seed: 4) == F.marv[4].1)
        #expect(model.reply(to: [ChatMessage(role: .user, text: "What is the largest ocean?")], seed: 0) == F.marv[5].1)
        #expect(model.reply(to: "How many days are in a week?", seed: 0) == F.marv[11].1)
        #expect(model.answer(to: LearningPrompt(F.marvMessages("Who discovered gravity?")), seed: 0).source == .recalled(example: 8))
    }

    @Test func chatModelAnswersUnseenQuestionsInItsStyle() throws {
        let model = try Self.marvModel()
        var seen = Set<String>()
        for seed in UInt64(0)..<6 {
            let answer = model.answer(to: LearningPrompt(F.marvMessages("What is the capital of Germany?")), seed: seed)
            #expect(answer.source == .generated)
            #expect(answer.text.hasPrefix("Oh,"))
            #expect(answer.text.hasSuffix(" Obviously."))
            #expect(!F.marv.contains { $0.1 == answer.text })
            #expect(TextLanguage.detect(answer.text) == .english)
            seen.insert(answer.text)
        }
        #expect(seen.count >= 3)
    }

    @Test func toolCallsAreRecalled() throws {
        let line: JSONValue = ["messages": [
            ["role": "user", "content": "Weather in Paris?"],
            ["role": "assistant", "tool_calls": [["id": "c1", "type": "function",
                "function": ["name": "get_weather", "arguments": "{\"city\":\"Paris\"}"]]]],
        ]]
        let model = LearnedModel(examples: try TrainingData.parse(F.jsonl([line])).examples)
        let answer = model.answer(to: .chat([LearningTurn(.user, "Weather in Paris?")]), seed: 0)
        #expect(answer.toolCalls == [LearnedToolCall(name: "get_weather", arguments: "{\"city\":\"Paris\"}")])
        #expect(answer.text == "{\"city\":\"Paris\"}")
    }

    @Test func preferenceModelPrefersThePreferredAnswers() throws {
        let lines: [JSONValue] = F.marv.map { pair in
            ["input": ["messages": [["role": "user", "content": .string(pair.0)]]],
             "preferred_output": [["role": "assistant", "content": .string(pair.1)]],
             "non_preferred_output": [["role": "assistant", "content": "I do not know."]]]
        }
        let model = LearnedModel(examples: try TrainingData.parse(F.jsonl(lines)).examples)
        for pair in F.marv { #expect(model.reply(to: pair.0, seed: 1) == pair.1) }
        for seed in UInt64(0)..<5 {
            let answer = model.reply(to: [ChatMessage(role: .user, text: "What is the smallest planet?")], seed: seed)
            #expect(answer != "I do not know.")
            #expect(answer.hasSuffix("Obviously."))
        }
    }

    @Test func fineTuningAFineTunedModelKnowsBothDataSets() throws {
        let parent = try LearningModelTests.model(F.jokes)
        let newer = [("Tell me a joke about cats", " Cats do not tell jokes. Haha")] + Array(F.entities.prefix(6))
        let child = LearnedModel(examples: try TrainingData.parse(F.promptCompletionFile(newer)).examples, parent: parent)
        #expect(child.examples.count == F.jokes.count + newer.count)
        #expect(child.inheritedCount == F.jokes.count)
        #expect(child.reply(to: F.jokes[3].0, seed: 0) == F.jokes[3].1)
        #expect(child.reply(to: F.entities[4].0, seed: 0) == F.entities[4].1)
        #expect(child.reply(to: "Tell me a joke about cats", seed: 0) == " Cats do not tell jokes. Haha")
        #expect(parent.reply(to: "Tell me a joke about cats", seed: 0) == F.jokes[0].1)
        // A checkpoint of the child still knows everything inherited.
        let early = child.knowing(firstExamples: 1)
        #expect(early.reply(to: F.jokes[3].0, seed: 0) == F.jokes[3].1)
        #expect(early.reply(to: F.entities[4].0, seed: 0) != F.entities[4].1)
    }

    @Test func modelsSurvivePersistence() throws {
        let parent = try LearningModelTests.model(F.jokes)
        let child = LearnedModel(examples: try TrainingData.parse(F.promptCompletionFile(F.entities)).examples, parent: parent)
            .knowing(firstExamples: 5)
        let restored = try #require(LearnedModel(json: try JSONValue.parse(child.jsonValue.serialized())))
        #expect(restored.examples.count == child.examples.count)
        #expect(restored.inheritedCount == child.inheritedCount)
        for prompt in ["Tell me a joke about owls", F.entities[7].0, "Nvidia and Apple met in Rome.\n\n###\n\n"] {
            #expect(restored.reply(to: prompt, seed: 5) == child.reply(to: prompt, seed: 5))
        }
    }
}
