#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Running a grader on one model sample (and dataset item).
extension Grader {
    struct Outcome: Sendable {
        var reward: Double
        /// Each sub-grader's reward (multi graders).
        var subRewards: [(String, Double)]
        /// Prompt tokens a model grader read, by model.
        var tokenUsage: [(model: String, tokens: Int)]
    }

    /// Longest text a similarity is computed over (the measures are quadratic in the worst case).
    static let maxCompared = 4_000

    func run(sample: String, item: JSONValue) -> Outcome {
        switch self {
        case .stringCheck(_, let input, let reference, let operation):
            let a = Self.render(input, sample: sample, item: item), b = Self.render(reference, sample: sample, item: item)
            let hit: Bool
            switch operation {
            case "eq": hit = a == b
            case "ne": hit = a != b
            case "like": hit = a.contains(b)
            default: hit = a.lowercased().contains(b.lowercased())
            }
            return Outcome(reward: hit ? 1 : 0, subRewards: [], tokenUsage: [])
        case .textSimilarity(_, let input, let reference, let metric):
            let a = Self.render(input, sample: sample, item: item), b = Self.render(reference, sample: sample, item: item)
            return Outcome(reward: TextSimilarity.score(metric, String(a.prefix(Self.maxCompared)), String(b.prefix(Self.maxCompared))),
                           subRewards: [], tokenUsage: [])
        case .scoreModel(_, let model, let input, let range):
            // The mock's judgement: how close the sample is to what the item says, placed in the range.
            let prompt = input.map { Self.render($0.text, sample: sample, item: item) }.joined(separator: "\n")
            let reference = Self.referenceText(item) ?? prompt
            let closeness = TextSimilarity.score("rouge_l", String(sample.prefix(Self.maxCompared)),
                                                 String(reference.prefix(Self.maxCompared)))
            let score = range.lowerBound + (range.upperBound - range.lowerBound) * closeness
            return Outcome(reward: (score * 1e6).rounded() / 1e6, subRewards: [],
                           tokenUsage: [(model, TokenCounter.count(prompt) + TokenCounter.count(sample))])
        case .labelModel(_, let model, let input, let labels, let passing):
            let prompt = input.map { Self.render($0.text, sample: sample, item: item) }.joined(separator: "\n")
            // The label the sample names, else the one closest to it.
            let lower = sample.lowercased()
            let label = labels.first { lower.contains($0.lowercased()) }
                ?? labels.max { TextSimilarity.score("fuzzy_match", lower, $0.lowercased()) < TextSimilarity.score("fuzzy_match", lower, $1.lowercased()) }
                ?? ""
            return Outcome(reward: passing.contains(label) ? 1 : 0, subRewards: [],
                           tokenUsage: [(model, TokenCounter.count(prompt) + TokenCounter.count(sample))])
        case .multi(_, let graders, let formula):
            var values: [String: Double] = [:]
            var subs: [(String, Double)] = []
            var usage: [(String, Int)] = []
            for (key, grader) in graders {
                let outcome = grader.run(sample: sample, item: item)
                values[key] = outcome.reward
                subs.append((key, outcome.reward))
                usage += outcome.tokenUsage
            }
            return Outcome(reward: formula.evaluate(values), subRewards: subs, tokenUsage: usage)
        }
    }

    /// The first string an item holds under a reference-like key (or any string), for model graders.
    static func referenceText(_ item: JSONValue) -> String? {
        guard case .object(let o) = item else { return item.stringValue }
        for key in ["reference_answer", "reference", "answer", "expected", "label", "ground_truth"] {
            if let s = o[key]?.stringValue { return s }
        }
        return o.pairs.lazy.compactMap { $0.value.stringValue }.first
    }

    /// `{{sample.output_text}}`, `{{sample.output_json.a.b}}`, `{{item.field}}` filled in; unknown
    /// references become empty.
    static func render(_ template: String, sample: String, item: JSONValue) -> String {
        var out = ""
        var rest = template[...]
        while let open = rest.firstRange(of: "{{") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstRange(of: "}}") else {
                out += rest[open.lowerBound...]
                return out
            }
            let path = rest[open.upperBound..<close.lowerBound].trimmingWhitespace()
            out += value(path, sample: sample, item: item)
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    private static func value(_ path: String, sample: String, item: JSONValue) -> String {
        let parts = path.split(separator: ".").map(String.init)
        guard let head = parts.first else { return "" }
        var node: JSONValue
        switch head {
        case "sample":
            guard parts.count >= 2 else { return sample }
            if parts[1] == "output_text" { return sample }
            guard parts[1] == "output_json", let json = try? JSONValue.parse(Array(sample.utf8)) else { return "" }
            node = json
            for key in parts.dropFirst(2) { node = node[key] ?? .null }
        case "item":
            node = item
            for key in parts.dropFirst() { node = node[key] ?? (Int(key).flatMap { node[$0] }) ?? .null }
        default:
            return ""
        }
        if case .string(let s) = node { return s }
        return node == .null ? "" : node.jsonString
    }

    /// `/graders/run`'s answer.
    func runJSON(_ outcome: Outcome) -> JSONValue {
        let errors = JSONValue.object(JSONObject([
            ("formula_parse_error", false), ("invalid_variable_error", false), ("model_grader_parse_error", false),
            ("model_grader_refusal_error", false), ("model_grader_server_error", false),
            ("model_grader_server_error_details", .null), ("other_error", false), ("python_grader_runtime_error", false),
            ("python_grader_runtime_error_details", .null), ("python_grader_server_error", false),
            ("python_grader_server_error_type", .null), ("sample_parse_error", false),
            ("truncated_observation_error", false), ("unresponsive_reward_error", false),
        ]))
        var models: [(String, JSONValue)] = []
        for (model, tokens) in outcome.tokenUsage {
            models.append((model, .object(JSONObject([("prompt_tokens", .int(tokens)), ("completion_tokens", .int(1)),
                                                      ("total_tokens", .int(tokens + 1))]))))
        }
        let sampled: JSONValue
        switch self {
        case .scoreModel(_, let m, _, _), .labelModel(_, let m, _, _, _): sampled = .string(m)
        default: sampled = .null
        }
        return .object(JSONObject([
            ("reward", .double(outcome.reward)),
            ("metadata", .object(JSONObject([
                ("name", .string(name)), ("type", .string(type)), ("errors", errors), ("execution_time", .double(0)),
                ("scores", .object(JSONObject(outcome.subRewards.map { ($0.0, JSONValue.double($0.1)) }))),
                ("token_usage", outcome.tokenUsage.isEmpty ? .null : .int(outcome.tokenUsage.reduce(0) { $0 + $1.tokens })),
                ("sampled_model_name", sampled),
            ]))),
            ("sub_rewards", .object(JSONObject(outcome.subRewards.map { ($0.0, JSONValue.double($0.1)) }))),
            ("model_grader_token_usage_per_model", .object(JSONObject(models))),
        ]))
    }
}

/// The text-similarity measures the real graders offer, over words (CJK characters count as words).
enum TextSimilarity {
    static func score(_ metric: String, _ a: String, _ b: String) -> Double {
        switch metric {
        case "fuzzy_match": return fuzzy(Array(a), Array(b))
        case "bleu": return bleu(words(a), words(b))
        case "gleu": return gleu(words(a), words(b))
        case "meteor": return meteor(words(a), words(b))
        case "cosine":
            let embedder = Embedder(model: "text-embedding-3-large", nativeDimensions: 3072, dimensions: 256)
            let x = embedder.vector(.text(a)), y = embedder.vector(.text(b))
            return max(0, min(1, Double(zip(x, y).reduce(Float(0)) { $0 + $1.0 * $1.1 })))
        case "rouge_l":
            let x = words(a), y = words(b)
            return f1(overlap: lcs(x, y), x.count, y.count)
        default:
            let n = Int(metric.dropFirst("rouge_".count)) ?? 1
            let x = ngrams(words(a), n), y = ngrams(words(b), n)
            return f1(overlap: clippedMatches(x, y), x.count, y.count)
        }
    }

    static func words(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        for ch in text.lowercased() {
            if ch.unicodeScalars.first.map({ (0x3400...0x9FFF).contains($0.value) }) == true {
                if !current.isEmpty { out.append(current); current = "" }
                out.append(String(ch))
            } else if ch.isLetter || ch.isNumber {
                current.append(ch)
            } else if !current.isEmpty {
                out.append(current)
                current = ""
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    static func ngrams(_ w: [String], _ n: Int) -> [String] {
        guard n > 0, w.count >= n else { return [] }
        return (0...(w.count - n)).map { w[$0..<($0 + n)].joined(separator: " ") }
    }

    /// Matches of `candidate` n-grams in `reference`, each reference n-gram used at most as often as it occurs.
    static func clippedMatches(_ candidate: [String], _ reference: [String]) -> Int {
        var counts: [String: Int] = [:]
        for g in reference { counts[g, default: 0] += 1 }
        var m = 0
        for g in candidate where (counts[g] ?? 0) > 0 {
            counts[g]! -= 1
            m += 1
        }
        return m
    }

    static func f1(overlap: Int, _ a: Int, _ b: Int) -> Double {
        guard a > 0, b > 0, overlap > 0 else { return a == 0 && b == 0 ? 1 : 0 }
        let p = Double(overlap) / Double(a), r = Double(overlap) / Double(b)
        return 2 * p * r / (p + r)
    }

    static func lcs<T: Equatable>(_ a: [T], _ b: [T]) -> Int {
        guard !a.isEmpty, !b.isEmpty else { return 0 }
        var prev = [Int](repeating: 0, count: b.count + 1), cur = prev
        for x in a {
            for j in 1...b.count { cur[j] = x == b[j - 1] ? prev[j - 1] + 1 : max(prev[j], cur[j - 1]) }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }

    /// Indel similarity of the characters (what `rapidfuzz.fuzz.ratio` / 100 gives).
    static func fuzzy(_ a: [Character], _ b: [Character]) -> Double {
        guard !a.isEmpty || !b.isEmpty else { return 1 }
        return 2 * Double(lcs(a, b)) / Double(a.count + b.count)
    }

    static func bleu(_ candidate: [String], _ reference: [String]) -> Double {
        guard !candidate.isEmpty, !reference.isEmpty else { return 0 }
        var logSum = 0.0
        for n in 1...4 {
            let c = ngrams(candidate, n), r = ngrams(reference, n)
            let matches = Double(clippedMatches(c, r)), total = Double(c.count)
            // Add-one smoothing above unigrams, so short sentences do not score zero outright.
            let p = n == 1 ? (total > 0 ? matches / total : 0) : (matches + 1) / (total + 1)
            guard p > 0 else { return 0 }
            logSum += log(p) / 4
        }
        let brevity = candidate.count >= reference.count ? 1 : exp(1 - Double(reference.count) / Double(candidate.count))
        return brevity * exp(logSum)
    }

    static func gleu(_ candidate: [String], _ reference: [String]) -> Double {
        var matches = 0, candidateTotal = 0, referenceTotal = 0
        for n in 1...4 {
            let c = ngrams(candidate, n), r = ngrams(reference, n)
            matches += clippedMatches(c, r)
            candidateTotal += c.count
            referenceTotal += r.count
        }
        guard candidateTotal > 0, referenceTotal > 0 else { return 0 }
        return min(Double(matches) / Double(candidateTotal), Double(matches) / Double(referenceTotal))
    }

    static func meteor(_ candidate: [String], _ reference: [String]) -> Double {
        guard !candidate.isEmpty, !reference.isEmpty else { return 0 }
        // Exact unigram alignment, left to right; chunks are runs of adjacent aligned words.
        var used = [Bool](repeating: false, count: reference.count)
        var aligned: [Int] = []
        for word in candidate {
            if let j = reference.indices.first(where: { !used[$0] && reference[$0] == word }) {
                used[j] = true
                aligned.append(j)
            } else {
                aligned.append(-1)
            }
        }
        let m = aligned.filter { $0 >= 0 }.count
        guard m > 0 else { return 0 }
        var chunks = 0, previous = -2
        for j in aligned {
            if j >= 0 && j != previous + 1 { chunks += 1 }
            previous = j
        }
        let p = Double(m) / Double(candidate.count), r = Double(m) / Double(reference.count)
        let fmean = 10 * p * r / (r + 9 * p)
        return fmean * (1 - 0.5 * pow(Double(chunks) / Double(m), 3))
    }
}
