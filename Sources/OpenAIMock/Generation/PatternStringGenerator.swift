/// Best-effort strings matching simple regular expressions, for JSON Schema `pattern`.
///
/// Understands literals, escapes (`\d \w \s \.` …), classes (`[A-Z0-9_-]`, `[^…]` approximated), `.`,
/// groups with alternation, and the quantifiers `? * + {n} {n,} {n,m}` (unbounded ones are capped small).
/// Anchors are dropped. Anything else (lookaround, backreferences) makes it give up and return nil; the
/// caller then verifies with the real regex engine and falls back.
struct PatternStringGenerator {
    private let chars: [Character]
    private var index = 0
    private var rng: SeededRandom

    init(pattern: String, seed: UInt64) {
        chars = Array(pattern)
        rng = SeededRandom(seed: seed)
    }

    /// A string for the whole pattern, or nil when it uses unsupported syntax.
    mutating func generate() -> String? {
        index = 0
        guard let out = alternation(), index == chars.count else { return nil }
        return out
    }

    private mutating func alternation() -> String? {
        var branches: [String] = []
        guard let first = sequence() else { return nil }
        branches.append(first)
        while index < chars.count && chars[index] == "|" {
            index += 1
            guard let next = sequence() else { return nil }
            branches.append(next)
        }
        return branches[Int(rng.next() % UInt64(branches.count))]
    }

    private mutating func sequence() -> String? {
        var out = ""
        while index < chars.count && chars[index] != "|" && chars[index] != ")" {
            guard let atom = atom() else { return nil }
            let (low, high) = quantifier()
            let times = low == high ? low : Int.random(in: low...high, using: &rng)
            for t in 0..<times { out += t == 0 ? atom.first : atom.again(&rng) }
        }
        return out
    }

    /// An atom's first rendering plus a way to render it again (classes draw a new character each time).
    private struct Atom {
        var first: String
        var again: (inout SeededRandom) -> String
    }

    private mutating func atom() -> Atom? {
        let c = chars[index]
        index += 1
        switch c {
        case "^", "$": return Atom(first: "") { _ in "" }
        case "(":
            if index + 1 < chars.count && chars[index] == "?" {
                guard chars[index + 1] == ":" else { return nil }  // only non-capturing groups
                index += 2
            }
            let start = index
            guard let body = alternation(), index < chars.count, chars[index] == ")" else { return nil }
            index += 1
            let end = index - 1
            let sub = String(chars[start..<end])
            return Atom(first: body) { rng in
                var again = PatternStringGenerator(pattern: sub, seed: rng.next())
                return again.generate() ?? body
            }
        case "[":
            guard let set = characterClass() else { return nil }
            return Atom(first: pick(set)) { rng in set[Int(rng.next() % UInt64(set.count))] }
        case ".": return classAtom(Self.word)
        case "\\":
            guard index < chars.count else { return nil }
            let e = chars[index]
            index += 1
            switch e {
            case "d": return classAtom(Self.digits)
            case "w": return classAtom(Self.word)
            case "s": return Atom(first: " ") { _ in " " }
            case "D", "W", "S", "b", "B", "1", "2", "3": return nil
            default: return Atom(first: String(e)) { _ in String(e) }
            }
        case "*", "+", "?", "{", ")", "|": return nil
        default: return Atom(first: String(c)) { _ in String(c) }
        }
    }

    private mutating func classAtom(_ set: [String]) -> Atom {
        Atom(first: pick(set)) { rng in set[Int(rng.next() % UInt64(set.count))] }
    }

    private mutating func pick(_ set: [String]) -> String { set[Int(rng.next() % UInt64(set.count))] }

    /// `[...]` after the `[`: the allowed characters (a negated class draws from letters and digits not listed).
    private mutating func characterClass() -> [String]? {
        var negated = false
        if index < chars.count && chars[index] == "^" { negated = true; index += 1 }
        var set: [String] = []
        var first = true
        while index < chars.count && (chars[index] != "]" || first) {
            first = false
            var c = chars[index]
            index += 1
            if c == "\\" {
                guard index < chars.count else { return nil }
                let e = chars[index]
                index += 1
                switch e {
                case "d": set += Self.digits; continue
                case "w": set += Self.word; continue
                case "s": set.append(" "); continue
                default: c = e
                }
            }
            if index + 1 < chars.count && chars[index] == "-" && chars[index + 1] != "]",
               let low = c.unicodeScalars.first?.value, let high = chars[index + 1].unicodeScalars.first?.value, low <= high {
                index += 2
                for v in low...min(high, low + 400) { if let s = Unicode.Scalar(v) { set.append(String(Character(s))) } }
            } else {
                set.append(String(c))
            }
        }
        guard index < chars.count else { return nil }
        index += 1  // ]
        if negated {
            let excluded = Set(set)
            set = (Self.word + [" ", "-", "."]).filter { !excluded.contains($0) }
        }
        return set.isEmpty ? nil : set
    }

    /// `? * + {n} {n,} {n,m}` → (low, high), unbounded capped at low + 3.
    private mutating func quantifier() -> (Int, Int) {
        guard index < chars.count else { return (1, 1) }
        var result: (Int, Int)
        switch chars[index] {
        case "?": index += 1; result = (0, 1)
        case "*": index += 1; result = (0, 3)
        case "+": index += 1; result = (1, 4)
        case "{":
            guard let close = chars[index...].firstIndex(of: "}") else { return (1, 1) }
            let body = String(chars[(index + 1)..<close])
            let parts = body.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingSpaces) }
            guard let low = parts.first ?? nil else { return (1, 1) }
            index = close + 1
            if parts.count == 1 { result = (low, low) }
            else if let high = parts[1] { result = (low, max(low, high)) }
            else { result = (low, low + 3) }
        default: return (1, 1)
        }
        if index < chars.count && (chars[index] == "?" || chars[index] == "+") { index += 1 }  // lazy/possessive
        return result
    }

    static let digits = (0...9).map(String.init)
    static let word = (Array("abcdefghijklmnopqrstuvwxyz") + Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")).map { String($0) }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var s = self
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return s
    }
}
