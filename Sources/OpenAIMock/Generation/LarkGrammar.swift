/// A Lark grammar, as custom tools take one (`format: {type: "grammar", grammar: {syntax: "lark", …}}`),
/// parsed to sample inputs it accepts.
///
/// The subset: rules (`start: …`, `?rule`, `!rule`) and terminals (`NAME: …`, `NAME.2: …`); alternatives
/// `|` (also on continuation lines), `-> alias`, groups `( )`, optional `[ ]`, `? * +`, `~n`, `~n..m`,
/// string literals (`"…"`, `"…"i`), ranges `"a".."z"`, regexes `/…/flags` (run by the project's linear
/// regex engine), `%import common.NAME` / `%import common (A, B)` and `%ignore` (ignored whitespace puts
/// one space between the tokens of a sample). Comments start with `//`. Templates and `%declare` are refused.
struct LarkGrammar: Sendable {
    indirect enum Node: Sendable {
        case literal(String)
        case pattern(LinearRegex)
        case ref(String)
        case sequence([Node])
        case choice([Node])
        case repeated(Node, min: Int, max: Int)
    }

    struct SyntaxError: Error, CustomStringConvertible {
        var description: String
    }

    private(set) var rules: [String: Node] = [:]
    private(set) var spaced = false
    /// Fewest nested references a complete derivation of each definition needs.
    private var height: [String: Int] = [:]

    init(_ source: String) throws(SyntaxError) {
        for definition in try Self.definitions(source) {
            if definition.hasPrefix("%") {
                try directive(definition)
                continue
            }
            guard let colon = definition.firstIndex(of: ":") else { throw SyntaxError(description: "expected 'name: …' in '\(definition)'") }
            var name = definition[..<colon].trimmingWhitespace()
            if let first = name.first, "?!".contains(first) { name = String(name.dropFirst()) }
            if let dot = name.firstIndex(of: "."), Int(name[name.index(after: dot)...]) != nil { name = String(name[..<dot]) }
            guard Self.isName(name) else { throw SyntaxError(description: "invalid rule name '\(name)'") }
            var parser = LarkExpansionParser(String(definition[definition.index(after: colon)...]))
            rules[name] = try parser.parseAll()
        }
        guard rules["start"] != nil else { throw SyntaxError(description: "the grammar has no 'start' rule") }
        for (name, node) in rules {
            if let missing = node.references.first(where: { rules[$0] == nil }) {
                throw SyntaxError(description: "'\(name)' uses '\(missing)', which is not defined")
            }
        }
        height = Self.heights(rules)
        if height["start"] == nil { throw SyntaxError(description: "'start' never derives a finite input") }
    }

    /// A seeded input the grammar accepts, or nil if none of a few tries fits `maxScalars`.
    func sample(seed: UInt64, maxScalars: Int) -> String? {
        for attempt in 0..<4 {
            var h = StableHash(seed)
            h.combine("lark")
            h.combine(attempt)
            var sampler = Sampler(grammar: self, rng: SeededRandom(seed: h.finalized), budget: maxScalars)
            var tokens: [String] = []
            guard sampler.walk(.ref("start"), depth: 0, into: &tokens, inTerminal: false) else { continue }
            let text = tokens.joined(separator: spaced ? " " : "")
            if text.unicodeScalars.count <= maxScalars { return text }
        }
        return nil
    }

    // MARK: parsing

    /// Definitions and directives, one string each: comments removed, `|` continuation lines joined.
    private static func definitions(_ source: String) throws(SyntaxError) -> [String] {
        var out: [String] = []
        for raw in source.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let line = stripComment(String(raw)).trimmingWhitespace()
            if line.isEmpty { continue }
            if line.hasPrefix("|") || (raw.first?.isWhitespace == true && !out.isEmpty) {
                guard !out.isEmpty else { throw SyntaxError(description: "a continuation line before any rule") }
                out[out.count - 1] += " " + line
            } else {
                out.append(line)
            }
        }
        return out
    }

    /// The line up to a `//` that is outside string literals and regexes.
    private static func stripComment(_ line: String) -> String {
        let scalars = Array(line.unicodeScalars)
        var open: Unicode.Scalar?  // `"` or `/` while inside a literal or regex
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            if let o = open {
                if c == "\\" { i += 1 } else if c == o { open = nil }
            } else if c == "/" && i + 1 < scalars.count && scalars[i + 1] == "/" {
                return String(String.UnicodeScalarView(scalars[..<i]))
            } else if c == "\"" || c == "/" {
                open = c
            }
            i += 1
        }
        return line
    }

    private mutating func directive(_ line: String) throws(SyntaxError) {
        let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        switch words.first {
        case "%ignore"?: spaced = true
        case "%import"?:
            let rest = words.dropFirst().joined(separator: " ")
            var names: [String] = []
            if rest.hasPrefix("common.") {
                names = [String(rest.dropFirst(7).split(separator: " ").first ?? "")]
            } else if rest.hasPrefix("common"), let open = rest.firstIndex(of: "("), let close = rest.firstIndex(of: ")") {
                names = rest[rest.index(after: open)..<close].split(separator: ",").map { $0.trimmingWhitespace() }
            } else {
                throw SyntaxError(description: "only 'common' can be imported: '\(line)'")
            }
            for name in names {
                guard let pattern = Self.common[name] else { throw SyntaxError(description: "unknown terminal common.\(name)") }
                rules[name] = .pattern(LinearRegex.fixed(pattern))
            }
        default:
            throw SyntaxError(description: "unsupported directive '\(words.first ?? line)'")
        }
    }

    /// Lark's `common.lark` terminals, as patterns sampling short, ordinary values.
    static let common: [String: String] = [
        "DIGIT": "[0-9]", "HEXDIGIT": "[a-fA-F0-9]", "INT": "[0-9]{1,4}", "SIGNED_INT": "[+-]?[0-9]{1,4}",
        "DECIMAL": "[0-9]{1,3}\\.[0-9]{1,3}", "FLOAT": "[0-9]{1,3}\\.[0-9]{1,3}", "NUMBER": "[0-9]{1,4}(\\.[0-9]{1,2})?",
        "SIGNED_FLOAT": "[+-]?[0-9]{1,3}\\.[0-9]{1,3}", "SIGNED_NUMBER": "[+-]?[0-9]{1,4}(\\.[0-9]{1,2})?",
        "LCASE_LETTER": "[a-z]", "UCASE_LETTER": "[A-Z]", "LETTER": "[a-zA-Z]", "WORD": "[a-zA-Z]{1,10}",
        "CNAME": "[_a-zA-Z][_a-zA-Z0-9]{0,9}", "ESCAPED_STRING": "\"[a-zA-Z0-9 _.,-]{0,16}\"",
        "WS": "[ ]", "WS_INLINE": "[ ]", "NEWLINE": "\\n", "CR": "\\r", "LF": "\\n",
        "SH_COMMENT": "#[a-z ]{0,10}", "CPP_COMMENT": "//[a-z ]{0,10}", "C_COMMENT": "/\\*[a-z ]{0,10}\\*/",
    ]

    static func isName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first == "_" || first.isASCIILetter else { return false }
        return s.unicodeScalars.allSatisfy { $0 == "_" || $0.isASCIILetter || ("0"..."9").contains($0) }
    }

    static func isTerminal(_ name: String) -> Bool { name.unicodeScalars.allSatisfy { !("a"..."z").contains($0) } }

    /// Least fixpoint of "fewest nested references to finish".
    private static func heights(_ rules: [String: Node]) -> [String: Int] {
        var height: [String: Int] = [:]
        var changed = true
        while changed {
            changed = false
            for (name, node) in rules.sorted(by: { $0.key < $1.key }) {
                if let h = node.height(height), h + 1 < (height[name] ?? Int.max) {
                    height[name] = h + 1
                    changed = true
                }
            }
        }
        return height
    }

    // MARK: sampling

    private struct Sampler {
        let grammar: LarkGrammar
        var rng: SeededRandom
        var budget: Int
        static let maxDepth = 24

        mutating func walk(_ node: Node, depth: Int, into tokens: inout [String], inTerminal: Bool) -> Bool {
            guard budget > 0 else { return false }
            switch node {
            case .literal(let s):
                return emit(s, into: &tokens, inTerminal: inTerminal)
            case .pattern(let regex):
                guard let s = regex.sample(seed: rng.next(), maxScalars: min(budget, 200)) else { return false }
                return emit(s, into: &tokens, inTerminal: inTerminal)
            case .ref(let name):
                guard let rule = grammar.rules[name] else { return false }
                guard LarkGrammar.isTerminal(name), !inTerminal else {
                    return walk(rule, depth: depth + 1, into: &tokens, inTerminal: inTerminal)
                }
                var parts: [String] = []
                guard walk(rule, depth: depth + 1, into: &parts, inTerminal: true) else { return false }
                tokens.append(parts.joined())
                return true
            case .sequence(let items):
                for item in items where !walk(item, depth: depth, into: &tokens, inTerminal: inTerminal) { return false }
                return true
            case .choice(let options):
                let room = max(0, Self.maxDepth - depth)
                let fitting = options.filter { ($0.height(grammar.height) ?? Int.max) <= room }
                let pool = fitting.isEmpty
                    ? [options.min { ($0.height(grammar.height) ?? Int.max) < ($1.height(grammar.height) ?? Int.max) }!] : fitting
                return walk(pool[Int(rng.next() % UInt64(pool.count))], depth: depth, into: &tokens, inTerminal: inTerminal)
            case .repeated(let item, let lo, let hi):
                let extra = depth < Self.maxDepth / 2 ? min(hi - lo, 2) : 0
                let count = lo + (extra > 0 ? Int(rng.next() % UInt64(extra + 1)) : 0)
                for _ in 0..<count where !walk(item, depth: depth + 1, into: &tokens, inTerminal: inTerminal) { return false }
                return true
            }
        }

        private mutating func emit(_ s: String, into tokens: inout [String], inTerminal: Bool) -> Bool {
            budget -= s.unicodeScalars.count + 1
            tokens.append(s)
            return budget >= 0
        }
    }
}

extension LarkGrammar.Node {
    /// Names this node refers to.
    var references: [String] {
        switch self {
        case .literal, .pattern: return []
        case .ref(let name): return [name]
        case .sequence(let items), .choice(let items): return items.flatMap(\.references)
        case .repeated(let item, _, _): return item.references
        }
    }

    /// Fewest nested references to finish, given the definitions' heights so far (nil: not known to finish).
    func height(_ known: [String: Int]) -> Int? {
        switch self {
        case .literal, .pattern: return 0
        case .ref(let name): return known[name]
        case .sequence(let items):
            var most = 0
            for item in items {
                guard let h = item.height(known) else { return nil }
                most = Swift.max(most, h)
            }
            return most
        case .choice(let options): return options.compactMap { $0.height(known) }.min()
        case .repeated(let item, let lo, _): return lo == 0 ? 0 : item.height(known)
        }
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}
