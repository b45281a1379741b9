/// Parses the right-hand side of one Lark definition into a ``LarkGrammar/Node``:
///
///     expansions := alias ('|' alias)*          alias := item* ('->' NAME)?
///     item := atom ('?' | '*' | '+' | '~' INT ('..' INT)?)?
///     atom := '(' expansions ')' | '[' expansions ']' | STRING ('..' STRING)? | REGEX | NAME
struct LarkExpansionParser {
    private let scalars: [Unicode.Scalar]
    private var i = 0

    init(_ text: String) { scalars = Array(text.unicodeScalars) }

    mutating func parseAll() throws(LarkGrammar.SyntaxError) -> LarkGrammar.Node {
        let node = try expansions()
        skipSpace()
        guard i == scalars.count else { throw error("unexpected '\(scalars[i])'") }
        return node
    }

    private mutating func expansions() throws(LarkGrammar.SyntaxError) -> LarkGrammar.Node {
        var options = [try alias()]
        while peek() == "|" {
            i += 1
            options.append(try alias())
        }
        return options.count == 1 ? options[0] : .choice(options)
    }

    private mutating func alias() throws(LarkGrammar.SyntaxError) -> LarkGrammar.Node {
        var items: [LarkGrammar.Node] = []
        while let c = peek(), !"|)]".unicodeScalars.contains(c) {
            if c == "-" && next(1) == ">" {
                i += 2
                _ = name()
                break
            }
            items.append(try item())
        }
        return items.count == 1 ? items[0] : .sequence(items)
    }

    private mutating func item() throws(LarkGrammar.SyntaxError) -> LarkGrammar.Node {
        let base = try atom()
        switch peek() {
        case "?": i += 1; return .repeated(base, min: 0, max: 1)
        case "*": i += 1; return .repeated(base, min: 0, max: 8)
        case "+": i += 1; return .repeated(base, min: 1, max: 8)
        case "~":
            i += 1
            let lo = try integer()
            guard peek() == ".", next(1) == "." else { return .repeated(base, min: lo, max: lo) }
            i += 2
            let hi = try integer()
            guard hi >= lo else { throw error("~\(lo)..\(hi) is an empty range") }
            return .repeated(base, min: lo, max: hi)
        default: return base
        }
    }

    private mutating func atom() throws(LarkGrammar.SyntaxError) -> LarkGrammar.Node {
        guard let c = peek() else { throw error("unexpected end of the definition") }
        switch c {
        case "(", "[":
            i += 1
            let inner = try expansions()
            guard peek() == (c == "(" ? ")" : "]") else { throw error("'\(c)' is not closed") }
            i += 1
            return c == "(" ? inner : .repeated(inner, min: 0, max: 1)
        case "\"":
            let first = try literal()
            guard peek() == ".", next(1) == "." else { return first }
            i += 2
            guard case .literal(let a) = first, case .literal(let b) = try literal(),
                  let lo = a.unicodeScalars.first, let hi = b.unicodeScalars.first, a.unicodeScalars.count == 1,
                  b.unicodeScalars.count == 1, lo <= hi else { throw error("a range needs two single characters in order") }
            return .pattern(LinearRegex.fixed("[\\u{\(String(lo.value, radix: 16))}-\\u{\(String(hi.value, radix: 16))}]"))
        case "/":
            return try regex()
        default:
            let n = name()
            guard !n.isEmpty else { throw error("unexpected '\(c)'") }
            if peek() == "{" { throw error("templates ('\(n){…}') are not supported") }
            return .ref(n)
        }
    }

    /// `"…"` with escapes, optionally `i` (case-insensitive: sampled as written).
    private mutating func literal() throws(LarkGrammar.SyntaxError) -> LarkGrammar.Node {
        skipSpace()
        i += 1
        var out = String.UnicodeScalarView()
        while i < scalars.count, scalars[i] != "\"" {
            if scalars[i] == "\\", i + 1 < scalars.count {
                i += 1
                switch scalars[i] {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                default: out.append(scalars[i])
                }
            } else {
                out.append(scalars[i])
            }
            i += 1
        }
        guard i < scalars.count else { throw error("a string literal is not closed") }
        i += 1
        if i < scalars.count, scalars[i] == "i" { i += 1 }
        return .literal(String(out))
    }

    /// `/…/flags`: the pattern, anchored, in the project's regex dialect (flags `i`, `m`, `s` inline).
    private mutating func regex() throws(LarkGrammar.SyntaxError) -> LarkGrammar.Node {
        i += 1
        var body = String.UnicodeScalarView()
        while i < scalars.count, scalars[i] != "/" {
            if scalars[i] == "\\", i + 1 < scalars.count {
                if scalars[i + 1] != "/" { body.append("\\") }
                i += 1
            }
            body.append(scalars[i])
            i += 1
        }
        guard i < scalars.count else { throw error("a regex is not closed") }
        i += 1
        var flags = ""
        while i < scalars.count, "imsxlu".unicodeScalars.contains(scalars[i]) {
            if "ims".unicodeScalars.contains(scalars[i]) { flags.unicodeScalars.append(scalars[i]) }
            i += 1
        }
        let pattern = (flags.isEmpty ? "" : "(?\(flags))") + "^(?:" + String(body) + ")$"
        do throws(RegexSyntaxError) {
            return .pattern(try LinearRegex(pattern))
        } catch {
            throw self.error("invalid regex /\(String(body))/: \(error.message)")
        }
    }

    private mutating func integer() throws(LarkGrammar.SyntaxError) -> Int {
        skipSpace()
        var digits = ""
        while i < scalars.count, ("0"..."9").contains(scalars[i]) {
            digits.unicodeScalars.append(scalars[i])
            i += 1
        }
        guard let n = Int(digits), n <= 1_000 else { throw error("expected a repetition count up to 1000") }
        return n
    }

    private mutating func name() -> String {
        skipSpace()
        var out = ""
        while i < scalars.count, scalars[i] == "_" || scalars[i].properties.isAlphabetic && scalars[i].isASCII
                || ("0"..."9").contains(scalars[i]) {
            out.unicodeScalars.append(scalars[i])
            i += 1
        }
        return out
    }

    /// The next scalar that is not a space.
    private mutating func peek() -> Unicode.Scalar? {
        skipSpace()
        return i < scalars.count ? scalars[i] : nil
    }

    private func next(_ offset: Int) -> Unicode.Scalar? { i + offset < scalars.count ? scalars[i + offset] : nil }

    private mutating func skipSpace() {
        while i < scalars.count, scalars[i].properties.isWhitespace { i += 1 }
    }

    private func error(_ message: String) -> LarkGrammar.SyntaxError {
        LarkGrammar.SyntaxError(description: message + " (at position \(i + 1))")
    }
}
