/// A generated answer after `max_tokens` and `stop` were applied.
public struct GeneratedText: Sendable, Equatable {
    /// The visible text (what goes into `content` / `text`).
    public var text: String
    /// Its pieces, for stream deltas and logprobs (made on each access: keep the result).
    public var pieces: [TokenPiece] { limited.pieces }
    /// `usage.completion_tokens`.
    public var completionTokens: Int
    /// `.length` when `maxTokens` cut the text, else `.stop`.
    public var finishReason: TextFinishReason
    public var language: TextLanguage
    /// The untruncated text the generator would say with no limits (useful to scenario templates and echo).
    public var fullText: String

    public var hitTokenLimit: Bool { finishReason == .length }
    private let limited: LimitedOutput

    init(_ limited: LimitedOutput, language: TextLanguage, fullText: String) {
        self.limited = limited
        text = limited.text
        completionTokens = limited.completionTokens
        finishReason = limited.finishReason
        self.language = language
        self.fullText = fullText
    }
}

/// Deterministic, plausible prose in the prompt's language.
///
/// The caller picks the seed (a hash of the canonical request, `--seed`, the request's `seed` and the
/// choice index), so equal requests get equal text and `n` choices differ. The natural length is drawn
/// from `lengthRange` (in tokens) and always ends on a full sentence; the answer reuses salient words of the
/// prompt as its topics so it looks on-topic. Only the public inputs matter: no global state.
public struct TextGenerator: Sendable {
    /// Natural answer length in tokens, before `maxTokens`.
    public var lengthRange: ClosedRange<Int>
    /// Forces a language instead of detecting it from the prompt.
    public var language: TextLanguage?

    public init(lengthRange: ClosedRange<Int> = 20...120, language: TextLanguage? = nil) {
        self.lengthRange = lengthRange
        self.language = language
    }

    /// The text with limits applied: `finishReason == .length` when `maxTokens` cut it, `.stop` when it
    /// ended naturally or on a stop sequence (which is not included).
    public func generate(prompt: String, seed: UInt64, maxTokens: Int? = nil, stop: [String] = []) -> GeneratedText {
        let natural = natural(prompt: prompt, seed: seed)
        let full = natural.text
        let limited: LimitedOutput
        if stop.allSatisfy(\.isEmpty) && (maxTokens ?? .max) >= natural.tokens {
            // What `OutputLimiter` finds for a text that fits, from the counts made while generating it.
            limited = LimitedOutput(text: full, firstPieces: natural.pieces, of: full, completionTokens: natural.tokens,
                                    finishReason: .stop)
        } else {
            limited = OutputLimiter.apply(text: full, stop: stop, maxTokens: maxTokens)
        }
        return GeneratedText(limited, language: natural.language, fullText: full)
    }

    /// The untruncated answer and the language it is in.
    public func naturalText(prompt: String, seed: UInt64) -> (text: String, language: TextLanguage) {
        let natural = natural(prompt: prompt, seed: seed)
        return (natural.text, natural.language)
    }

    /// The untruncated answer, its language, and its token count and number of pieces (as `TokenCounter` finds
    /// them for the whole text).
    func natural(prompt: String, seed: UInt64) -> (text: String, language: TextLanguage, tokens: Int, pieces: Int) {
        let language = self.language ?? TextLanguage.detect(prompt)
        let prepared = PreparedBank.bank(for: language)
        var rng = SeededRandom(seed: seed)
        let lower = max(1, lengthRange.lowerBound)
        let target = Int.random(in: lower...max(lower, lengthRange.upperBound), using: &rng)
        var topics = Self.topics(in: prompt, language: language, stopwords: prepared.stopwords)
        if topics.isEmpty {
            topics = [String(decoding: prepared.nouns[Int(rng.next() % UInt64(prepared.nouns.count))], as: UTF8.self)]
        }
        let topicBytes = topics.map { Array($0.utf8) }

        var text: [UInt8] = []
        text.reserveCapacity(8 * max(target, 16))
        var tally = TokenTally()
        var tokens = 0
        var sentences = 0
        var lastTemplate = -1
        while tokens < target && sentences < 400 {
            var index = Int(rng.next() % UInt64(prepared.templates.count))
            if index == lastTemplate { index = (index + 1) % prepared.templates.count }
            lastTemplate = index
            // The first sentence names the main topic; later ones wander among the prompt's topics.
            let topic = sentences == 0 ? 0 : Int(rng.next() % UInt64(topics.count))
            let start = text.count
            if sentences > 0 {
                if sentences % 5 == 0 && language == .english { text += [0x0A, 0x0A] } else { text.append(contentsOf: prepared.sentenceGap[0]) }
            }
            Self.fill(prepared.templates[index], into: &text, topic: topic, topics: topics, topicBytes: topicBytes,
                      bank: prepared, language: language, rng: &rng)
            // The length counts each sentence as if alone (its first piece may differ inside the whole text).
            tokens += text.withUnsafeBufferPointer { tally.add($0, sentenceFrom: start) }
            sentences += 1
        }
        return (String(decoding: text, as: UTF8.self), language, tally.tokens, tally.pieces)
    }

    /// Appends one template with its slots filled to `out`, drawing words from `rng` in slot order.
    static func fill(_ template: UnsafeBufferPointer<PreparedBank.Part>, into out: inout [UInt8], topic: Int, topics: [String],
                     topicBytes: [[UInt8]], bank: PreparedBank, language: TextLanguage, rng: inout SeededRandom) {
        func pick(_ list: FrozenLists<UInt8>) -> UnsafeBufferPointer<UInt8>? {
            list.isEmpty ? nil : list[Int(rng.next() % UInt64(list.count))]
        }
        let topicText = topicBytes[topic]
        // `{T2}`: another topic of the prompt, else a noun drawn now (before the slots' draws), else the topic.
        var otherIndex: Int?
        var otherTopic: UnsafeBufferPointer<UInt8>?
        if topics.count > 1, let other = topics.firstIndex(where: { $0 != topics[topic] }) {
            otherIndex = other
        } else {
            otherTopic = pick(bank.nouns)
        }
        let start = out.count
        for part in template {
            let word: UnsafeBufferPointer<UInt8>?
            switch part {
            case .literal(let index): word = bank.literals[index]
            case .slot(.topic): word = nil
            case .slot(.otherTopic):
                if let otherIndex { out += topicBytes[otherIndex]; continue }
                word = otherTopic
            case .slot(.noun): word = pick(bank.nouns)
            case .slot(.adjective): word = pick(bank.adjectives)
            case .slot(.articleAdjective):
                guard let w = pick(bank.adjectivesWithArticle) else {
                    out += withIndefiniteArticle(topics[topic]).utf8
                    continue
                }
                word = w
            case .slot(.verb):
                guard let w = pick(bank.verbs) else {
                    out += (language == .english ? thirdPerson(topics[topic]) : topics[topic]).utf8
                    continue
                }
                word = w
            case .slot(.verbBase): word = pick(bank.verbsBase)
            case .slot(.adverb): word = pick(bank.adverbs)
            }
            if let word { out.append(contentsOf: word) } else { out += topicText }
        }
        guard language == .english, start < out.count else { return }
        let first = out[start]
        if first >= 0x61 && first <= 0x7A {
            out[start] = first - 0x20
        } else if first >= 0x80 {
            let sentence = capitalizedFirst(String(decoding: out[start...], as: UTF8.self))
            out.replaceSubrange(start..., with: sentence.utf8)
        }
    }

    /// Salient words of the prompt, in order of appearance, at most 6: English words of ≥ 4 letters that
    /// are not stop words; for Chinese/Japanese the Han/kana runs split at function words, 2–6 characters.
    static func topics(in prompt: String, language: TextLanguage, stopwords: Set<String>) -> [String] {
        var found: [String] = []
        func add(_ word: String) {
            if found.count < 6, !found.contains(word) { found.append(word) }
        }
        var word = ""
        var isCJK = false
        var atSentenceStart = true
        func flush() {
            defer { word = "" }
            guard !word.isEmpty else { return }
            if isCJK {
                for part in splitCJK(word, stopwords: stopwords) where (2...6).contains(part.count) { add(part) }
            } else if word.count >= 4, !stopwords.contains(word.lowercased()) {
                // Keep the case of a capitalized word inside a sentence (a name: "Paris").
                let keepCase = language != .english || (!atSentenceStart && word.first?.isUppercase == true)
                add(keepCase ? word : word.lowercased())
            }
            atSentenceStart = false
        }
        if prompt.utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII (most prompts): the same walk over bytes, where a letter is A–Z or a–z and `\r\n` is one
            // character (not a sentence end, as the `Character` walk below sees it).
            prompt.withUTF8Bytes { bytes in
                var start = 0
                for i in 0...bytes.count {
                    let b: UInt8 = i < bytes.count ? bytes[i] : 0
                    let lower = b | 0x20
                    if (lower >= 0x61 && lower <= 0x7A) || ((b == 0x2D || b == 0x27) && start < i) { continue }
                    if start < i { word = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self) }
                    flush()
                    start = i + 1
                    if b == 0x2E || b == 0x3F || b == 0x21 || (b == 0x0A && (i == 0 || bytes[i - 1] != 0x0D)) {
                        atSentenceStart = true
                    }
                }
            }
            return found
        }
        for ch in prompt {
            let cjk = ch.unicodeScalars.first.map { (0x3040...0x9FFF).contains($0.value) || (0xAC00...0xD7AF).contains($0.value) } ?? false
            let letter = ch.isLetter || ((ch == "-" || ch == "'") && !word.isEmpty && !isCJK)
            if letter && !word.isEmpty && cjk != isCJK { flush() }
            if letter {
                if word.isEmpty { isCJK = cjk }
                word.append(ch)
                continue
            }
            flush()
            if ".?!\n。？！".contains(ch) { atSentenceStart = true }
        }
        flush()
        return found
    }

    /// Splits a CJK run at stop words (longest first): `请介绍一下黄河的历史` → `黄河`, `历史`.
    static func splitCJK(_ run: String, stopwords: Set<String>) -> [String] {
        let chars = Array(run)
        let lengths = Set(stopwords.map(\.count)).sorted(by: >)
        var parts: [String] = []
        var current = ""
        var i = 0
        outer: while i < chars.count {
            for length in lengths where i + length <= chars.count {
                if stopwords.contains(String(chars[i..<(i + length)])) {
                    if !current.isEmpty { parts.append(current); current = "" }
                    i += length
                    continue outer
                }
            }
            current.append(chars[i])
            i += 1
        }
        if !current.isEmpty { parts.append(current) }
        return parts.map { $0.count > 6 ? String($0.prefix(4)) : $0 }
    }

    /// English third-person singular of a base-form verb.
    static func thirdPerson(_ verb: String) -> String {
        if verb.hasSuffix("y"), let before = verb.dropLast().last, !"aeiou".contains(before) { return verb.dropLast() + "ies" }
        for suffix in ["s", "sh", "ch", "x", "z", "o"] where verb.hasSuffix(suffix) { return verb + "es" }
        return verb + "s"
    }

    static func withIndefiniteArticle(_ word: String) -> String {
        guard let first = word.first?.lowercased() else { return word }
        return ("aeiou".contains(first) ? "an " : "a ") + word
    }

    static func capitalizedFirst(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst()
    }
}
