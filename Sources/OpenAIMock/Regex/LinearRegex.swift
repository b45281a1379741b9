/// A regular expression that matches in time linear in the input: parsed by ``RegexParser``, compiled to a
/// Thompson NFA (``RegexProgram``) and run as a Pike VM (``RegexMatcher``). Used for scenario rule `regex`
/// tests, JSON Schema `pattern`s (generated and validated) and string `format`s, so no pattern a client or a
/// scenario file supplies can make a request backtrack for minutes.
///
/// Matching is a search (the pattern may match anywhere; anchor it with `^…$`), scalar by scalar. The
/// syntax is documented in README's scenario section ("Regexes").
package struct LinearRegex: Sendable {
    package let pattern: String
    /// The parsed pattern, for ``RegexSampler``.
    let node: RegexNode
    let program: RegexProgram
    /// Whether a sampled string can fail the pattern: only when it has assertions (`\b`, `(?m)^`, an
    /// anchor in the middle) beyond a leading `^` and a trailing `$`, which the sampler does not satisfy.
    package let samplesNeedChecking: Bool

    package init(_ pattern: String, ignoreCase: Bool = false) throws(RegexSyntaxError) {
        self.pattern = pattern
        node = try RegexParser.parse(pattern, ignoreCase: ignoreCase)
        program = try RegexProgram(node)
        samplesNeedChecking = node.hasInnerAssertions
    }

    /// Whether the pattern matches somewhere in `text`.
    package func matches(_ text: String) -> Bool {
        RegexMatcher.search(program, in: text)
    }

    /// A seeded string the pattern matches, or nil. Checked with the matcher only when
    /// ``samplesNeedChecking`` (otherwise it matches by construction), so sampling costs time linear in
    /// the string, not in the string times the pattern.
    package func sample(seed: UInt64, maxScalars: Int = 10_000) -> String? {
        guard let text = RegexSampler.sample(node, seed: seed, maxScalars: maxScalars) else { return nil }
        return !samplesNeedChecking || matches(text) ? text : nil
    }

    /// A pattern known to be valid (the fixed patterns of string formats).
    static func fixed(_ pattern: String) -> LinearRegex {
        do {
            return try LinearRegex(pattern)
        } catch {
            preconditionFailure("built-in pattern \(pattern) does not compile: \(error)")
        }
    }
}
