#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Token n-gram counts (contexts of 0–3 tokens) that grow as a training run sees batches, and score a text
/// under them: Witten-Bell interpolation from an add-one unigram up to the longest known context.
/// This is the "model so far" behind the per-step loss and token accuracy.
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

    private var grams = FlatHashMap<UInt32>(capacity: 1 << 16, empty: 0)
    private var contexts = FlatHashMap<ContextStats>(capacity: 1 << 14, empty: ContextStats())
    /// Size of the token vocabulary the add-one unigram spreads over.
    let vocabularySize: Int

    init(vocabularySize: Int) { self.vocabularySize = vocabularySize }

    /// Scores `tokens[range]` like `score`, and notes the table slots its counts go to in `pending`, so that
    /// `commit` can learn it later without hashing again (slots of keys not yet counted are made, empty).
    mutating func scoreNoting(_ tokens: UnsafeBufferPointer<Int32>, _ range: Range<Int>, pending: inout [Int]) -> Score {
        var out = Score()
        let v = Double(vocabularySize)
        for p in (range.lowerBound + 1)..<range.upperBound {
            let w = tokens[p]
            var probability = 1 / v
            var correct = false
            var context = LearningHash.emptyContext
            var known = true
            for length in 0...min(StyleIndex.maxOrder, p - range.lowerBound) {
                if length > 0 { context = LearningHash.step(context, tokens[p - length]) }
                let g = grams.slot(LearningHash.gram(context, w))
                let c = contexts.slot(context)
                pending.append(g)
                pending.append(c)
                let stats = contexts[slot: c]
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
            out.loss -= log(probability)
            if correct { out.correct += 1 }
            out.tokens += 1
        }
        return out
    }

    /// Whether slots noted while the tables had `size` slots are still valid.
    func slotsValid(_ size: (grams: Int, contexts: Int)) -> Bool { size == tableSizes }

    var tableSizes: (grams: Int, contexts: Int) { (grams.slotCount, contexts.slotCount) }

    /// Learns what `scoreNoting` noted (valid only while `slotsValid`).
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

    /// Counts every token of `tokens[range]` after its BOS (through EOS) in each context that fits.
    mutating func add(_ tokens: UnsafeBufferPointer<Int32>, _ range: Range<Int>) {
        for p in (range.lowerBound + 1)..<range.upperBound {
            let w = tokens[p]
            var context = LearningHash.emptyContext
            for length in 0...min(StyleIndex.maxOrder, p - range.lowerBound) {
                if length > 0 { context = LearningHash.step(context, tokens[p - length]) }
                let g = grams.slot(LearningHash.gram(context, w))
                grams[slot: g] += 1
                let n = grams[slot: g]
                let c = contexts.slot(context)
                var stats = contexts[slot: c]
                stats.total += 1
                if n == 1 { stats.distinct += 1 }
                if n > stats.max { stats.max = n }
                contexts[slot: c] = stats
            }
        }
    }

    /// Teacher-forced score of `tokens[range]`: each token after BOS (through EOS) given the ones before it.
    /// A token is correct when it is (one of) the most frequent continuation(s) of its longest known context.
    func score(_ tokens: UnsafeBufferPointer<Int32>, _ range: Range<Int>) -> Score {
        var out = Score()
        let v = Double(vocabularySize)
        let orders = StyleIndex.maxOrder + 1
        var contextKeys = [UInt64](repeating: 0, count: orders)
        var found = [ContextStats?](repeating: nil, count: orders)
        var seen = [UInt32](repeating: 0, count: orders)
        for p in (range.lowerBound + 1)..<range.upperBound {
            let w = tokens[p]
            let lengths = min(StyleIndex.maxOrder, p - range.lowerBound)
            // All keys first, then all lookups: the table reads are independent, so their cache misses overlap.
            var context = LearningHash.emptyContext
            for length in 0...lengths {
                if length > 0 { context = LearningHash.step(context, tokens[p - length]) }
                contextKeys[length] = context
            }
            for length in 0...lengths {
                found[length] = contexts.find(contextKeys[length])
                seen[length] = grams.find(LearningHash.gram(contextKeys[length], w)) ?? 0
            }
            var probability = 1 / v
            var correct = false
            for length in 0...lengths {
                guard let stats = found[length], stats.total > 0 else {
                    if length == 0 { continue } else { break }
                }
                let c = Double(seen[length])
                if length == 0 {
                    probability = (c + 1) / (Double(stats.total) + v)
                } else {
                    let t = Double(stats.distinct)
                    probability = (c + t * probability) / (Double(stats.total) + t)
                }
                correct = seen[length] > 0 && seen[length] >= stats.max
            }
            out.loss -= log(probability)
            if correct { out.correct += 1 }
            out.tokens += 1
        }
        return out
    }
}
