/// Seeded strings that a pattern matches, for JSON Schema `pattern`s: a random walk over the parsed
/// pattern (a branch of each alternation, a count within each repetition, a member of each class),
/// checked with the matcher by the caller. Unbounded repetitions stay short (at most 3 more than
/// their minimum); classes draw from ASCII letters, digits and a few symbols and spaces, else from
/// their own ranges. Gives up (nil) on what it cannot satisfy, such as an empty class, when the
/// string would pass `maxScalars`, or when the walk would pass ``maxSteps(_:)`` nodes; so a sample
/// costs time linear in `maxScalars` plus the pattern's size, whatever the pattern.
struct RegexSampler {
    private var rng: SeededRandom
    private var out = String.UnicodeScalarView()
    /// `out.count`, which the view itself counts by walking its UTF-8 (quadratic when asked per step).
    private var length = 0
    private let maxScalars: Int
    /// Nodes left to visit. Output alone does not bound the walk: `((|)*)*…` nested deep repeats
    /// nothing a random number of times at every level, exponentially many visits for an empty string.
    private var steps: Int

    private init(seed: UInt64, maxScalars: Int) {
        rng = SeededRandom(seed: seed)
        self.maxScalars = maxScalars
        steps = Self.maxSteps(maxScalars)
    }

    /// Visits allowed for a sample of at most `maxScalars`: a few per scalar, and room for every node of
    /// the largest program (``RegexProgram/maxInstructions``).
    static func maxSteps(_ maxScalars: Int) -> Int { 8 * max(maxScalars, 0) + 4 * RegexProgram.maxInstructions }

    static func sample(_ node: RegexNode, seed: UInt64, maxScalars: Int = 10_000) -> String? {
        var sampler = RegexSampler(seed: seed, maxScalars: maxScalars)
        guard sampler.walk(node), sampler.length <= maxScalars else { return nil }
        return String(sampler.out)
    }

    private mutating func walk(_ node: RegexNode) -> Bool {
        guard length <= maxScalars, steps > 0 else { return false }
        steps -= 1
        switch node {
        case .empty, .assertion:
            return true
        case .scalar(let s, _):
            out.append(s)
            length += 1
            return true
        case .set(let set):
            guard let s = member(of: set) else { return false }
            out.append(s)
            length += 1
            return true
        case .concat(let items):
            return items.allSatisfy { walk($0) }
        case .alternation(let branches):
            return walk(branches[pick(branches.count)])
        case .repetition(let body, let low, let high):
            let extra = min((high ?? low + 3) - low, 3)
            let count = low + (extra > 0 ? pick(extra + 1) : 0)
            for _ in 0..<count {
                guard walk(body) else { return false }
            }
            return true
        }
    }

    private mutating func pick(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }

    /// Readable candidates first (a few random tries, then all of them); then the set's own ranges
    /// (for `[α-ω]` or `\p{Han}`).
    private mutating func member(of set: RegexCharacterSet) -> Unicode.Scalar? {
        for _ in 0..<16 {
            let c = Self.readable[pick(Self.readable.count)]
            if set.contains(c) { return Unicode.Scalar(c) }
        }
        let readable = Self.readable.filter { set.contains($0) }
        if !readable.isEmpty { return Unicode.Scalar(readable[pick(readable.count)]) }
        guard !set.negated else { return nil }
        var ranges: [ClosedRange<UInt32>] = []
        for item in set.items {
            switch item {
            case .range(let low, let high): ranges.append(low...high)
            case .property(.ranges(let list), negated: false): ranges += list
            default: break
            }
        }
        for _ in 0..<8 where !ranges.isEmpty {
            let range = ranges[pick(ranges.count)]
            let value = range.lowerBound + UInt32(rng.next() % UInt64(range.upperBound - range.lowerBound + 1))
            if let s = Unicode.Scalar(value), set.contains(value) { return s }
        }
        return nil
    }

    private static let readable: [UInt32] =
        Array(0x61...0x7A) + Array(0x41...0x5A) + Array(0x30...0x39) + Array("_-. @:/+#,".unicodeScalars.map(\.value))
}
