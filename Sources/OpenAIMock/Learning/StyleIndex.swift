/// Where every context of 1–3 tokens occurs in the training completions: for each context, the positions
/// of the tokens that followed it, ascending. Because completions are stored in training order, the
/// occurrences a checkpoint knows are a prefix of each list, found by binary search; drawing one of them
/// at random samples the next token from the maximum-likelihood n-gram distribution of the known data.
struct StyleIndex: Sendable {
    static let maxOrder = 3

    /// Context hash → `offset << 32 | count` into `positions`.
    private let table: FlatHashMap<UInt64>
    private let positions: [Int32]

    init(corpus: TokenCorpus) {
        var counts = FlatHashMap<UInt64>(capacity: corpus.tokens.count, empty: 0)
        Self.forEachContext(corpus) { key, _ in counts[slot: counts.slot(key)] += 1 }
        // Offsets in a deterministic order: the order contexts are first met while scanning the corpus.
        var offsets = FlatHashMap<UInt64>(capacity: counts.count, empty: 0)
        var next: UInt64 = 0
        Self.forEachContext(corpus) { key, _ in
            let slot = offsets.slot(key)
            if offsets[slot: slot] == 0 {
                let n = counts.find(key) ?? 0
                offsets[slot: slot] = (next << 32 | n) + 1  // +1 keeps a set entry non-zero
                next += n
            }
        }
        var fill = [Int32](repeating: 0, count: Int(next))
        var written = FlatHashMap<UInt32>(capacity: offsets.count, empty: 0)
        Self.forEachContext(corpus) { key, position in
            let entry = (offsets.find(key) ?? 1) - 1
            let slot = written.slot(key)
            fill[Int(entry >> 32) + Int(written[slot: slot])] = Int32(position)
            written[slot: slot] += 1
        }
        table = offsets
        positions = fill
    }

    /// Calls `body(contextHash, targetPosition)` for every target token (after BOS, through EOS) and every
    /// context length that fits inside its text.
    private static func forEachContext(_ corpus: TokenCorpus, _ body: (UInt64, Int) -> Void) {
        corpus.tokens.withUnsafeBufferPointer { tokens in
            for i in 0..<corpus.count {
                let r = corpus.range(i)
                for p in (r.lowerBound + 1)..<r.upperBound {
                    for length in 1...min(maxOrder, p - r.lowerBound) {
                        body(LearningHash.context(tokens, before: p, length: length), p)
                    }
                }
            }
        }
    }

    /// The positions after `context` that lie before `limit` (the first position a view does not know).
    func occurrences(of context: UInt64, before limit: Int) -> ArraySlice<Int32> {
        guard let entry = table.find(context), entry != 0 else { return [] }
        let start = Int((entry - 1) >> 32), count = Int((entry - 1) & 0xFFFF_FFFF)
        var lo = start, hi = start + count
        while lo < hi {
            let mid = (lo + hi) / 2
            if Int(positions[mid]) < limit { lo = mid + 1 } else { hi = mid }
        }
        return positions[start..<lo]
    }
}
