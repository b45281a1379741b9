/// The parsed form of a pattern: what ``RegexParser`` produces, ``RegexCompiler`` turns into a
/// program, and ``RegexSampler`` walks to produce matching strings.
///
/// Every construct here can be matched by an automaton in time linear in the input; constructs that
/// cannot (backreferences, lookaround, atomic groups, possessive quantifiers) are rejected by the parser.
indirect enum RegexNode: Sendable, Equatable {
    case empty
    /// One Unicode scalar; `ignoreCase` compares simple case foldings.
    case scalar(Unicode.Scalar, ignoreCase: Bool)
    /// A class: `[a-z]`, `\d`, `.`, `\p{Han}`.
    case set(RegexCharacterSet)
    case concat([RegexNode])
    case alternation([RegexNode])
    /// `min` to `max` (nil: unbounded) repetitions, greedy or lazy alike (only whether a match exists matters).
    case repetition(RegexNode, min: Int, max: Int?)
    /// A zero-width test of the position.
    case assertion(RegexAssertion)
}

extension RegexNode {
    /// Assertions other than a leading `^` / `\A` and a trailing `$` / `\z` of the whole pattern.
    var hasInnerAssertions: Bool {
        var items: ArraySlice<RegexNode>
        if case .concat(let list) = self { items = list[...] } else { items = [self][...] }
        if items.first == .assertion(.inputStart) { items = items.dropFirst() }
        if items.last == .assertion(.inputEnd) { items = items.dropLast() }
        return items.contains { $0.containsAssertion }
    }

    private var containsAssertion: Bool {
        switch self {
        case .assertion: return true
        case .empty, .scalar, .set: return false
        case .concat(let items), .alternation(let items): return items.contains { $0.containsAssertion }
        case .repetition(let body, _, _): return body.containsAssertion
        }
    }
}

/// Zero-width tests.
enum RegexAssertion: Sendable, Equatable {
    /// `^` (without `m`), `\A`.
    case inputStart
    /// `$` (without `m`), `\z`: only at the very end of the input.
    case inputEnd
    /// `\Z`: at the end, or before a final `\n`.
    case inputEndOrFinalNewline
    /// `^` with the `m` flag: at the start or after `\n`.
    case lineStart
    /// `$` with the `m` flag: at the end or before `\n`.
    case lineEnd
    /// `\b`: between a word scalar and a non-word one (`\w` / `\W`), either way round.
    case wordBoundary
    /// `\B`.
    case notWordBoundary

    /// Whether the assertion holds between `previous` and `next` (nil: start or end of input);
    /// `nextIsLast` tells whether `next` is the input's last scalar (for `\Z`).
    func holds(previous: UInt32?, next: UInt32?, nextIsLast: Bool) -> Bool {
        switch self {
        case .inputStart: return previous == nil
        case .inputEnd: return next == nil
        case .inputEndOrFinalNewline: return next == nil || (next == 0x0A && nextIsLast)
        case .lineStart: return previous == nil || previous == 0x0A
        case .lineEnd: return next == nil || next == 0x0A
        case .wordBoundary: return RegexCharacterSet.isWord(previous) != RegexCharacterSet.isWord(next)
        case .notWordBoundary: return RegexCharacterSet.isWord(previous) == RegexCharacterSet.isWord(next)
        }
    }
}

/// A pattern the linear-time engine cannot run, with the scalar offset in the pattern where reading stopped.
package struct RegexSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    package var message: String
    /// 0-based position in the pattern's Unicode scalars.
    package var offset: Int
    /// A construct backtracking engines accept (backreferences, lookaround, …) but this one refuses, as
    /// opposed to a pattern no dialect accepts (an unclosed group).
    package var isUnsupported = false

    package var description: String { "\(message) (at pattern position \(offset + 1))" }
}
