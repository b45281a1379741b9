/// A syntax error in a scenario file, with the position where reading stopped.
public struct JSON5SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var location: SourceLocation
    public var description: String { "\(location): \(message)" }
}

/// Reads JSON5 (a superset of JSON) into a ``SourceValue`` tree that remembers positions.
///
/// Supported JSON5: `//` and `/* */` comments, trailing commas, unquoted identifier keys,
/// single-quoted strings, `\x` / `\v` / `\0` escapes and escaped line breaks, hexadecimal
/// numbers, leading `+`, leading or trailing decimal points, `Infinity` and `NaN`.
/// Duplicate keys are an error (a hand-written file with two `when`s is a mistake, not a merge).
/// Written by hand rather than with `JSONDecoder.allowsJSON5` because the linter needs the
/// line and column of every key, which Foundation does not expose.
///
/// Reading is linear in the file: columns are counted on from the last position asked for (not
/// from the line start each time), and duplicate keys are found with a set. Any byte sequence gives
/// a value or a ``JSON5SyntaxError``, never a trap (the reader is fuzzed: `Tests/Fuzz/json5`).
public struct JSON5Reader {
    let b: [UInt8]
    let file: String
    var i = 0
    var line = 1
    var lineStart = 0
    var depth = 0
    static let maxDepth = 256
    /// Column cache: the column at byte `columnOffset` of line `columnLine`.
    private var columnLine = 0
    private var columnOffset = 0
    private var column = 1

    init(b: [UInt8], file: String) {
        self.b = b
        self.file = file
    }

    public static func read(_ bytes: [UInt8], file: String) throws(JSON5SyntaxError) -> SourceValue {
        var reader = JSON5Reader(b: bytes, file: file)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { reader.i = 3; reader.lineStart = 3 }
        try reader.skipTrivia()
        guard reader.i < bytes.count else { throw reader.fail("The file is empty: expected a JSON object") }
        let value = try reader.readValue()
        try reader.skipTrivia()
        if reader.i < bytes.count { throw reader.fail("Unexpected \(reader.describeCurrent()) after the end of the document") }
        return value
    }

    public static func read(_ text: String, file: String) throws(JSON5SyntaxError) -> SourceValue {
        try read(Array(text.utf8), file: file)
    }

    // MARK: positions

    /// The current position; columns count Unicode scalars (UTF-8 lead bytes) from the line start.
    mutating func location() -> SourceLocation {
        let end = min(i, b.count)
        if columnLine != line || end < columnOffset {
            columnLine = line
            columnOffset = lineStart
            column = 1
        }
        while columnOffset < end {
            if b[columnOffset] & 0xC0 != 0x80 { column += 1 }
            columnOffset += 1
        }
        return SourceLocation(file: file, line: line, column: column)
    }

    mutating func fail(_ message: String) -> JSON5SyntaxError { JSON5SyntaxError(message: message, location: location()) }

    func describeCurrent() -> String {
        guard i < b.count else { return "end of file" }
        let rest = String(decoding: b[i..<min(i + 4, b.count)], as: UTF8.self)
        guard let scalar = rest.unicodeScalars.first else { return "byte" }
        return "character '\(scalar)'"
    }

    mutating func newline() {
        line += 1
        lineStart = i
    }

    // MARK: trivia

    mutating func skipTrivia() throws(JSON5SyntaxError) {
        while i < b.count {
            let c = b[i]
            switch c {
            case 0x20, 0x09, 0x0B, 0x0C: i += 1
            case 0x0A: i += 1; newline()
            case 0x0D:
                i += 1
                if i < b.count && b[i] == 0x0A { i += 1 }
                newline()
            case 0xC2 where i + 1 < b.count && b[i + 1] == 0xA0: i += 2          // NBSP
            case 0xE2 where i + 2 < b.count && b[i + 1] == 0x80 && (b[i + 2] == 0xA8 || b[i + 2] == 0xA9):
                i += 3; newline()                                                 // LS / PS
            case 0xEF where i + 2 < b.count && b[i + 1] == 0xBB && b[i + 2] == 0xBF: i += 3  // BOM
            case UInt8(ascii: "/"):
                guard i + 1 < b.count else { throw fail("Unexpected '/'") }
                if b[i + 1] == UInt8(ascii: "/") {
                    while i < b.count && b[i] != 0x0A && b[i] != 0x0D { i += 1 }
                } else if b[i + 1] == UInt8(ascii: "*") {
                    let start = location()
                    i += 2
                    while true {
                        guard i < b.count else {
                            throw JSON5SyntaxError(message: "Unterminated /* comment", location: start)
                        }
                        if b[i] == UInt8(ascii: "*") && i + 1 < b.count && b[i + 1] == UInt8(ascii: "/") { i += 2; break }
                        if b[i] == 0x0A { i += 1; newline() } else { i += 1 }
                    }
                } else {
                    throw fail("Unexpected '/': comments start with // or /*")
                }
            default: return
            }
        }
    }

    // MARK: values

    mutating func readValue() throws(JSON5SyntaxError) -> SourceValue {
        guard i < b.count else { throw fail("Unexpected end of file: expected a value") }
        let start = location()
        switch b[i] {
        case UInt8(ascii: "{"): return SourceValue(node: .object(try readObject()), location: start)
        case UInt8(ascii: "["): return SourceValue(node: .array(try readArray()), location: start)
        case UInt8(ascii: "\""), UInt8(ascii: "'"): return SourceValue(node: .string(try readString()), location: start)
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return SourceValue(node: try readNumber(), location: start)
        default:
            guard let word = readIdentifier() else { throw fail("Unexpected \(describeCurrent()): expected a value") }
            switch word {
            case "true": return SourceValue(node: .bool(true), location: start)
            case "false": return SourceValue(node: .bool(false), location: start)
            case "null": return SourceValue(node: .null, location: start)
            case "Infinity": return SourceValue(node: .double(.infinity), location: start)
            case "NaN": return SourceValue(node: .double(.nan), location: start)
            default:
                throw JSON5SyntaxError(message: "Unexpected word '\(word)': strings must be quoted", location: start)
            }
        }
    }

    mutating func enter() throws(JSON5SyntaxError) {
        depth += 1
        if depth > Self.maxDepth { throw fail("Nesting deeper than \(Self.maxDepth) levels") }
    }

    mutating func readObject() throws(JSON5SyntaxError) -> [SourceValue.Member] {
        try enter()
        defer { depth -= 1 }
        let open = location()
        i += 1
        var members: [SourceValue.Member] = []
        var keys = Set<String>()
        while true {
            try skipTrivia()
            guard i < b.count else { throw JSON5SyntaxError(message: "Unclosed '{' (object opened here)", location: open) }
            if b[i] == UInt8(ascii: "}") { i += 1; return members }
            let keyLocation = location()
            let key: String
            if b[i] == UInt8(ascii: "\"") || b[i] == UInt8(ascii: "'") {
                key = try readString()
            } else if let word = readIdentifier() {
                key = word
            } else {
                throw fail("Unexpected \(describeCurrent()): expected a key or '}'")
            }
            if !keys.insert(key).inserted {
                throw JSON5SyntaxError(message: "Duplicate key '\(key)'", location: keyLocation)
            }
            try skipTrivia()
            guard i < b.count, b[i] == UInt8(ascii: ":") else { throw fail("Expected ':' after key '\(key)'") }
            i += 1
            try skipTrivia()
            let value = try readValue()
            members.append(SourceValue.Member(key: key, keyLocation: keyLocation, value: value))
            try skipTrivia()
            guard i < b.count else { throw JSON5SyntaxError(message: "Unclosed '{' (object opened here)", location: open) }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }
            if b[i] == UInt8(ascii: "}") { i += 1; return members }
            throw fail("Expected ',' or '}' after the value of '\(key)', found \(describeCurrent())")
        }
    }

    mutating func readArray() throws(JSON5SyntaxError) -> [SourceValue] {
        try enter()
        defer { depth -= 1 }
        let open = location()
        i += 1
        var items: [SourceValue] = []
        while true {
            try skipTrivia()
            guard i < b.count else { throw JSON5SyntaxError(message: "Unclosed '[' (array opened here)", location: open) }
            if b[i] == UInt8(ascii: "]") { i += 1; return items }
            items.append(try readValue())
            try skipTrivia()
            guard i < b.count else { throw JSON5SyntaxError(message: "Unclosed '[' (array opened here)", location: open) }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }
            if b[i] == UInt8(ascii: "]") { i += 1; return items }
            throw fail("Expected ',' or ']' in array, found \(describeCurrent())")
        }
    }

    /// An ECMAScript-style identifier: ASCII letters, digits, `_`, `$`, and any non-ASCII letter.
    mutating func readIdentifier() -> String? {
        let start = i
        while i < b.count {
            let c = b[i]
            let isStart = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == UInt8(ascii: "_") || c == UInt8(ascii: "$") || c >= 0x80
            let isDigit = c >= 48 && c <= 57
            if isStart || (isDigit && i > start) { i += 1 } else { break }
        }
        return i > start ? String(decoding: b[start..<i], as: UTF8.self) : nil
    }

    mutating func readNumber() throws(JSON5SyntaxError) -> SourceValue.Node {
        let start = i
        var negative = false
        if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { negative = b[i] == UInt8(ascii: "-"); i += 1 }
        if let word = readIdentifier() {
            if word == "Infinity" { return .double(negative ? -.infinity : .infinity) }
            if word == "NaN" { return .double(.nan) }
            i = start
            throw fail("Invalid number")
        }
        if i + 1 < b.count, b[i] == UInt8(ascii: "0"), b[i + 1] | 0x20 == UInt8(ascii: "x") {
            i += 2
            let digits = i
            while i < b.count, Self.isHex(b[i]) { i += 1 }
            guard i > digits, let v = Int(String(decoding: b[digits..<i], as: UTF8.self), radix: 16) else {
                throw fail("Invalid hexadecimal number")
            }
            return .int(negative ? -v : v)
        }
        var isInteger = true
        while i < b.count {
            let c = b[i]
            if c >= 48 && c <= 57 { i += 1; continue }
            if c == UInt8(ascii: ".") || c | 0x20 == UInt8(ascii: "e") {
                isInteger = false
                i += 1
                if c | 0x20 == UInt8(ascii: "e"), i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
                continue
            }
            break
        }
        var text = String(decoding: b[start..<i], as: UTF8.self)
        if text.hasPrefix("+") { text.removeFirst() }
        if isInteger, let v = Int(text) { return .int(v) }
        // Swift's Double parser wants a digit before and after the point; JSON5 allows `.5` and `5.`.
        text = text.replacingDotEdges()
        guard let d = Double(text), text.last?.isNumber == true else {
            let end = i
            i = start
            throw fail("Invalid number '\(String(decoding: b[start..<end], as: UTF8.self))'")
        }
        return .double(d)
    }

    static func isHex(_ c: UInt8) -> Bool { (c >= 48 && c <= 57) || (c | 0x20 >= 97 && c | 0x20 <= 102) }

    mutating func readString() throws(JSON5SyntaxError) -> String {
        let quote = b[i]
        let start = location()
        i += 1
        var out: [UInt8] = []
        while true {
            guard i < b.count else { throw JSON5SyntaxError(message: "Unterminated string", location: start) }
            let c = b[i]
            if c == quote { i += 1; return String(decoding: out, as: UTF8.self) }
            if c == 0x0A || c == 0x0D {
                throw fail("Line break inside a string: write \\n, or end the line with a backslash")
            }
            if c != UInt8(ascii: "\\") { out.append(c); i += 1; continue }
            i += 1
            guard i < b.count else { throw JSON5SyntaxError(message: "Unterminated string", location: start) }
            let e = b[i]
            i += 1
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "v"): out.append(0x0B)
            case UInt8(ascii: "0"): out.append(0x00)
            case 0x0A: newline()                                          // escaped line break: continues the string
            case 0x0D:
                if i < b.count && b[i] == 0x0A { i += 1 }
                newline()
            case UInt8(ascii: "x"):
                guard i + 1 < b.count, Self.isHex(b[i]), Self.isHex(b[i + 1]),
                      let v = UInt32(String(decoding: b[i..<i + 2], as: UTF8.self), radix: 16) else {
                    throw fail("Invalid \\x escape: expected two hexadecimal digits")
                }
                i += 2
                out.append(contentsOf: String(Character(Unicode.Scalar(v)!)).utf8)
            case UInt8(ascii: "u"):
                let escape = i - 2
                var v = try hex4()
                if (0xD800..<0xDC00).contains(v), i + 5 < b.count, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u") {
                    i += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else {
                        i = escape
                        throw fail("Invalid \\u escape: a high surrogate must be followed by a low one (\\uDC00–\\uDFFF)")
                    }
                    v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(v) else {
                    i = escape
                    throw fail("Invalid \\u escape (lone surrogate)")
                }
                out.append(contentsOf: String(Character(scalar)).utf8)
            default:
                out.append(e)                                             // \" \' \\ \/ and any other char as itself
            }
        }
    }

    mutating func hex4() throws(JSON5SyntaxError) -> UInt32 {
        guard i + 3 < b.count, (i..<i + 4).allSatisfy({ Self.isHex(b[$0]) }),
              let v = UInt32(String(decoding: b[i..<i + 4], as: UTF8.self), radix: 16) else {
            throw fail("Invalid \\u escape: expected four hexadecimal digits")
        }
        i += 4
        return v
    }
}

private extension String {
    /// `.5` → `0.5`, `5.` → `5.0`, `-.5` → `-0.5`, `5.e3` → `5.0e3`.
    func replacingDotEdges() -> String {
        var s = self
        if s.hasPrefix(".") { s = "0" + s } else if s.hasPrefix("-.") { s = "-0" + s.dropFirst() }
        if let dot = s.firstIndex(of: ".") {
            let next = s.index(after: dot)
            if next == s.endIndex || !s[next].isNumber { s.insert("0", at: next) }
        }
        return s
    }
}
