/// Parses the regex dialect of scenario rules and JSON Schema `pattern`s into a ``RegexNode``: the common
/// Perl / ICU / ECMAScript core, scalar by scalar. Whatever an automaton cannot match in linear time
/// (backreferences, lookaround, atomic groups, possessive quantifiers, recursion, conditionals) is an error
/// that says so, as are escapes and flags the engine does not know (rather than silently meaning something else).
struct RegexParser {
    /// Largest `{n}` / `{n,m}` count (RE2's limit).
    static let maxRepetition = 1000
    /// Deepest group nesting.
    static let maxDepth = 200

    private struct Flags {
        var ignoreCase = false
        var dotAll = false
        var multiline = false
    }

    private let p: [Unicode.Scalar]
    private var i = 0
    private var depth = 0
    private var flags = Flags()

    private init(_ pattern: String, ignoreCase: Bool) {
        p = Array(pattern.unicodeScalars)
        flags.ignoreCase = ignoreCase
    }

    static func parse(_ pattern: String, ignoreCase: Bool = false) throws(RegexSyntaxError) -> RegexNode {
        var parser = RegexParser(pattern, ignoreCase: ignoreCase)
        let node = try parser.alternation()
        if parser.i < parser.p.count { throw parser.fail("unmatched ')'") }
        return node
    }

    private func fail(_ message: String, at offset: Int? = nil) -> RegexSyntaxError {
        RegexSyntaxError(message: message, offset: min(offset ?? i, p.count))
    }

    /// A construct other engines run (by backtracking) that this one refuses.
    private func unsupported(_ message: String, at offset: Int? = nil) -> RegexSyntaxError {
        RegexSyntaxError(message: message, offset: min(offset ?? i, p.count), isUnsupported: true)
    }

    private var current: Unicode.Scalar? { i < p.count ? p[i] : nil }

    private static func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 0x30 && c.value <= 0x39 }

    private func peek(_ k: Int) -> Unicode.Scalar? { i + k < p.count ? p[i + k] : nil }

    // MARK: structure

    private mutating func alternation() throws(RegexSyntaxError) -> RegexNode {
        var branches = [try concatenation()]
        while current == "|" {
            i += 1
            branches.append(try concatenation())
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func concatenation() throws(RegexSyntaxError) -> RegexNode {
        var items: [RegexNode] = []
        while let c = current, c != "|", c != ")" {
            let start = i
            guard let atom = try atom() else { continue }  // a flag group or a comment: nothing to match
            let item = try quantified(atom, start: start)
            if item != .empty { items.append(item) }  // `()`, `\Q\E`, `x{0}`: nothing to compile or repeat
        }
        return items.count == 1 ? items[0] : (items.isEmpty ? .empty : .concat(items))
    }

    private mutating func quantified(_ atom: RegexNode, start: Int) throws(RegexSyntaxError) -> RegexNode {
        guard let (low, high) = try quantifier() else { return atom }
        if current == "+" { throw unsupported("possessive quantifiers cannot run in linear time; not supported") }
        if current == "?" { i += 1 }  // lazy: the same set of matches
        if let c = current, "*+?".unicodeScalars.contains(c) || (c == "{" && isCountedQuantifier()) {
            throw fail("nested quantifier: put the quantified part in a group first")
        }
        // Repeating nothing is nothing: `(){1000}` nested three deep would otherwise be a billion steps
        // to compile and to sample, for a pattern that compiles to no instructions at all.
        if atom == .empty || high == 0 { return .empty }
        return .repetition(atom, min: low, max: high)
    }

    /// `* + ? {n} {n,} {n,m} {,m}`; a `{` that does not start one is a literal.
    private mutating func quantifier() throws(RegexSyntaxError) -> (Int, Int?)? {
        switch current {
        case "*": i += 1; return (0, nil)
        case "+": i += 1; return (1, nil)
        case "?": i += 1; return (0, 1)
        case "{" where isCountedQuantifier():
            let open = i
            i += 1
            let low = number() ?? 0
            var high: Int? = low
            if current == "," {
                i += 1
                high = number()
            }
            i += 1  // }
            guard low <= Self.maxRepetition, (high ?? 0) <= Self.maxRepetition else {
                throw fail("repetition count above \(Self.maxRepetition)", at: open)
            }
            if let high, high < low { throw fail("repetition {\(low),\(high)}: the minimum is above the maximum", at: open) }
            return (low, high)
        default:
            return nil
        }
    }

    /// Whether `{` at `i` opens a valid counted quantifier (`{3}`, `{2,}`, `{2,5}`, `{,5}`).
    private func isCountedQuantifier() -> Bool {
        var k = i + 1
        var digitsBefore = 0, digitsAfter = 0, commas = 0
        while k < p.count, p[k] != "}" {
            if p[k] == "," { commas += 1 } else if Self.isDigit(p[k]) {
                if commas == 0 { digitsBefore += 1 } else { digitsAfter += 1 }
            } else { return false }
            k += 1
        }
        return k < p.count && commas <= 1 && (digitsBefore > 0 || (commas == 1 && digitsAfter > 0))
    }

    /// Decimal digits (saturating well above any limit, so a huge count is reported, not overflowed).
    private mutating func number() -> Int? {
        var value: Int?
        while let c = current, Self.isDigit(c) {
            value = min((value ?? 0) * 10 + Int(c.value - 0x30), 1_000_000)
            i += 1
        }
        return value
    }

    private mutating func atom() throws(RegexSyntaxError) -> RegexNode? {
        guard let c = current else { return .empty }
        switch c {
        case "(": return try group()
        case "[":
            i += 1
            return .set(try bracketClass())
        case ".":
            i += 1
            return .set(RegexCharacterSet(items: [.property(flags.dotAll ? .anyScalar : .notLineTerminator, negated: false)]))
        case "^":
            i += 1
            return .assertion(flags.multiline ? .lineStart : .inputStart)
        case "$":
            i += 1
            return .assertion(flags.multiline ? .lineEnd : .inputEnd)
        case "\\": return try escape()
        case "*", "+", "?":
            throw fail("quantifier '\(c)' has nothing to repeat")
        case "{" where isCountedQuantifier():
            throw fail("quantifier has nothing to repeat")
        default:
            i += 1
            return literal(c)
        }
    }

    private func literal(_ c: Unicode.Scalar) -> RegexNode {
        .scalar(c, ignoreCase: flags.ignoreCase && c.properties.changesWhenCaseMapped)
    }

    // MARK: groups

    private mutating func group() throws(RegexSyntaxError) -> RegexNode? {
        let open = i
        i += 1
        let saved = flags
        if current == "?" {
            i += 1
            guard let c = current else { throw fail("missing ')' to close the group opened here", at: open) }
            switch c {
            case ":": i += 1
            case "=", "!": throw unsupported("lookahead cannot run in linear time; not supported", at: open)
            case ">": throw unsupported("atomic groups cannot run in linear time; not supported", at: open)
            case "|": throw unsupported("branch reset groups are not supported", at: open)
            case "(": throw unsupported("conditionals cannot run in linear time; not supported", at: open)
            case "#":
                while let d = current, d != ")" { i += 1 }
                guard current == ")" else { throw fail("missing ')' to close the comment opened here", at: open) }
                i += 1
                return nil
            case "<" where peek(1) == "=" || peek(1) == "!":
                throw unsupported("lookbehind cannot run in linear time; not supported", at: open)
            case "<", "'":
                i += 1
                try groupName(closing: c == "<" ? ">" : "'")
            case "P":
                i += 1
                if current == "<" {
                    i += 1
                    try groupName(closing: ">")
                } else {
                    throw unsupported("backreferences and recursion cannot run in linear time; not supported", at: open)
                }
            case "R", "&", "0"..."9", "+":
                throw unsupported("recursion cannot run in linear time; not supported", at: open)
            default:
                let scoped = try inlineFlags(open: open)
                if !scoped { return nil }  // `(?i)`: applies to the rest of the enclosing group
            }
        }
        depth += 1
        if depth > Self.maxDepth { throw fail("groups nested deeper than \(Self.maxDepth)", at: open) }
        let body = try alternation()
        depth -= 1
        guard current == ")" else { throw fail("missing ')' to close the group opened here", at: open) }
        i += 1
        flags = saved
        return body
    }

    /// A group name up to `closing`; names only label (the engine reports whether a match exists).
    private mutating func groupName(closing: Unicode.Scalar) throws(RegexSyntaxError) {
        let start = i
        while let c = current, c != closing {
            guard RegexCharacterSet.isWord(c.value) else { throw fail("invalid character in a group name") }
            i += 1
        }
        guard current == closing, i > start else { throw fail("malformed group name", at: start) }
        i += 1
    }

    /// `(?ims-ims)` or `(?ims-ims:`; returns true for the scoped form (a group body follows).
    private mutating func inlineFlags(open: Int) throws(RegexSyntaxError) -> Bool {
        var on = true
        while let c = current, c != ")", c != ":" {
            switch c {
            case "i": flags.ignoreCase = on
            case "s": flags.dotAll = on
            case "m": flags.multiline = on
            case "-": on = false
            default: throw unsupported("unsupported group syntax or flag '\(c)' (flags: i, m, s)", at: open)
            }
            i += 1
        }
        guard let c = current else { throw fail("missing ')' to close the group opened here", at: open) }
        i += 1
        return c == ":"
    }

    // MARK: escapes

    /// `\…` outside a class.
    private mutating func escape() throws(RegexSyntaxError) -> RegexNode {
        let start = i
        i += 1
        guard let c = current else { throw fail("the pattern ends with a lone backslash", at: start) }
        i += 1
        switch c {
        case "b": return .assertion(.wordBoundary)
        case "B": return .assertion(.notWordBoundary)
        case "A": return .assertion(.inputStart)
        case "z": return .assertion(.inputEnd)
        case "Z": return .assertion(.inputEndOrFinalNewline)
        case "1"..."9", "k", "g":
            throw unsupported("backreferences cannot run in linear time; not supported", at: start)
        case "Q":
            var items: [RegexNode] = []
            while let d = current, !(d == "\\" && peek(1) == "E") {
                items.append(literal(d))
                i += 1
            }
            if current != nil { i += 2 }
            return items.count == 1 ? items[0] : (items.isEmpty ? .empty : .concat(items))
        default:
            i -= 1
            switch try classEscape(start: start) {
            case .scalar(let s): return literal(s)
            case .property(let property, let negated):
                return .set(RegexCharacterSet(items: [.property(property, negated: negated)], ignoreCase: flags.ignoreCase))
            }
        }
    }

    private enum Escaped {
        case scalar(Unicode.Scalar)
        case property(RegexCharacterSet.Property, negated: Bool)
    }

    /// The escapes shared by classes and the rest of a pattern; `i` is just after the backslash.
    private mutating func classEscape(start: Int) throws(RegexSyntaxError) -> Escaped {
        guard let c = current else { throw fail("the pattern ends with a lone backslash", at: start) }
        i += 1
        switch c {
        case "d", "D": return .property(.digit, negated: c == "D")
        case "w", "W": return .property(.word, negated: c == "W")
        case "s", "S": return .property(.space, negated: c == "S")
        case "p", "P":
            let name: String
            if current == "{" {
                i += 1
                var text = ""
                while let d = current, d != "}" { text.unicodeScalars.append(d); i += 1 }
                guard current == "}" else { throw fail("missing '}' after \\\(c){", at: start) }
                i += 1
                name = text
            } else if let d = current {
                i += 1
                name = String(Character(d))
            } else {
                throw fail("\\\(c) needs a property name, e.g. \\\(c){L}", at: start)
            }
            guard let property = RegexCharacterSet.property(named: name) else {
                throw fail("unknown property '\(name)'; supported: \(RegexCharacterSet.supportedPropertyNames)", at: start)
            }
            return .property(property, negated: c == "P")
        case "n": return .scalar("\n")
        case "r": return .scalar("\r")
        case "t": return .scalar("\t")
        case "f": return .scalar("\u{0C}")
        case "v": return .scalar("\u{0B}")
        case "e": return .scalar("\u{1B}")
        case "a": return .scalar("\u{07}")
        case "0":
            if let d = current, Self.isDigit(d) {
                throw unsupported("octal escapes are not supported; write \\x{…}", at: start)
            }
            return .scalar("\u{0}")
        case "x", "u": return .scalar(try hexEscape(start: start, short: c == "x" ? 2 : 4))
        default:
            if c.isASCII && (c.properties.isAlphabetic || Self.isDigit(c)) {
                throw fail("unsupported escape \\\(c)", at: start)
            }
            return .scalar(c)  // \. \* \\ \/ \- and any other punctuation: itself
        }
    }

    /// `\xhh`, `\uhhhh`, `\x{h…}`, `\u{h…}`.
    private mutating func hexEscape(start: Int, short: Int) throws(RegexSyntaxError) -> Unicode.Scalar {
        var digits = ""
        if current == "{" {
            i += 1
            while let d = current, d != "}" { digits.unicodeScalars.append(d); i += 1 }
            guard current == "}" else { throw fail("missing '}' in a hexadecimal escape", at: start) }
            i += 1
        } else {
            for _ in 0..<short {
                guard let d = current else { break }
                digits.unicodeScalars.append(d)
                i += 1
            }
            guard digits.unicodeScalars.count == short else { throw fail("incomplete hexadecimal escape", at: start) }
        }
        guard digits.utf8.count <= 8, let value = UInt32(digits, radix: 16), let scalar = Unicode.Scalar(value) else {
            throw fail("invalid hexadecimal escape (not a Unicode scalar)", at: start)
        }
        return scalar
    }

    // MARK: bracketed classes

    /// `[…]` after the `[`.
    private mutating func bracketClass() throws(RegexSyntaxError) -> RegexCharacterSet {
        let open = i - 1
        var set = RegexCharacterSet(items: [], ignoreCase: flags.ignoreCase)
        if current == "^" {
            set.negated = true
            i += 1
        }
        var first = true
        while true {
            guard let c = current else { throw fail("missing ']' to close the class opened here", at: open) }
            if c == "]" && !first { i += 1; return set }
            first = false
            if c == "[" && peek(1) == ":" {
                let start = i
                i += 2
                var name = ""
                while let d = current, d != ":" { name.unicodeScalars.append(d); i += 1 }
                guard current == ":", peek(1) == "]", let property = RegexCharacterSet.posixClass(named: name) else {
                    throw fail("unknown POSIX class [:\(name):]", at: start)
                }
                i += 2
                set.items.append(.property(property, negated: false))
                continue
            }
            if c == "&" && peek(1) == "&" { throw unsupported("class set operations (&&) are not supported") }
            guard let low = try classMember() else { continue }
            guard case .scalar(let lowScalar) = low else {
                if case .property(let property, let negated) = low { set.items.append(.property(property, negated: negated)) }
                continue
            }
            if current == "-", let next = peek(1), next != "]" {
                let dash = i
                i += 1
                guard case .scalar(let highScalar)? = try classMember() else {
                    throw fail("a range cannot end with a class shorthand", at: dash)
                }
                guard lowScalar.value <= highScalar.value else {
                    throw fail("range \(lowScalar)-\(highScalar) is out of order", at: dash)
                }
                set.items.append(.range(lowScalar.value, highScalar.value))
            } else {
                set.items.append(.range(lowScalar.value, lowScalar.value))
            }
        }
    }

    /// One member of a class: a scalar (possibly escaped) or a shorthand / property.
    private mutating func classMember() throws(RegexSyntaxError) -> Escaped? {
        guard let c = current else { return nil }
        guard c == "\\" else {
            i += 1
            return .scalar(c)
        }
        let start = i
        i += 1
        if current == "b" {
            i += 1
            return .scalar("\u{08}")
        }
        guard let d = current, !(Self.isDigit(d) && d != "0") else {
            throw unsupported("octal escapes are not supported; write \\x{…}", at: start)
        }
        return try classEscape(start: start)
    }
}
