#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One alternative token at a position, as in `top_logprobs`.
public struct TokenAlternative: Sendable, Equatable {
    public var token: String
    public var logprob: Double
    /// UTF-8 bytes of `token` (the API sends them so clients can rebuild split characters).
    public var bytes: [UInt8]

    public init(token: String, logprob: Double) {
        self.token = token
        self.logprob = logprob
        self.bytes = Array(token.utf8)
    }
}

/// The chosen token at a position with its alternatives. `topLogprobs` is sorted by descending
/// logprob and starts with the chosen token itself (the mock's model always samples its top token),
/// followed by distinct alternatives; the probabilities of all entries sum to less than 1.
public struct TokenLogprob: Sendable, Equatable {
    public var token: String
    public var logprob: Double
    public var bytes: [UInt8]
    public var topLogprobs: [TokenAlternative]
}

/// Deterministic pseudo logprobs for generated tokens: pure data that the chat (`logprobs.content`) and
/// completions (`tokens`/`token_logprobs`/`top_logprobs`/`text_offset`) endpoints shape into JSON.
public enum LogprobSynthesizer {
    /// - Parameters:
    ///   - tokens: the visible pieces, in order.
    ///   - topLogprobs: how many entries each `topLogprobs` list holds (0…20), the chosen token included.
    ///   - seed: the choice's seed; position `i` uses `seed` and `i`, so a prefix is stable.
    public static func synthesize(_ tokens: [String], topLogprobs: Int, seed: UInt64) -> [TokenLogprob] {
        tokens.enumerated().map { index, token in
            var h = StableHash(seed)
            h.combine(index)
            h.combine(token)
            var rng = SeededRandom(seed: h.finalized)
            // Mostly confident: p0 in (0.3, 1), heavily skewed towards 1.
            let r = rng.unit()
            let chosen = -(r * r * r * 1.2)
            let logprob = chosen == 0 ? -0.000_001 : chosen
            var top: [TokenAlternative] = []
            let want = max(0, min(20, topLogprobs))
            if want > 0 {
                top.append(TokenAlternative(token: token, logprob: logprob))
                let remaining = max(1e-9, 1 - exp(logprob))
                var share = 0.3 + 0.2 * rng.unit()  // ≤ 0.5, and halving at least: the shares sum below 1
                var previous = logprob
                for alternative in alternatives(for: token, count: want - 1, rng: &rng) {
                    var lp = log(remaining * share)
                    if lp >= previous - 0.01 { lp = previous - 0.05 - 0.3 * rng.unit() }
                    top.append(TokenAlternative(token: alternative, logprob: lp))
                    previous = lp
                    share *= 0.25 + 0.25 * rng.unit()
                }
            }
            return TokenLogprob(token: token, logprob: logprob, bytes: Array(token.utf8), topLogprobs: top)
        }
    }

    /// Character offsets of each token in the joined text (completions' `text_offset`), from `start`.
    public static func textOffsets(_ tokens: [String], start: Int = 0) -> [Int] {
        var offsets: [Int] = []
        var position = start
        for token in tokens {
            offsets.append(position)
            position += token.count
        }
        return offsets
    }

    /// `count` distinct plausible tokens other than `token`: case and spacing variants first, then
    /// seeded picks from a pool in the token's script.
    static func alternatives(for token: String, count: Int, rng: inout SeededRandom) -> [String] {
        guard count > 0 else { return [] }
        var seen: Set<String> = [token]
        var out: [String] = []
        func add(_ candidate: String) {
            if out.count < count, !candidate.isEmpty, seen.insert(candidate).inserted { out.append(candidate) }
        }
        let hasSpace = token.hasPrefix(" ")
        let core = hasSpace ? String(token.dropFirst()) : token
        if !core.isEmpty && core.unicodeScalars.allSatisfy({ $0.isASCII && $0.properties.isAlphabetic }) {
            add(hasSpace ? core : " " + core)
            let capital = core.prefix(1).uppercased() + core.dropFirst()
            add((hasSpace ? " " : "") + (capital == core ? core.lowercased() : capital))
        }
        let isCJK = token.unicodeScalars.contains { $0.value >= 0x3000 && $0.value <= 0x9FFF }
        let pool = isCJK ? chinesePool : (core.unicodeScalars.first?.properties.isAlphabetic ?? false ? englishPool : markPool)
        var order = Array(pool.indices)
        order.shuffle(using: &rng)
        for i in order where out.count < count { add(pool[i]) }
        for i in englishPool.indices where out.count < count { add(englishPool[i]) }
        var n = 0
        while out.count < count { add("<\(n)>"); n += 1 }  // unreachable with the pools above, but total
        return out
    }

    static let englishPool = [" the", " a", " and", " of", " to", " in", " is", " that", " it", " for", " this",
                              " with", " as", " on", " be", " can", " more", " not", " which", " an", " are",
                              " by", " or", " also", "The", "It", " we", " they", " its"]
    static let chinesePool = ["的", "是", "了", "在", "和", "有", "我们", "这", "一个", "也", "就", "中", "不",
                              "为", "对", "可以", "会", "与", "上", "，", "。", "能", "而", "这个", "要"]
    static let markPool = [",", ".", " and", "\n", ";", ":", " -", "!", "?", " (", ")", "\n\n", "'s", " the"]
}
