/// New text in the style of the training completions, for prompts the model was not trained on.
///
/// An n-gram sampler over the completions' token ids: each next token is drawn from what followed the last
/// 3, 2 or 1 tokens in the known completions (`StyleIndex`), half of the time from the nearest examples'
/// completions alone, so the text follows what was said to similar prompts. It starts from the contexts that
/// began completions (their openings) and stops where they ended (their endings: `。`, ` END`, `Haha`),
/// aiming for the length of a neighbour's completion. The prompt steers it: its words known to the
/// completions are preferred when drawn as candidates, and when the prompt is a list of short fields like
/// a neighbour's prompt (`宋,发射激光,艰难 ->`), a neighbour's field values in the text become the prompt's.
/// A draw that equals a training completion is drawn again (and if every draw does, one says a stretch
/// of itself twice).
struct StyleGenerator {
    let knowledge: LearnedKnowledge
    let known: Int
    var rng: SeededRandom
    /// Positions at or beyond this belong to examples the model does not know.
    private let limit: Int

    static let candidates = 4
    static let attempts = 6

    init(knowledge: LearnedKnowledge, known: Int, seed: UInt64) {
        self.knowledge = knowledge
        self.known = known
        rng = SeededRandom(seed: seed ^ 0x5354_594C_4547_454E)
        limit = Int(knowledge.corpus.starts[known])
    }

    mutating func generate(prompt: LearningPrompt, neighbours found: [SimilarityIndex.Neighbour]) -> String {
        var neighbours = found
        // A list of fields that shares nothing with the known prompts (`周,种树,丰收 ->`) still takes the
        // shape of a known prompt with as many fields: its completion, with the fields swapped in.
        if neighbours.isEmpty, let shaped = sameShape(prompt.queryText) {
            neighbours = [SimilarityIndex.Neighbour(document: shaped, score: 1)]
        }
        let rules = substitutions(prompt.queryText, neighbours: neighbours)
        // The prompt's words, and the neighbours' field values that will become the prompt's.
        let boost = boostedTokens(([prompt.queryText] + rules.map(\.from)).joined(separator: "\n"))
        var text = ""
        var fallback: String?
        for _ in 0..<Self.attempts {
            text = Self.substitute(knowledge.corpus.text(sample(neighbours: neighbours, boost: boost)), rules)
            guard !isKnown(text) else { continue }
            // Prefer a draw that took up the prompt's fields.
            if rules.isEmpty || rules.contains(where: { text.contains($0.to) }) { return text }
            fallback = fallback ?? text
        }
        if let fallback { return fallback }
        // Every draw was a copy (data whose completions barely differ): draw once more and say a middle
        // stretch of it twice, keeping its opening and ending.
        let pieces = TokenCounter.tokenize(Self.substitute(knowledge.corpus.text(sample(neighbours: neighbours, boost: boost)), rules))
        guard pieces.count >= 4 else { return text }
        let from = pieces.count / 4, to = max(from + 1, pieces.count / 2)
        let longer = (pieces[..<to] + pieces[from..<to] + pieces[to...]).joined()
        return isKnown(longer) ? text : longer
    }

    private func isKnown(_ text: String) -> Bool {
        knowledge.knownTexts.contains(LearningHash.text(RecallIndex.normalized(text)))
    }

    /// One draw of token ids (without BOS and EOS).
    private mutating func sample(neighbours: [SimilarityIndex.Neighbour], boost: [Int32: Int]) -> [Int32] {
        let corpus = knowledge.corpus
        let model = neighbours.isEmpty ? Int(rng.next() % UInt64(known)) : pick(neighbours)
        let target = max(1, corpus.length(model))
        let cap = target * 2 + 8
        var out: [Int32] = [TokenCorpus.bos]
        var boost = boost
        var ended = false
        while out.count - 1 < cap {
            let short = out.count - 1 < target / 2
            let endable = canEnd(after: out[...])
            var candidates = nextCandidates(out, neighbours: neighbours, canEnd: !short && endable)
            if short || !endable {
                // Only a context that ended a completion may end this one (not every "." ends a text).
                let going = candidates.filter { $0 != TokenCorpus.eos }
                if !going.isEmpty { candidates = going }
            }
            let long = out.count - 1 >= target
            if long && endable && rng.unit() < 0.5 { ended = true; break }
            var next = candidates[0]
            if let wanted = candidates.first(where: { (boost[$0] ?? 0) > 0 }) {
                next = wanted
                boost[wanted, default: 0] -= 1
            } else if long && candidates.contains(TokenCorpus.eos) {
                next = TokenCorpus.eos
            }
            if next == TokenCorpus.eos { ended = true; break }
            out.append(next)
        }
        if !ended {
            // Cut back to the last place a completion could end, or borrow the model completion's ending.
            if let cut = stride(from: out.count - 1, through: 2, by: -1).first(where: { canEnd(after: out[..<$0]) }) {
                out.removeSubrange(cut...)
            } else {
                out += corpus.tokens[corpus.range(model)].dropLast().suffix(2)
            }
        }
        out.removeFirst()
        return out
    }

    /// Whether a known completion ended after the longest known context (of at least 2 tokens) of `out`.
    private func canEnd(after out: ArraySlice<Int32>) -> Bool {
        let n = out.count
        guard n >= 2 else { return false }
        for length in stride(from: min(StyleIndex.maxOrder, n), through: 2, by: -1) {
            let key = out.withUnsafeBufferPointer { LearningHash.context($0, before: n, length: length) }
            if let ends = knowledge.style.ends(after: key, before: limit) { return ends }
        }
        return false
    }

    /// A neighbour drawn in proportion to its similarity.
    private mutating func pick(_ neighbours: [SimilarityIndex.Neighbour]) -> Int {
        let total = neighbours.reduce(Float(0)) { $0 + $1.score }
        var x = Float(rng.unit()) * total
        for n in neighbours {
            x -= n.score
            if x < 0 { return n.document }
        }
        return neighbours[neighbours.count - 1].document
    }

    /// Tokens that may come next after `out` (which starts with BOS), from one neighbour's completion or
    /// from all known completions, backing off from 3 tokens of context to 1.
    /// With `canEnd` false (the text is still short), a context is only used when it can go on.
    private mutating func nextCandidates(_ out: [Int32], neighbours: [SimilarityIndex.Neighbour], canEnd: Bool) -> [Int32] {
        let corpus = knowledge.corpus
        let n = out.count
        if !neighbours.isEmpty && rng.unit() < 0.5 {
            let r = corpus.range(pick(neighbours))
            for length in stride(from: min(StyleIndex.maxOrder, n), through: 1, by: -1) {
                var found: [Int32] = []
                for q in (r.lowerBound + length)..<r.upperBound
                    where (canEnd || corpus.tokens[q] != TokenCorpus.eos)
                    && corpus.tokens[(q - length)..<q].elementsEqual(out[(n - length)..<n]) {
                    found.append(corpus.tokens[q])
                }
                if !found.isEmpty { return draw(Self.candidates) { found[$0 % found.count] } }
            }
        }
        for length in stride(from: min(StyleIndex.maxOrder, n), through: 1, by: -1) {
            let key = out.withUnsafeBufferPointer { LearningHash.context($0, before: n, length: length) }
            let seen = knowledge.style.occurrences(of: key, before: limit)
            if seen.isEmpty { continue }
            // A context seen once would copy its example: sometimes back off to a shorter one.
            if length > 1 && seen.count < 2 && rng.unit() < 0.3 { continue }
            let drawn = draw(Self.candidates) { corpus.tokens[Int(seen[seen.startIndex + $0 % seen.count])] }
            let going = drawn.filter { $0 != TokenCorpus.eos }
            if canEnd || !going.isEmpty { return canEnd ? drawn : going }
        }
        return [TokenCorpus.eos]
    }

    private mutating func draw(_ count: Int, _ item: (Int) -> Int32) -> [Int32] {
        var out: [Int32] = []
        for _ in 0..<count { out.append(item(Int(rng.next() >> 2))) }
        return out
    }

    /// The prompt's words that the completions use but not all the time (no `的`, no ` the`), each
    /// preferred up to twice.
    private func boostedTokens(_ prompt: String) -> [Int32: Int] {
        let corpus = knowledge.corpus
        let common = max(3, corpus.tokens.count / 100)
        var out: [Int32: Int] = [:]
        for piece in TokenCounter.tokenize(prompt) {
            let word = String(piece.unicodeScalars.filter { !TextFeatures.isSpace($0) })
            guard word.unicodeScalars.contains(where: TextFeatures.isWordScalar) else { continue }
            for variant in [piece, word, " " + word] {
                if let id = corpus.id(of: variant), Int(knowledge.tokenFrequency[Int(id)]) <= common,
                   word.unicodeScalars.count > 1 || TextFeatures.isCJK(word.unicodeScalars.first!.value) {
                    out[id] = 2
                }
            }
        }
        return out
    }

    /// A known example whose prompt has as many fields as `prompt` (a few seeded probes, never a scan).
    private mutating func sameShape(_ prompt: String) -> Int? {
        let count = Self.fields(prompt).count
        guard count >= 2, known > 0 else { return nil }
        for _ in 0..<32 {
            let e = Int(rng.next() % UInt64(known))
            if Self.fields(knowledge.examples[e].prompt.queryText).count == count { return e }
        }
        return nil
    }

    /// When the prompt is a list of short fields shaped like a neighbour's prompt, that neighbour's field
    /// values map to the prompt's (longest first).
    private func substitutions(_ prompt: String, neighbours: [SimilarityIndex.Neighbour]) -> [(from: String, to: String)] {
        let fields = Self.fields(prompt)
        guard fields.count >= 2 else { return [] }
        var rules: [(from: String, to: String)] = []
        for n in neighbours.prefix(3) {
            let theirs = Self.fields(knowledge.examples[n.document].prompt.queryText)
            guard theirs.count == fields.count else { continue }
            for (from, to) in zip(theirs, fields) where from != to && from.count <= 16 && to.count <= 16
                && !rules.contains(where: { $0.from == from }) {
                rules.append((from, to))
            }
        }
        return rules.sorted { $0.from.utf8.count != $1.from.utf8.count ? $0.from.utf8.count > $1.from.utf8.count : $0.from < $1.from }
    }

    /// The fields of a list-like prompt: split at `, ， 、 ; ； | /` and line breaks, trimmed of anything
    /// that is not a letter or digit at both ends; empty fields and pure separators (`->`, `###`) dropped.
    static func fields(_ text: String) -> [String] {
        let separators: Set<Character> = [",", "，", "、", ";", "；", "|", "/", "\n", "\t"]
        return text.split(whereSeparator: { separators.contains($0) }).compactMap { part in
            let scalars = Array(part.unicodeScalars)
            guard let first = scalars.firstIndex(where: TextFeatures.isWordScalar),
                  let last = scalars.lastIndex(where: TextFeatures.isWordScalar)
            else { return nil }
            var s = ""
            s.unicodeScalars.append(contentsOf: scalars[first...last])
            return s
        }
    }

    /// Replaces every occurrence of each rule's `from` (earlier rules first at a position).
    static func substitute(_ text: String, _ rules: [(from: String, to: String)]) -> String {
        guard !rules.isEmpty else { return text }
        let bytes = Array(text.utf8)
        let patterns = rules.map { (Array($0.from.utf8), Array($0.to.utf8)) }
        var out: [UInt8] = []
        var i = 0
        outer: while i < bytes.count {
            for (from, to) in patterns where i + from.count <= bytes.count && bytes[i..<(i + from.count)].elementsEqual(from) {
                out += to
                i += from.count
                continue outer
            }
            out.append(bytes[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
