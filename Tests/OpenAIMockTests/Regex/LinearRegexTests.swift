import Testing
@testable import OpenAIMock

/// The linear-time engine against Swift's backtracking `Regex` (set up as scenario regexes used to be:
/// scalar semantics, simple word boundaries), on patterns both understand; then what only it guarantees.
@Suite struct LinearRegexTests {
    static let patterns: [String] = [
        "abc", "^abc$", "a|b|", "colou?r", "a*b+c?", "x{2}", "x{2,}", "x{1,3}y", "x{,2}y", "[a-c]+", "[^a-c]",
        #"\d+"#, #"\D"#, #"\w+@\w+\.com"#, #"\s\S"#, #"\bcan\b"#, #"\Bx\B"#, "(?:ab)+", "(ab|cd)*e", "(?<year>\\d{4})-\\d\\d",
        "^$", "a.c", "(?s)a.c", "(?m)^b$", "(?i)straße", "(?i:ABC)d", #"\Ahello\z"#, #"end\Z"#, #"[\]\-]"#, "[-a]",
        #"\x41\u0042\x{43}"#, #"\p{Lu}\p{Ll}"#, #"[[:digit:]]+"#, #"a\.b\*"#, "((a|b)c)+", "(a*)*b", "(?#note)x", #"[\d\s]"#,
        "a{-1}", "a{2,1x}", "}", "]", #"\bcancel\b"#, #"(credit card|password|home address|poison)"#, "ü+", "中文|日本",
    ]

    static let inputs: [String] = [
        "", "abc", "xabcx", "a", "b", "color", "colour", "colouur", "aabbbc", "xx", "xxx", "xy", "y", "abc-def",
        "ab12cd", "mail me@x.com now", " a", "can't", "scan", "abab", "cde", "ababcde", "2024-06", "\n", "a\nc", "axc",
        "a\nb\nc", "STRASSE", "straße", "STRAẞE", "ABCd", "abcD", "hello", "hello\n", "the end\n", "the end", "]-", "-",
        "ABC", "Ab", "123", "a.b*", "acbc", "aaab", "b", "x", " 9", "a{-1}", "a{2,1x}", "}", "please CANCEL it", "cancel",
        "my password is", "üü", "说中文", "日本人", "\u{1F600}x",
    ]

    @Test(arguments: patterns)
    func agreesWithSwiftRegex(_ pattern: String) throws {
        let mine = try LinearRegex(pattern)
        let reference = try Regex(pattern).matchingSemantics(.unicodeScalar).wordBoundaryKind(.simple)
        for input in Self.inputs {
            let expected = (try reference.firstMatch(in: input)) != nil
            #expect(mine.matches(input) == expected, "\(pattern) on \(input.debugDescription)")
        }
    }

    @Test(arguments: ["abc", "straße", #"\bbook\b"#, "[a-c]x", "K"])
    func ignoreCaseAgreesWithSwiftRegex(_ pattern: String) throws {
        let mine = try LinearRegex(pattern, ignoreCase: true)
        let reference = try Regex(pattern).matchingSemantics(.unicodeScalar).wordBoundaryKind(.simple).ignoresCase()
        for input in Self.inputs + ["BOOK it", "Book", "AX", "k", "\u{212A}", "Σ", "ς", "STRAßE"] {
            let expected = (try reference.firstMatch(in: input)) != nil
            #expect(mine.matches(input) == expected, "\(pattern) on \(input.debugDescription)")
        }
    }

    /// Unicode's simple case folding, where Swift's `Regex` differs: final sigma folds to sigma.
    @Test func simpleCaseFolding() throws {
        let sigma = try LinearRegex("σ", ignoreCase: true)
        #expect(sigma.matches("Σ") && sigma.matches("ς"))
        #expect(try LinearRegex("[a-z]", ignoreCase: true).matches("\u{212A}"))  // Kelvin sign ~ k
        #expect(try !LinearRegex("ss", ignoreCase: true).matches("ß"))
        #expect(try !LinearRegex("i", ignoreCase: true).matches("ı"))
    }

    @Test func scriptsAndCategories() throws {
        #expect(try LinearRegex(#"^\p{Han}+$"#).matches("北京欢迎你"))
        #expect(try !LinearRegex(#"^\p{Han}+$"#).matches("北京 welcome"))
        #expect(try LinearRegex(#"\p{Hiragana}"#).matches("これは"))
        #expect(try LinearRegex(#"[\p{L}&&]"#.replacingOccurrences("&&", "")).matches("é"))
        #expect(try LinearRegex(#"\P{L}"#).matches("1"))
        #expect(try !LinearRegex(#"^\P{L}$"#).matches("a"))
    }

    /// What a backtracking engine takes minutes (or forever) for: here one pass over the input.
    @Test func catastrophicPatternsRunInOnePass() throws {
        let input = String(repeating: "a", count: 20_000) + "b"
        #expect(try !LinearRegex("^(a+)+$").matches(input))
        #expect(try !LinearRegex("^(a|aa)+$").matches(input))
        #expect(try !LinearRegex("^(a|a?)+$").matches(input))
        #expect(try !LinearRegex("(x+x+)+y").matches(String(repeating: "x", count: 20_000)))
        #expect(try LinearRegex("^(a+)+b$").matches(input))
    }

    @Test(arguments: [
        (#"(a)\1"#, "backreferences"), (#"\k<x>"#, "backreferences"), ("(?=a)", "lookahead"), ("(?!a)", "lookahead"),
        ("(?<=a)b", "lookbehind"), ("(?<!a)b", "lookbehind"), ("(?>a)", "atomic"), ("a*+", "possessive"), ("a++", "possessive"),
        ("(?(1)a|b)", "conditionals"), ("(?R)", "recursion"), ("(unclosed", "missing ')'"), ("a)", "unmatched ')'"),
        ("[a-", "missing ']'"), ("[z-a]", "out of order"), ("*a", "nothing to repeat"), ("a**", "nested quantifier"),
        ("a{1001}", "above 1000"), ("a{3,2}", "minimum is above"), (#"\q"#, "unsupported escape"), (#"\p{Klingon}"#, "unknown property"),
        ("(?x)a", "flag 'x'"), ("(a{1000}){1000}", "too large"), ("a\\", "lone backslash"), (#"\x{110000}"#, "not a Unicode scalar"),
    ])
    func rejectsWhatCannotRunInLinearTime(_ pattern: String, _ reason: String) {
        #expect(throws: RegexSyntaxError.self) { try LinearRegex(pattern) }
        do {
            _ = try LinearRegex(pattern)
        } catch {
            #expect(error.message.contains(reason), "\(pattern): \(error)")
        }
    }

    @Test func samplesMatchTheirPattern() throws {
        for pattern in [#"^[A-Z]{3}-\d{4}$"#, #"^\d{5}(-\d{4})?$"#, "^(red|green|blue)+$", #"^\p{Han}{2,4}$"#, "^[^a-z]{3}$",
                        #"^\w+@\w+\.(com|org)$"#, "a{-1}"] {
            let regex = try LinearRegex(pattern)
            for seed in UInt64(0)..<20 {
                let text = try #require(RegexSampler.sample(regex.node, seed: seed), "\(pattern)")
                #expect(regex.matches(text), "\(pattern) sampled \(text.debugDescription)")
            }
        }
        #expect(RegexSampler.sample(try LinearRegex("[^\\s\\S]").node, seed: 1) == nil)
    }

    /// Fuzz finding: a repetition of nothing (`()`, `\Q\E`, `x{0}`) nested three deep was a billion steps to
    /// compile (and to sample) for a pattern with no instructions. Repeating nothing is now nothing.
    @Test(arguments: ["(((){1000}){1000}){1000}", #"(((\Q\E){1000}){1000}){1000}"#, "(((x{0}){1000}){1000}){1000}",
                      "(((()()){1000}){1000}){1000}", "((((?:){999,}){1000}){1000})a"])
    func repeatingNothingCompilesAtOnce(_ pattern: String) throws {
        let started = ContinuousClock.now
        let regex = try LinearRegex(pattern)
        #expect(regex.matches("") == !pattern.hasSuffix("a"))
        #expect(regex.matches("xa"))
        #expect(regex.sample(seed: 7) != nil)
        #expect(ContinuousClock.now - started < .seconds(1), "\(pattern)")
    }

    /// Fuzz finding: unbounded loops over something that may match nothing, nested deep, made the sampler
    /// walk exponentially many nodes for an empty string (`((|)*)*…`); a walk has a budget of visits.
    @Test func samplingNestedEmptyLoopsIsBounded() throws {
        for body in ["|", "a?", "(?:)|b"] {
            let pattern = String(repeating: "(", count: 100) + body + String(repeating: ")*", count: 100)
            let regex = try LinearRegex(pattern)
            let started = ContinuousClock.now
            for seed in UInt64(0)..<20 {
                if let text = regex.sample(seed: seed, maxScalars: 2_000) { #expect(regex.matches(text)) }
            }
            #expect(ContinuousClock.now - started < .seconds(2), "\(pattern)")
        }
        // A budget that ordinary patterns do not reach.
        let regex = try LinearRegex(#"^((\w+ ){1,3}\d{3}-[A-Z]{2,}[.!?]\s*)+$"#)
        for seed in UInt64(0)..<50 { #expect(regex.sample(seed: seed).map(regex.matches) == true) }
    }

    /// Samples up to `maxScalars` long, counted as they grow (the length was recounted from the start at
    /// every node: quadratic, a quarter of the regex fuzz target's time), and never longer.
    @Test func samplesAreBoundedByMaxScalars() throws {
        let exact = try LinearRegex("a{1000}")
        #expect(exact.sample(seed: 1, maxScalars: 1_000)?.unicodeScalars.count == 1_000)
        #expect(exact.sample(seed: 1, maxScalars: 999) == nil)
        let regex = try LinearRegex("^((a[b-d]{29}){30})*$")
        var longest = 0
        for seed in UInt64(0)..<5 {
            if let text = regex.sample(seed: seed, maxScalars: 10_000) {
                #expect(regex.matches(text))
                longest = max(longest, text.unicodeScalars.count)
            }
            #expect(regex.sample(seed: seed, maxScalars: 1_000).map { $0.unicodeScalars.count <= 1_000 } ?? true)
        }
        #expect(longest >= 1_800)
    }

    /// The matcher's per-step shortcuts (ASCII set tables, per-step set, folding and word memos, one
    /// entry per distinct set, threads kept only for consuming instructions) against a plain reference:
    /// the set of end positions of each node, computed by recursion over the parsed pattern. Random
    /// patterns over ASCII and non-ASCII scalars, with and without `(?i)` and `(?m)`. (Swift's `Regex` is
    /// no reference here: with simple word boundaries it takes digits for non-word scalars at `\b`.)
    @Test func randomPatternsAgreeWithAReferenceMatcher() throws {
        var rng = SeededRandom(seed: 12)
        let atoms = ["a", "b", "é", "É", "日", " ", "1", "_", "σ", "\\n", ".", #"\w"#, #"\W"#, #"\d"#, #"\s"#, "[ab]", "[^a]",
                     "[a-é]", #"[\w_]"#, #"\p{L}"#, #"\P{Han}"#, "[Σb]", #"\b"#, #"\B"#, "^", "$", #"\Z"#, #"\A"#]
        let quantifiers = ["", "", "", "?", "*", "+", "{2}", "{1,3}", "{0,2}", "{2,}"]
        func pick(_ list: [String]) -> String { list[Int(rng.next() % UInt64(list.count))] }
        func pattern(_ depth: Int) -> String {
            var out = ""
            for _ in 0..<(1 + Int(rng.next() % 3)) {
                let atom = depth > 0 && rng.next() % 4 == 0
                    ? "(?:" + pattern(depth - 1) + (rng.next() % 2 == 0 ? "|" + pattern(depth - 1) : "") + ")"
                    : pick(atoms)
                out += atom + (["^", "$", #"\b"#, #"\B"#, #"\Z"#, #"\A"#].contains(atom) ? "" : pick(quantifiers))
            }
            return out
        }
        let alphabet: [Unicode.Scalar] = ["a", "b", "é", "É", "日", " ", "1", "_", "A", "\n", "Σ", "ς"]
        for _ in 0..<250 {
            let source = pick(["", "", "(?i)", "(?m)", "(?s)"]) + pattern(2)
            let mine = try LinearRegex(source)
            for _ in 0..<12 {
                var input = String.UnicodeScalarView()
                for _ in 0..<Int(rng.next() % 9) { input.append(alphabet[Int(rng.next() % UInt64(alphabet.count))]) }
                let text = String(input)
                let expected = ReferenceMatcher(text).matches(mine.node)
                #expect(mine.matches(text) == expected, "\(source) on \(text.debugDescription)")
            }
        }
    }

    /// The per-step work with many threads alive: ASCII and non-ASCII input, sets, folding and `\b`.
    @Test func manyThreadsManyScalars() throws {
        let han = String(repeating: "日本語", count: 100)
        #expect(try LinearRegex(#"\w{250}"#).matches(han))
        #expect(try !LinearRegex(#"\w{250}x"#).matches(han))
        #expect(try LinearRegex(#"(?i)(?:Σ|é|\p{Han}){299}\b"#).matches(han))
        #expect(try !LinearRegex(#"(?i)(?:Σ|é|\p{Han}){301}"#).matches(han))
        #expect(try LinearRegex(#"(?i)σ{3}"#).matches("ΣςσΣ"))
        #expect(try !LinearRegex(#"(?i)σ{5}"#).matches("ΣςσΣ"))
        let ascii = String(repeating: "ab ", count: 150)
        #expect(try LinearRegex(#"(?:\b\w+\b\s){150}"#).matches(ascii))
        #expect(try !LinearRegex(#"(?:\b\w+\b\s){151}"#).matches(ascii))
        #expect(try LinearRegex("(?m)^b$").matches("a\nb\nc"))
        #expect(try !LinearRegex("^b").matches("ab"))
    }
}

extension String {
    fileprivate func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        SchemaSupport.replace(self, target, replacement)
    }
}

/// Whether a parsed pattern matches somewhere in a (short) text, by the sets of positions where each node
/// can end: exponential-free but quadratic and allocation-heavy, and independent of the compiler and VM.
private struct ReferenceMatcher {
    let scalars: [UInt32]

    init(_ text: String) { scalars = text.unicodeScalars.map(\.value) }

    func matches(_ node: RegexNode) -> Bool {
        (0...scalars.count).contains { !ends(node, from: [$0]).isEmpty }
    }

    private func ends(_ node: RegexNode, from starts: Set<Int>) -> Set<Int> {
        switch node {
        case .empty:
            return starts
        case .scalar(let s, let ignoreCase):
            return Set(starts.filter { i in
                i < scalars.count
                    && (ignoreCase ? RegexCaseFolding.fold(scalars[i]) == RegexCaseFolding.fold(s.value) : scalars[i] == s.value)
            }.map { $0 + 1 })
        case .set(let set):
            return Set(starts.filter { $0 < scalars.count && set.contains(scalars[$0]) }.map { $0 + 1 })
        case .concat(let items):
            return items.reduce(starts) { ends($1, from: $0) }
        case .alternation(let branches):
            return branches.reduce(into: Set<Int>()) { $0.formUnion(ends($1, from: starts)) }
        case .repetition(let body, let low, let high):
            var current = starts
            for _ in 0..<low { current = ends(body, from: current) }
            var all = current
            var count = low
            while high.map({ count < $0 }) ?? true {
                let more = ends(body, from: current).subtracting(high == nil ? all : [])
                if more.isEmpty && high == nil { break }
                current = more
                all.formUnion(more)
                count += 1
                if high == nil && current.isEmpty { break }
            }
            return all
        case .assertion(let a):
            return starts.filter { i in
                a.holds(previous: i > 0 ? scalars[i - 1] : nil, next: i < scalars.count ? scalars[i] : nil,
                        nextIsLast: i == scalars.count - 1)
            }
        }
    }
}
