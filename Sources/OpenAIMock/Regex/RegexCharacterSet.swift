/// A set of Unicode scalars: a bracketed class (`[a-z\d]`, `[^…]`), a shorthand (`\d \w \s`), `.`, or a
/// property (`\p{L}`, `\p{Han}`, `[[:alpha:]]`). Membership is decided scalar by scalar, Unicode-aware.
struct RegexCharacterSet: Sendable, Hashable {
    enum Property: Sendable, Hashable {
        /// `\d`, `[:digit:]`: decimal digits (general category Nd).
        case digit
        /// `\w`, `[:word:]`: alphabetic, marks, decimal digits, connector punctuation (`_`), join controls.
        case word
        /// `\s`, `[:space:]`: Unicode White_Space.
        case space
        /// `.` with the `s` flag, `\p{Any}`.
        case anyScalar
        /// `.`: anything but a line terminator (`\n`, `\r`, U+2028, U+2029).
        case notLineTerminator
        /// `\p{L}`, `\p{Lu}`, … (general categories).
        case categories([Unicode.GeneralCategory])
        /// `\p{Alphabetic}`, `[:alpha:]`.
        case alphabetic
        case uppercase
        case lowercase
        /// `[:xdigit:]`.
        case hexDigit
        /// `[:blank:]`: space separators and tab.
        case blank
        /// `\p{ASCII}`.
        case ascii
        /// Scripts (`\p{Han}`), approximated by their Unicode blocks.
        case ranges([ClosedRange<UInt32>])

        func contains(_ c: UInt32) -> Bool {
            switch self {
            case .digit: return c < 0x80 ? (c >= 0x30 && c <= 0x39) : Self.category(c) == .decimalNumber
            case .word: return RegexCharacterSet.isWord(c)
            case .space:
                if c < 0x80 { return c == 0x20 || (c >= 0x09 && c <= 0x0D) }
                return Unicode.Scalar(c)?.properties.isWhitespace ?? false
            case .anyScalar: return true
            case .notLineTerminator: return c != 0x0A && c != 0x0D && c != 0x2028 && c != 0x2029
            case .categories(let list): return Self.category(c).map(list.contains) ?? false
            case .alphabetic: return Unicode.Scalar(c)?.properties.isAlphabetic ?? false
            case .uppercase: return Unicode.Scalar(c)?.properties.isUppercase ?? false
            case .lowercase: return Unicode.Scalar(c)?.properties.isLowercase ?? false
            case .hexDigit: return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
            case .blank: return c == 0x09 || Self.category(c) == .spaceSeparator
            case .ascii: return c < 0x80
            case .ranges(let list): return list.contains { $0.contains(c) }
            }
        }

        private static func category(_ c: UInt32) -> Unicode.GeneralCategory? {
            Unicode.Scalar(c)?.properties.generalCategory
        }
    }

    enum Item: Sendable, Hashable {
        case range(UInt32, UInt32)
        case property(Property, negated: Bool)

        func contains(_ c: UInt32) -> Bool {
            switch self {
            case .range(let low, let high): return c >= low && c <= high
            case .property(let p, let negated): return p.contains(c) != negated
            }
        }
    }

    var items: [Item]
    var negated = false
    /// Also matches when a case variant of the scalar is in the set (simple case folding).
    var ignoreCase = false

    func contains(_ c: UInt32) -> Bool {
        var hit = items.contains { $0.contains(c) }
        if !hit && ignoreCase {
            let folded = RegexCaseFolding.fold(c)
            hit = (folded != c && items.contains { $0.contains(folded) })
            if !hit {
                let upper = RegexCaseFolding.upper(folded)
                hit = upper != c && upper != folded && items.contains { $0.contains(upper) }
            }
        }
        return hit != negated
    }

    /// `\w`: the word scalars `\b` looks at (nil, the edge of the input, is not a word scalar).
    static func isWord(_ c: UInt32?) -> Bool {
        guard let c else { return false }
        if c < 0x80 {
            return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
        }
        guard let p = Unicode.Scalar(c)?.properties else { return false }
        if p.isAlphabetic || p.isJoinControl { return true }
        switch p.generalCategory {
        case .decimalNumber, .nonspacingMark, .spacingMark, .enclosingMark, .connectorPunctuation: return true
        default: return false
        }
    }

    /// `\p{NAME}` / `\P{NAME}` (also `Script=NAME`, `sc=NAME`, `gc=NAME`); nil when the name is unknown.
    static func property(named raw: String) -> Property? {
        var name = raw
        for prefix in ["Script=", "sc=", "General_Category=", "gc="] where name.hasPrefix(prefix) {
            name = String(name.dropFirst(prefix.count))
        }
        if let list = categoryNames[name] { return .categories(list) }
        switch name.lowercased().filter({ $0 != "_" && $0 != " " && $0 != "-" }) {
        case "any": return .anyScalar
        case "ascii": return .ascii
        case "alpha", "alphabetic": return .alphabetic
        case "whitespace", "space": return .space
        case "upper", "uppercase": return .uppercase
        case "lower", "lowercase": return .lowercase
        case "letter": return categoryNames["L"].map(Property.categories)
        case "number": return categoryNames["N"].map(Property.categories)
        case "punctuation": return categoryNames["P"].map(Property.categories)
        default: return scripts[name.lowercased()].map(Property.ranges)
        }
    }

    /// `[:NAME:]` inside a bracketed class.
    static func posixClass(named name: String) -> Property? {
        switch name {
        case "alpha": return .alphabetic
        case "digit": return .digit
        case "alnum": return .categories(categoryNames["L"]! + categoryNames["N"]!)
        case "upper": return .uppercase
        case "lower": return .lowercase
        case "space": return .space
        case "punct": return categoryNames["P"].map(Property.categories)
        case "xdigit": return .hexDigit
        case "cntrl": return .categories([.control])
        case "word": return .word
        case "blank": return .blank
        default: return nil
        }
    }

    private static let categoryNames: [String: [Unicode.GeneralCategory]] = [
        "L": [.uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter],
        "Lu": [.uppercaseLetter], "Ll": [.lowercaseLetter], "Lt": [.titlecaseLetter], "Lm": [.modifierLetter],
        "Lo": [.otherLetter], "LC": [.uppercaseLetter, .lowercaseLetter, .titlecaseLetter],
        "M": [.nonspacingMark, .spacingMark, .enclosingMark],
        "Mn": [.nonspacingMark], "Mc": [.spacingMark], "Me": [.enclosingMark],
        "N": [.decimalNumber, .letterNumber, .otherNumber],
        "Nd": [.decimalNumber], "Nl": [.letterNumber], "No": [.otherNumber],
        "P": [.connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
              .finalPunctuation, .otherPunctuation],
        "Pc": [.connectorPunctuation], "Pd": [.dashPunctuation], "Ps": [.openPunctuation], "Pe": [.closePunctuation],
        "Pi": [.initialPunctuation], "Pf": [.finalPunctuation], "Po": [.otherPunctuation],
        "S": [.mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol],
        "Sm": [.mathSymbol], "Sc": [.currencySymbol], "Sk": [.modifierSymbol], "So": [.otherSymbol],
        "Z": [.spaceSeparator, .lineSeparator, .paragraphSeparator],
        "Zs": [.spaceSeparator], "Zl": [.lineSeparator], "Zp": [.paragraphSeparator],
        "C": [.control, .format, .surrogate, .privateUse, .unassigned],
        "Cc": [.control], "Cf": [.format], "Cs": [.surrogate], "Co": [.privateUse], "Cn": [.unassigned],
    ]

    /// Scripts by the Unicode blocks that hold them (close enough for matching prompts).
    private static let scripts: [String: [ClosedRange<UInt32>]] = [
        "han": [0x2E80...0x2FDF, 0x3005...0x3007, 0x3021...0x3029, 0x3038...0x303B, 0x3400...0x4DBF,
                0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FA1F, 0x30000...0x323AF],
        "hiragana": [0x3041...0x309F, 0x1B001...0x1B11F],
        "katakana": [0x30A0...0x30FF, 0x31F0...0x31FF, 0x32D0...0x32FE, 0x3300...0x3357, 0xFF66...0xFF9D],
        "hangul": [0x1100...0x11FF, 0x3131...0x318E, 0xA960...0xA97F, 0xAC00...0xD7AF, 0xD7B0...0xD7FF, 0xFFA0...0xFFDC],
        "latin": [0x41...0x5A, 0x61...0x7A, 0xAA...0xAA, 0xBA...0xBA, 0xC0...0xD6, 0xD8...0xF6, 0xF8...0x24F,
                  0x1E00...0x1EFF, 0x2C60...0x2C7F, 0xA720...0xA7FF, 0xFF21...0xFF3A, 0xFF41...0xFF5A],
        "greek": [0x370...0x3FF, 0x1F00...0x1FFF],
        "cyrillic": [0x400...0x52F, 0x1C80...0x1C8F, 0x2DE0...0x2DFF, 0xA640...0xA69F],
        "arabic": [0x600...0x6FF, 0x750...0x77F, 0x8A0...0x8FF, 0xFB50...0xFDFF, 0xFE70...0xFEFF],
        "hebrew": [0x591...0x5F4, 0xFB1D...0xFB4F],
        "thai": [0xE01...0xE5B],
    ]

    static var supportedPropertyNames: String {
        "general categories (L, Lu, Nd, P, …), Any, ASCII, Alphabetic, White_Space, Uppercase, Lowercase, and the scripts "
            + scripts.keys.sorted().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: ", ")
    }
}

/// Simple case folding (one scalar to one scalar), as `ignore_case` regexes compare: `K` ~ `k` ~ `K` (Kelvin),
/// `σ` ~ `ς` ~ `Σ`; full foldings such as `ß` → `ss` are not applied, and dotless `ı` stays Turkish-only.
enum RegexCaseFolding {
    static func fold(_ c: UInt32) -> UInt32 {
        if c < 0x80 { return (c >= 0x41 && c <= 0x5A) ? c + 0x20 : c }
        guard c != 0x131, let s = Unicode.Scalar(c), s.properties.changesWhenCaseMapped else { return c }
        let upper = single(s.properties.uppercaseMapping) ?? s
        return (single(upper.properties.lowercaseMapping) ?? single(s.properties.lowercaseMapping) ?? s).value
    }

    /// The simple uppercase of a scalar (itself when that is not one scalar).
    static func upper(_ c: UInt32) -> UInt32 {
        if c < 0x80 { return (c >= 0x61 && c <= 0x7A) ? c - 0x20 : c }
        guard let s = Unicode.Scalar(c), s.properties.changesWhenCaseMapped else { return c }
        return (single(s.properties.uppercaseMapping) ?? s).value
    }

    private static func single(_ text: String) -> Unicode.Scalar? {
        var scalars = text.unicodeScalars.makeIterator()
        guard let first = scalars.next(), scalars.next() == nil else { return nil }
        return first
    }
}
