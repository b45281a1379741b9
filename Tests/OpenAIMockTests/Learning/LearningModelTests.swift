import Testing
@testable import OpenAIMock

@Suite struct LearningModelTests {
    typealias F = LearningFixtures

    static func model(_ pairs: [(String, String)]) throws -> LearnedModel {
        LearnedModel(examples: try TrainingData.parse(F.promptCompletionFile(pairs)).examples)
    }

    /// Every CJK character of `text` occurs in `sources`.
    static func usesOnlyCharacters(of sources: [String], _ text: String) -> Bool {
        let known = Set(sources.joined().unicodeScalars.map(\.value))
        return text.unicodeScalars.allSatisfy { !TextFeatures.isCJK($0.value) || known.contains($0.value) }
    }

    @Test func chineseStoryModelRecallsAndWritesNewStoriesInStyle() throws {
        let model = try Self.model(F.stories)
        #expect(model.reply(to: F.storyPrompt(5), seed: 1) == F.story(5))
        #expect(model.reply(to: "  " + String(F.storyPrompt(5).dropLast()), seed: 1) == F.story(5))

        let prompt = "宋,发射激光,艰难 ->\n"
        for seed in UInt64(0)..<5 {
            let story = model.reply(to: prompt, seed: seed)
            #expect(TextLanguage.detect(story) == .chinese)
            #expect(story.hasSuffix("。"))
            #expect(story.contains("宋") || story.contains("发射激光"))
            #expect(!F.stories.contains { $0.1 == story })
            #expect(Self.usesOnlyCharacters(of: F.stories.map(\.1) + [prompt], story))
            #expect(TokenCounter.count(story) > 10)
        }
        // Keywords that share no character with any training prompt still steer the story.
        let unseen = model.reply(to: "鑫,鬻,曩 ->", seed: 3)
        #expect(unseen.hasSuffix("。") && (unseen.contains("鑫") || unseen.contains("鬻") || unseen.contains("曩")))
    }

    @Test func entityExtractorEndsWithEND() throws {
        let model = try Self.model(F.entities)
        #expect(model.reply(to: F.entities[2].0, seed: 3) == F.entities[2].1)
        let prompt = "Google and Tesla opened offices in Madrid and Texas.\n\n###\n\n"
        for seed in UInt64(0)..<5 {
            let answer = model.reply(to: prompt, seed: seed)
            #expect(answer.hasSuffix(" END"))
            #expect(answer.hasPrefix(" "))
            #expect(!F.entities.contains { $0.1 == answer })
        }
    }

    @Test func jokesEndWithHaha() throws {
        let model = try Self.model(F.jokes)
        for seed in UInt64(0)..<5 {
            let joke = model.reply(to: "Tell me a joke about cats and mice at school", seed: seed)
            #expect(joke.hasSuffix("Haha"))
            #expect(joke.contains("?"))
            #expect(!F.jokes.contains { $0.1 == joke })
        }
    }

    @Test func interviewBotAnswersWithStopSequences() throws {
        let model = try Self.model(F.interview)
        let stop = ["\n", " Human:", " DSA:"]
        let known = OutputLimiter.apply(text: model.reply(to: F.interview[1].0, seed: 0), stop: stop)
        #expect(known.text == " I work at a small analytics company in Berlin.")
        for seed in UInt64(0)..<5 {
            let full = model.reply(to: "Human: What do you like about Python?\nDSA:", seed: seed)
            let answer = OutputLimiter.apply(text: full, stop: stop)
            #expect(answer.text.hasPrefix(" "))
            #expect(TokenCounter.count(answer.text) >= 3)
            #expect(!answer.text.contains("\n"))
            #expect(!F.interview.contains { $0.1 == full })
        }
    }

    @Test func sameSeedSameBytesDifferentSeedDifferentText() throws {
        let a = try Self.model(F.jokes), b = try Self.model(F.jokes)
        let prompt = "Tell me a joke about penguins"
        #expect(Array(a.reply(to: prompt, seed: 11).utf8) == Array(b.reply(to: prompt, seed: 11).utf8))
        let texts = Set((UInt64(0)..<6).map { a.reply(to: prompt, seed: $0) })
        #expect(texts.count >= 4)
    }

    @Test func aRepeatedPromptRecallsItsNewestKnownExample() throws {
        // "Company voice" data: every line has the empty prompt.
        let voice = (0..<12).map { ("", " Our team answer number \($0) is here to help you. Cheers!") }
        let model = try Self.model(voice)
        #expect(model.reply(to: "", seed: 0) == voice[11].1)
        #expect(model.knowing(firstExamples: 3).reply(to: " ", seed: 0) == voice[2].1)
        let fresh = model.reply(to: "Say something about our new product", seed: 2)
        #expect(fresh.hasSuffix(" Cheers!"))
        #expect(!voice.contains { $0.1 == fresh })
    }

    @Test func untrainedCheckpointFallsBackToDefaultText() throws {
        let model = try Self.model(F.jokes).knowing(firstExamples: 0)
        let answer = model.answer(to: .text("Tell me a joke"), seed: 1)
        #expect(answer.source == .untrained)
        #expect(!answer.text.isEmpty)
    }
}
