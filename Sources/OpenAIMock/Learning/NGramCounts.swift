#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Token n-gram counts (contexts of 0–2 tokens) that grow as a training run sees batches, and score a text
/// under them: Witten-Bell interpolation from an add-one unigram up to the longest known context.
/// This is the "model so far" behind the per-step loss and token accuracy. Scoring a batch notes where its
/// counts go, so learning it afterwards costs no second round of hashing.
struct NGramCounts {
    struct ContextStats: Sendable {
        var total: UInt32 = 0
        var distinct: UInt32 = 0
        var max: UInt32 = 0
    }

    /// What scoring a text gave: summed −ln p, argmax-correct tokens, tokens.
    struct Score {
        var loss: Double = 0
        var correct = 0
        var tokens = 0

        static func += (a: inout Score, b: Score) {
            a.loss += b.loss
            a.correct += b.correct
            a.tokens += b.tokens
        }

        var meanLoss: Double { tokens == 0 ? 0 : loss / Double(tokens) }
        var accuracy: Double { tokens == 0 ? 0 : Double(correct) / Double(tokens) }
    }

    /// What the model would answer, mixed into the n-gram probabilities: the answer's tokens (through EOS)
    /// as the ones it expects of this completion, with `first` the probability of the first of them (a
    /// label's vote share; 1 for a recalled completion) and 1 for the rest while they match; `predicted` the
    /// tokens it would say (its argmax); `weight` how much the answer counts against the n-grams.
    struct Guide {
        var expected: [Int32]
        var first: Double
        var predicted: [Int32]
        var weight: Double
    }

    /// Longest context, in tokens (a trigram model).
    static let maxOrder = 2

    private var grams = FlatHashMap<UInt32>(capacity: 1 << 16, empty: 0)
    private var contexts = FlatHashMap<ContextStats>(capacity: 1 << 14, empty: ContextStats())
    /// Size of the token vocabulary the add-one unigram spreads over.
    let vocabularySize: Int

    init(vocabularySize: Int) { self.vocabularySize = vocabularySize }

    /// Makes room for the keys of `tokens` more tokens, so the slots `score` notes stay valid until `commit`.
    mutating func reserve(tokens: Int) {
        grams.reserve(tokens * (Self.maxOrder + 1))
        contexts.reserve(tokens * (Self.maxOrder + 1))
    }

    /// Teacher-forced score of `tokens[range]`: each token after BOS (through EOS) given the ones before it,
    /// under the counts so far. A token is correct when it is (one of) the most frequent continuation(s) of
    /// its longest known context. Notes in `pending` the table slots its counts go to (making empty slots for
    /// keys not counted yet), so that `commit` can learn the text without hashing again. Call `reserve`
    /// for the tokens first.
    /// With a `guide`, each probability is `weight × p(answer) + (1 − weight) × p(n-grams)` and a token is
    /// correct when the answer says it, up to and including the first token where the completion and the
    /// answer part; the n-grams alone score the rest.
    mutating func score(_ tokens: UnsafeBufferPointer<Int32>, _ range: Range<Int>, guide: Guide? = nil,
                        noting pending: inout [Int]) -> Score {
        var out = Score()
        let v = Double(vocabularySize)
        var expectedSoFar = true, predictedSoFar = true
        for p in (range.lowerBound + 1)..<range.upperBound {
            let w = tokens[p]
            var probability = 1 / v
            var correct = false
            var context = LearningHash.emptyContext
            var known = true
            for length in 0...min(Self.maxOrder, p - range.lowerBound) {
                if length > 0 { context = LearningHash.step(context, tokens[p - length]) }
                let g = grams.slot(LearningHash.gram(context, w))
                let c = contexts.slot(context)
                pending.append(g)
                pending.append(c)
                let stats = contexts[slot: c]
                // Witten-Bell: back off from the longest context seen so far to an add-one unigram.
                guard known && stats.total > 0 else {
                    known = length == 0
                    continue
                }
                let n = grams[slot: g]
                if length == 0 {
                    probability = (Double(n) + 1) / (Double(stats.total) + v)
                } else {
                    let t = Double(stats.distinct)
                    probability = (Double(n) + t * probability) / (Double(stats.total) + t)
                }
                correct = n > 0 && n >= stats.max
            }
            if let guide {
                // Once the completion leaves the answer, the answer says nothing more about it.
                let j = p - range.lowerBound - 1
                if expectedSoFar {
                    expectedSoFar = j < guide.expected.count && guide.expected[j] == w
                    let answered = expectedSoFar ? (j == 0 ? guide.first : 1) : 0
                    probability = guide.weight * answered + (1 - guide.weight) * probability
                }
                if predictedSoFar {
                    predictedSoFar = j < guide.predicted.count && guide.predicted[j] == w
                    correct = predictedSoFar
                }
            }
            out.loss -= log(probability)
            if correct { out.correct += 1 }
            out.tokens += 1
        }
        return out
    }

    /// Learns the texts whose slots `score` noted (in the order they were scored).
    mutating func commit(_ pending: [Int]) {
        var i = 0
        while i < pending.count {
            let g = pending[i], c = pending[i + 1]
            grams[slot: g] += 1
            let n = grams[slot: g]
            var stats = contexts[slot: c]
            stats.total += 1
            if n == 1 { stats.distinct += 1 }
            if n > stats.max { stats.max = n }
            contexts[slot: c] = stats
            i += 2
        }
    }
}
