import Testing
@testable import OpenAIMock

@Suite struct TextGeneratorTests {
    let generator = TextGenerator()

    @Test func sameSeedSameTextDifferentSeedDifferentText() {
        let a = generator.generate(prompt: "Tell me about lighthouses.", seed: 42)
        let b = generator.generate(prompt: "Tell me about lighthouses.", seed: 42)
        let c = generator.generate(prompt: "Tell me about lighthouses.", seed: 43)
        #expect(a == b)
        #expect(a.text != c.text)
    }

    @Test func lengthStaysInRangeAndEndsOnASentence() {
        for seed in UInt64(0)..<20 {
            let out = generator.generate(prompt: "Explain photosynthesis in plants.", seed: seed)
            #expect(out.finishReason == .stop)
            #expect(out.completionTokens >= 20 && out.completionTokens <= 160)
            #expect(out.text.hasSuffix("."))
            #expect(out.completionTokens == TokenCounter.count(out.text))
            #expect(out.pieces.map(\.text).joined() == out.text)
        }
    }

    @Test func englishPromptGivesEnglishOnTopic() {
        let out = generator.generate(prompt: "What do you know about volcanoes and earthquakes?", seed: 7)
        #expect(out.language == .english)
        #expect(TextLanguage.detect(out.text) == .english)
        #expect(out.text.contains("volcanoes") || out.text.contains("earthquakes"))
    }

    @Test func chinesePromptGivesChineseText() {
        let out = generator.generate(prompt: "请介绍一下黄河的历史", seed: 7)
        #expect(out.language == .chinese)
        #expect(TextLanguage.detect(out.text) == .chinese)
        #expect(out.text.contains("黄河") || out.text.contains("历史"))
        #expect(out.text.hasSuffix("。"))
        #expect(!out.text.contains(". "))
    }

    @Test func otherScriptsUseTheirFallbacks() {
        #expect(TextLanguage.detect("日本の文化について教えてください") == .japanese)
        #expect(TextLanguage.detect("한국의 역사에 대해 알려 주세요") == .korean)
        #expect(TextLanguage.detect("Расскажи про историю Москвы") == .russian)
        #expect(TextLanguage.detect("用 Python 写一个排序函数") == .chinese)
        #expect(generator.generate(prompt: "Расскажи про историю Москвы", seed: 1).language == .russian)
    }

    /// The whole text's count and pieces come from the scan made while generating (``TokenTally``): they
    /// must be what counting the finished text finds, in every language, across paragraph breaks.
    @Test func countsMadeWhileGeneratingMatchCountingTheText() {
        for prompt in ["Hello", "Tell me about lighthouses, storms and the sea.", "请介绍一下黄河的历史", "日本の文化について",
                       "한국의 역사", "Расскажи про Москву", "élan vital", "12345 HTTPServer fooBar"] {
            for seed in UInt64(0)..<25 {
                for range in [8...30, 20...120, 200...400] {
                    let natural = TextGenerator(lengthRange: range).natural(prompt: prompt, seed: seed)
                    #expect(natural.tokens == TokenCounter.count(natural.text), "\(prompt) \(seed)")
                    #expect(natural.pieces == TokenCounter.pieces(natural.text).count, "\(prompt) \(seed)")
                    let generated = TextGenerator(lengthRange: range).generate(prompt: prompt, seed: seed)
                    let limited = OutputLimiter.apply(pieces: TokenCounter.pieces(natural.text))
                    #expect(generated.completionTokens == limited.completionTokens)
                    #expect(generated.pieces == limited.pieces)
                }
            }
        }
    }

    @Test func maxTokensCapsWithLength() {
        let out = generator.generate(prompt: "Describe the ocean.", seed: 3, maxTokens: 5)
        #expect(out.finishReason == .length)
        #expect(out.hitTokenLimit)
        #expect(out.completionTokens <= 5)
        #expect(out.fullText.hasPrefix(out.text))
    }

    @Test func stopSequencesApply() {
        let full = generator.generate(prompt: "Describe the ocean.", seed: 3)
        let out = generator.generate(prompt: "Describe the ocean.", seed: 3, stop: ["."])
        #expect(out.finishReason == .stop)
        #expect(!out.text.contains("."))
        #expect(full.text.hasPrefix(out.text))
    }

    @Test func topicsAreSalientPromptWords() {
        let topics = TextGenerator.topics(in: "Please tell me about the Eiffel Tower in Paris.", language: .english, stopwords: WordBank.english.stopwords)
        #expect(topics == ["Eiffel", "Tower", "Paris"])
        #expect(TextGenerator.topics(in: "请介绍一下黄河的历史", language: .chinese, stopwords: WordBank.chinese.stopwords) == ["黄河", "历史"])
    }

    /// An ASCII prompt takes a byte walk; a non-ASCII word after it (too short to be a topic) sends the same prompt
    /// through the `Character` walk, which must find the same topics: case kept inside sentences, `-` and `'`
    /// inside words, `\r\n` one character that does not end a sentence.
    @Test func asciiPromptsFindTheSameTopicsAsTheCharacterWalk() {
        let alphabet = "aBcdEfghIjklmnOpqrsTuvwxyz  -'.?!,0".map(String.init) + ["\r", "\n", "\r\n"]
        var rng = SeededRandom(seed: 7)
        #expect(TextGenerator.topics(in: "Hello.\r\nWorld wide-web isn't Paris", language: .english, stopwords: WordBank.english.stopwords)
            == ["world", "wide-web", "isn't", "Paris"])
        for _ in 0..<2000 {
            let length = Int(rng.next() % 60)
            let prompt = (0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }.joined()
            let viaBytes = TextGenerator.topics(in: prompt, language: .english, stopwords: WordBank.english.stopwords)
            let viaCharacters = TextGenerator.topics(in: prompt + " é", language: .english, stopwords: WordBank.english.stopwords)
            #expect(viaBytes == viaCharacters, "\(prompt.debugDescription)")
        }
    }
}
