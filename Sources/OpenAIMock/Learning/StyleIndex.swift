/// Where every context of 1–3 tokens occurs in the training completions: for each context, the positions
/// of the tokens that followed it, ascending. Because completions are stored in training order, the
/// occurrences a checkpoint knows are a prefix of each list, found by binary search; drawing one of them
/// at random samples the next token from the maximum-likelihood n-gram distribution of the known data.
struct StyleIndex: Sendable {
    static let maxOrder = 3

    /// Context hash → its number, in the order contexts are first met in the corpus.
    private let numbers: FlatHashMap<Int32>
    /// Occurrences of context `c` are `positions[offsets[c] ..< offsets[c + 1]]`.
    private let offsets: [Int32]
    private let positions: [Int32]
    /// Per context, the first position where a text ended right after it (EOS), or `Int32.max`.
    private let firstEnd: [Int32]

    init(corpus: TokenCorpus) {
        // One hashing pass groups the occurrences by context; a second pass over the corpus places them.
        var groups = KeyGroups(expectedEntries: corpus.tokens.count * Self.maxOrder)
        corpus.tokens.withUnsafeBufferPointer { tokens in
            Self.forEachTarget(corpus) { p, lengths in
                var context = LearningHash.emptyContext
                for length in 1...lengths {
                    context = LearningHash.step(context, tokens[p - length])
                    groups.add(context)
                }
            }
        }
        let numbers = groups.numbers
        let groupCount = groups.sizes.count
        self.numbers = numbers
        offsets = groups.offsets
        let slots = groups.takeSlots()
        var positions = [Int32](repeating: 0, count: slots.count)
        var firstEnd = [Int32](repeating: .max, count: groupCount)
        var k = 0
        corpus.tokens.withUnsafeBufferPointer { tokens in
            Self.forEachTarget(corpus) { p, lengths in
                let ends = tokens[p] == TokenCorpus.eos
                var context = LearningHash.emptyContext
                for length in 1...lengths {
                    positions[Int(slots[k])] = Int32(p)
                    if ends {
                        context = LearningHash.step(context, tokens[p - length])
                        let number = Int(numbers.find(context) ?? 0)
                        if firstEnd[number] == .max { firstEnd[number] = Int32(p) }
                    }
                    k += 1
                }
            }
        }
        self.positions = positions
        self.firstEnd = firstEnd
    }

    /// Calls `body(position, contextLengths)` for every target token (after BOS, through EOS), with how many
    /// context lengths fit inside its text.
    private static func forEachTarget(_ corpus: TokenCorpus, _ body: (Int, Int) -> Void) {
        for i in 0..<corpus.count {
            let r = corpus.range(i)
            for p in (r.lowerBound + 1)..<r.upperBound { body(p, min(maxOrder, p - r.lowerBound)) }
        }
    }

    /// Whether a text before `limit` ended right after `context`; nil when no text before `limit` has it.
    func ends(after context: UInt64, before limit: Int) -> Bool? {
        guard let number = numbers.find(context), Int(positions[Int(offsets[Int(number)])]) < limit else { return nil }
        return Int(firstEnd[Int(number)]) < limit
    }

    /// The positions after `context` that lie before `limit` (the first position a view does not know).
    func occurrences(of context: UInt64, before limit: Int) -> ArraySlice<Int32> {
        guard let number = numbers.find(context) else { return [] }
        let start = Int(offsets[Int(number)])
        var lo = start, hi = Int(offsets[Int(number) + 1])
        while lo < hi {
            let mid = (lo + hi) / 2
            if Int(positions[mid]) < limit { lo = mid + 1 } else { hi = mid }
        }
        return positions[start..<lo]
    }
}
