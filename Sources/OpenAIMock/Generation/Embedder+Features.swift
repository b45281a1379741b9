/// Feature extraction and signed feature hashing, in one allocation-free pass over the text.
///
/// Features and their weights (chosen so shared *words* dominate similarity, while character
/// n-grams give partial credit for shared stems and typos):
/// - word unigram 1.0 (English function words 0.25, so "of the" does not make texts similar),
/// - word bigram 0.5 (word order matters a little),
/// - character trigram of the padded word (`<ap`, `app`, …, `es>`) 0.3,
/// - in CJK runs (Han, kana): character unigram 0.5 (common particles 0.15), bigram 1.0,
///   trigram 0.5 — bigrams approximate words without a segmenter.
/// Text is case-folded and full-width ASCII (`ＡＢＣ１２３`) folded to ASCII first.
struct FeatureAccumulator {
    let out: UnsafeMutableBufferPointer<Float>
    let native: UInt64
    let seed: UInt64
    private(set) var featureCount = 0

    init(out: UnsafeMutableBufferPointer<Float>, native: UInt64, seed: UInt64) {
        self.out = out
        self.native = native
        self.seed = seed
    }

    // Feature kinds, mixed into each hash so a word and an identical trigram differ.
    private static let kindWord: UInt64 = 0x57
    private static let kindWordPair: UInt64 = 0x5750
    private static let kindTrigram: UInt64 = 0x33
    private static let kindCJK1: UInt64 = 0xC1
    private static let kindCJK2: UInt64 = 0xC2
    private static let kindCJK3: UInt64 = 0xC3
    private static let kindToken: UInt64 = 0x7401
    private static let kindTokenPair: UInt64 = 0x7402
    private static let kindRaw: UInt64 = 0xAA
    /// Padding scalars around a word for its trigrams (outside Unicode's range).
    private static let wordStart: UInt32 = 0x11_0000
    private static let wordEnd: UInt32 = 0x11_0001
    private static let none: UInt32 = 0xFFFF_FFFF

    /// Adds `feature` with `weight` at its signed bucket in the full vector and at one bucket in
    /// each nested coarse prefix (see ``Embedder``). Buckets past the output size are skipped:
    /// that is exactly truncation.
    @inline(__always)
    mutating func add(_ feature: UInt64, _ weight: Float) {
        featureCount += 1
        let dim = out.count
        let h = SplitMix64.mix(feature ^ seed)
        let full = Int(truncatingIfNeeded: ((h & 0xFFFF_FFFF) &* native) >> 32)
        if full < dim { out[full] += h >> 63 == 0 ? weight : -weight }
        var g = SplitMix64.mix(h)
        probe(&g, bits: 8, weight * 0.5)
        probe(&g, bits: 6, weight * 0.35)
        probe(&g, bits: 4, weight * 0.25)
        probe(&g, bits: 2, weight * 0.18)
    }

    @inline(__always)
    private func probe(_ g: inout UInt64, bits: UInt64, _ weight: Float) {
        guard 1 << bits < native else { return }
        let index = Int(truncatingIfNeeded: g & ((1 << bits) - 1))
        let negative = (g >> bits) & 1 == 1
        g >>= bits + 1
        if index < out.count { out[index] += negative ? -weight : weight }
    }

    @inline(__always)
    private static func step(_ h: UInt64, _ x: UInt32) -> UInt64 {
        (h ^ UInt64(x)) &* 0x0000_0100_0000_01B3
    }

    private static func hash(_ kind: UInt64, _ a: UInt32, _ b: UInt32 = none, _ c: UInt32 = none) -> UInt64 {
        step(step(step(step(0xcbf2_9ce4_8422_2325, UInt32(truncatingIfNeeded: kind)), a), b), c)
    }

    // MARK: - Text

    /// Adds every feature of `text`. A text with no word or CJK characters (`"!!!"`) gets one
    /// feature for its raw bytes, so different punctuation still gives different vectors.
    mutating func addText(_ text: String) {
        let before = featureCount
        var word = WordState()
        var cjk = CJKState()
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x80 {
                if v >= 0x61 && v <= 0x7A || v >= 0x30 && v <= 0x39 {
                    flushCJK(&cjk); wordChar(v, &word)
                } else if v >= 0x41 && v <= 0x5A {
                    flushCJK(&cjk); wordChar(v + 0x20, &word)
                } else {
                    flushWord(&word); flushCJK(&cjk)
                }
            } else if Self.isCJK(v) {
                flushWord(&word); cjkChar(v, &cjk)
            } else if v >= 0xFF01 && v <= 0xFF5E {
                // Full-width ASCII: fold and reclassify.
                let a = v - 0xFEE0
                if a >= 0x61 && a <= 0x7A || a >= 0x30 && a <= 0x39 {
                    flushCJK(&cjk); wordChar(a, &word)
                } else if a >= 0x41 && a <= 0x5A {
                    flushCJK(&cjk); wordChar(a + 0x20, &word)
                } else {
                    flushWord(&word); flushCJK(&cjk)
                }
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil
                        || scalar.properties.generalCategory == .nonspacingMark {
                flushCJK(&cjk)
                if scalar.properties.changesWhenLowercased {
                    for l in scalar.properties.lowercaseMapping.unicodeScalars { wordChar(l.value, &word) }
                } else {
                    wordChar(v, &word)
                }
            } else {
                flushWord(&word); flushCJK(&cjk)
            }
        }
        flushWord(&word)
        flushCJK(&cjk)
        if featureCount == before {
            var h: UInt64 = Self.kindRaw
            for byte in text.utf8 { h = Self.step(h, UInt32(byte)) }
            add(h, 1)
        }
    }

    private struct WordState {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var length = 0
        var p1: UInt32 = FeatureAccumulator.wordStart
        var p2: UInt32 = FeatureAccumulator.none
        var previousWord: UInt64? = nil
    }

    @inline(__always)
    private mutating func wordChar(_ c: UInt32, _ w: inout WordState) {
        w.hash = Self.step(w.hash, c)
        w.length += 1
        if w.p2 != Self.none { add(Self.hash(Self.kindTrigram, w.p2, w.p1, c), 0.3) }
        w.p2 = w.p1
        w.p1 = c
    }

    private mutating func flushWord(_ w: inout WordState) {
        guard w.length > 0 else { return }
        add(Self.hash(Self.kindTrigram, w.p2, w.p1, Self.wordEnd), 0.3)
        let word = w.hash
        add(Self.step(word, UInt32(Self.kindWord)), Self.stopWords.contains(word) ? 0.25 : 1)
        if let previous = w.previousWord {
            add(SplitMix64.mix(previous &+ Self.kindWordPair) ^ word, 0.5)
        }
        w = WordState(previousWord: word)
    }

    private struct CJKState {
        var p1: UInt32 = FeatureAccumulator.none
        var p2: UInt32 = FeatureAccumulator.none
    }

    @inline(__always)
    private mutating func cjkChar(_ c: UInt32, _ s: inout CJKState) {
        add(Self.hash(Self.kindCJK1, c), Self.stopCJK.contains(c) ? 0.15 : 0.5)
        if s.p1 != Self.none { add(Self.hash(Self.kindCJK2, s.p1, c), 1) }
        if s.p2 != Self.none { add(Self.hash(Self.kindCJK3, s.p2, s.p1, c), 0.5) }
        s.p2 = s.p1
        s.p1 = c
    }

    @inline(__always)
    private func flushCJK(_ s: inout CJKState) {
        s = CJKState()
    }

    /// Han (basic, extension A/B, compatibility), kana, CJK symbols excluded (they separate).
    @inline(__always)
    static func isCJK(_ v: UInt32) -> Bool {
        (v >= 0x4E00 && v <= 0x9FFF) || (v >= 0x3400 && v <= 0x4DBF) || (v >= 0x3040 && v <= 0x30FF)
            || (v >= 0xF900 && v <= 0xFAFF) || (v >= 0x20000 && v <= 0x2A6DF)
    }

    // MARK: - Token ids

    /// Token arrays without a vocabulary: each id is a "word", adjacent ids a "bigram".
    mutating func addTokens(_ ids: [Int]) {
        var previous: UInt64?
        for id in ids {
            let t = UInt64(bitPattern: Int64(id))
            add(SplitMix64.mix(t ^ Self.kindToken), 1)
            if let p = previous { add(SplitMix64.mix(p &* 31 &+ t ^ Self.kindTokenPair), 0.5) }
            previous = t
        }
        if ids.isEmpty { add(Self.kindRaw, 1) }
    }

    // MARK: - Stop lists

    /// English function words, by their word hash (the same FNV-1a the pass computes).
    static let stopWords: Set<UInt64> = Set([
        "a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as", "and", "or",
        "but", "is", "are", "was", "were", "be", "been", "it", "its", "this", "that", "these", "those",
        "there", "which", "who", "what", "do", "does", "did", "has", "have", "had", "not", "no", "so",
        "if", "than", "then", "into", "s", "t",
    ].map { word in word.unicodeScalars.reduce(UInt64(0xcbf2_9ce4_8422_2325)) { step($0, $1.value) } })

    /// Very common Chinese particles and pronouns, weighted down as single characters.
    static let stopCJK: Set<UInt32> = Set("的了是在和也就都而及与着或一个我你他她它们这那".unicodeScalars.map(\.value))
}
