/// The moderation classifier's knowledge: term sets and rules that combine them.
///
/// A **term** is a phrase in the lexicon's own little syntax: words separated by spaces, a
/// trailing `*` makes the last word a prefix (`kill*` matches `killed`, `killing`), and every
/// CJK character is a word of its own (so `杀了你` is three tokens and Chinese needs no
/// segmenter). A **rule** names term sets that must all match in one clause: in order and
/// at most `window` tokens apart (`I will` · `kill` · `you`), or in any order for `unordered`
/// rules (a sexual term near a term for a minor). Each satisfied rule adds its evidence to
/// categories; more hits add more (see ``ModerationClassifier``).
///
/// Benign compounds (`kill time`, `秒杀`, `杀毒软件`) are blanked before the rules run, which is
/// cheaper and clearer than exceptions inside every rule.
struct ModerationRule: Sendable {
    let sets: [[String]]
    let window: Int
    let ordered: Bool
    let effects: [(ModerationCategory, Double)]

    init(_ sets: [[String]], window: Int = 3, ordered: Bool = true, _ effects: [(ModerationCategory, Double)]) {
        self.sets = sets
        self.window = window
        self.ordered = ordered
        self.effects = effects
    }
}

/// Rules compiled into an index from a token to the terms that can start there.
struct ModerationLexicon: Sendable {
    struct Term: Sendable {
        let set: Int
        let words: [String]
        let lastIsPrefix: Bool
    }

    struct CompiledRule: Sendable {
        let sets: [Int]
        let window: Int
        let ordered: Bool
        let effects: [(ModerationCategory, Double)]
    }

    private var exact: [String: [Term]] = [:]
    /// Single-word prefix terms, by their first character.
    private var prefixes: [Character: [Term]] = [:]
    private(set) var rules: [CompiledRule] = []
    private(set) var setCount = 0
    private var benignSet = -1

    init(rules source: [ModerationRule], benign: [String]) {
        var ids: [[String]: Int] = [:]
        func id(for set: [String]) -> Int {
            if let existing = ids[set] { return existing }
            let new = setCount
            setCount += 1
            ids[set] = new
            for phrase in set { add(phrase, to: new) }
            return new
        }
        benignSet = id(for: benign)
        for rule in source {
            rules.append(CompiledRule(sets: rule.sets.map(id(for:)), window: rule.window, ordered: rule.ordered,
                                      effects: rule.effects))
        }
    }

    private mutating func add(_ phrase: String, to set: Int) {
        var text = phrase
        let prefix = text.hasSuffix("*")
        if prefix { text.removeLast() }
        let words = ModerationText.tokens(text).flatMap { $0 }
        guard let first = words.first else { return }
        let term = Term(set: set, words: words, lastIsPrefix: prefix)
        if prefix && words.count == 1, let c = first.first {
            prefixes[c, default: []].append(term)
        } else {
            exact[first, default: []].append(term)
        }
    }

    /// Evidence per category (indexed like `ModerationCategory.allCases`) for one text.
    func evidence(for text: String) -> [Double] {
        var evidence = [Double](repeating: 0, count: ModerationCategory.allCases.count)
        for var clause in ModerationText.tokens(text) {
            let benign = spans(in: clause, only: benignSet)
            for span in benign[benignSet] { for i in span.start..<span.end { clause[i] = "" } }
            let found = spans(in: clause, only: nil)
            for rule in rules {
                let hits = Self.hits(rule, found)
                guard hits > 0 else { continue }
                // Repetition raises the evidence, with diminishing returns.
                let multiplier = min(1 + 0.5 * Double(hits - 1), 3)
                for (category, weight) in rule.effects {
                    evidence[ModerationVerdict.index(category)] += weight * multiplier
                }
            }
        }
        return evidence
    }

    struct Span { let start: Int; let end: Int }

    /// Every match of every term set (or of one set) in a clause.
    private func spans(in tokens: [String], only: Int?) -> [[Span]] {
        var out = [[Span]](repeating: [], count: setCount)
        for i in tokens.indices where !tokens[i].isEmpty {
            let token = tokens[i]
            if let candidates = exact[token] {
                for term in candidates where (only == nil || only == term.set) && matches(term, tokens, at: i) {
                    out[term.set].append(Span(start: i, end: i + term.words.count))
                }
            }
            if let c = token.first, let candidates = prefixes[c] {
                for term in candidates where (only == nil || only == term.set) && token.hasPrefix(term.words[0]) {
                    out[term.set].append(Span(start: i, end: i + 1))
                }
            }
        }
        return out
    }

    private func matches(_ term: Term, _ tokens: [String], at i: Int) -> Bool {
        guard i + term.words.count <= tokens.count else { return false }
        for (k, word) in term.words.enumerated() {
            let token = tokens[i + k]
            if k == term.words.count - 1 && term.lastIsPrefix {
                if !token.hasPrefix(word) { return false }
            } else if token != word {
                return false
            }
        }
        return true
    }

    /// How many distinct ways the rule is satisfied (0 when it is not).
    private static func hits(_ rule: CompiledRule, _ found: [[Span]]) -> Int {
        let lists = rule.sets.map { found[$0] }
        if lists.contains(where: \.isEmpty) { return 0 }
        if lists.count == 1 { return lists[0].count }
        if !rule.ordered {
            // Two sets, either order, not overlapping, at most `window` tokens apart.
            var n = 0
            for a in lists[0] {
                for b in lists[1] {
                    let gap = b.start >= a.end ? b.start - a.end : a.start >= b.end ? a.start - b.end : -1
                    if gap >= 0 && gap <= rule.window { n += 1 }
                }
            }
            return n
        }
        // In order: each set's match starts after the previous one ends, within the window.
        var reachable = lists[0]
        for next in lists.dropFirst() {
            reachable = next.filter { b in
                reachable.contains { a in b.start >= a.end && b.start - a.end <= rule.window }
            }
            if reachable.isEmpty { return 0 }
        }
        return reachable.count
    }
}

/// Case-folded tokens of a text, split into clauses at sentence punctuation and line breaks.
enum ModerationText {
    static func tokens(_ text: String) -> [[String]] {
        var clauses: [[String]] = []
        var clause: [String] = []
        var word = ""
        func endWord() {
            while word.hasSuffix("'") { word.removeLast() }
            if !word.isEmpty { clause.append(word); word = "" }
        }
        func endClause() {
            endWord()
            if !clause.isEmpty { clauses.append(clause); clause = [] }
        }
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if FeatureAccumulator.isCJK(v) {
                endWord()
                clause.append(String(scalar))
            } else if v == 0x27 || v == 0x2019 {
                if !word.isEmpty { word.append("'") }
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                if scalar.properties.changesWhenLowercased {
                    word.unicodeScalars.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
                } else {
                    word.unicodeScalars.append(scalar)
                }
            } else if ".!?;\n。！？；…".unicodeScalars.contains(scalar) {
                endClause()
            } else {
                endWord()
            }
        }
        endClause()
        return clauses
    }
}
