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
}

extension String {
    fileprivate func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        SchemaSupport.replace(self, target, replacement)
    }
}
