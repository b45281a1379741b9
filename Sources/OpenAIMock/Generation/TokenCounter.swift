import MockHTTP

/// A piece of text that the mock treats as one step of generation: one streamed delta, one
/// logprobs entry. `tokens` is what it costs in cl100k tokens — usually 1, more for a rare CJK
/// character that cl100k spells in 2–3 byte tokens (a Swift `String` cannot hold half a scalar,
/// so such a character stays one piece and carries the extra weight).
public struct TokenPiece: Sendable, Equatable {
    public var text: String
    public var tokens: Int

    public init(_ text: String, tokens: Int = 1) {
        self.text = text
        self.tokens = tokens
    }
}

/// An approximation of tiktoken's `cl100k_base` (gpt-3.5/gpt-4 tokenizer) that needs no vocabulary file.
///
/// It works in two stages, like the real encoder:
/// 1. **Pre-tokenization** follows the shape of cl100k's regex exactly, scanning UTF-8 bytes (no
///    regex engine, no Foundation): `'s 'd 'm 't 'll 've 're` contractions; a letter run with one optional
///    leading non-letter/non-digit (so `" word"` and `"(word"` are one piece); digit runs in groups of ≤ 3;
///    punctuation runs with an optional leading space and trailing newlines; whitespace (newline runs,
///    spaces before a word minus the one the word takes, trailing whitespace).
/// 2. **BPE is estimated**, not run. ASCII words cost an expected number of tokens from their length,
///    case and what precedes them (measured on real cl100k output: a lowercase word of ≤ 7 letters after a
///    space is ~always 1 token, 12 letters ~1.35, ALLCAPS ~0.15 per letter); camelCase splits at case
///    changes. A fractional expectation is rounded up or down by a stable hash of the word, so one word
///    always costs the same while a corpus averages out right. Digits groups and punctuation of ≤ 3 marks
///    are 1 token. CJK, kana, Hangul and CJK punctuation use tables taken from the cl100k vocabulary
///    (`TokenCounter+Tables.swift`): the 969 three-byte characters that are single tokens, the 2-byte
///    prefixes that make others cost 2 instead of 3 (exact for 99.4 % of Han characters in isolation), and
///    the 211 multi-character Han words that are single tokens (`用户`, `数据`, `请输入`, …). Other 2-byte
///    scripts (accented Latin, Cyrillic, Greek, Arabic) add ~0.45 per non-ASCII letter.
///
/// Measured against real cl100k counts it stays within ±15 % on English and Chinese prose, code, numbers
/// and mixed text (fixtures in `TokenCounterTests`).
public enum TokenCounter {
    /// Estimated cl100k token count of `text` (the sum of `pieces(text)` weights).
    public static func count(_ text: String) -> Int {
        var total = 0
        text.withUTF8Bytes { total = count($0) }
        return total
    }

    /// The same for valid UTF-8 bytes.
    static func count(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var scanner = TokenScanner(bytes: bytes, sink: CountSink())
        scanner.run()
        return scanner.sink.total
    }

    /// Token-sized pieces that concatenate back exactly to `text`, with their token weights.
    public static func pieces(_ text: String) -> [TokenPiece] {
        var out: [TokenPiece] = []
        text.withUTF8Bytes { bytes in
            var scanner = TokenScanner(bytes: bytes, sink: SpanSink())
            scanner.run()
            out.reserveCapacity(scanner.sink.spans.count)
            for span in scanner.sink.spans {
                let slice = UnsafeBufferPointer(rebasing: bytes[span.start..<span.end])
                out.append(TokenPiece(String(decoding: slice, as: UTF8.self), tokens: span.tokens))
            }
        }
        return out
    }

    /// The texts of `pieces(text)`: `tokenize(t).joined() == t`.
    public static func tokenize(_ text: String) -> [String] {
        pieces(text).map(\.text)
    }

    /// Prompt tokens of a chat request, the way OpenAI's cookbook counts them: 3 per message, plus every
    /// value (role, content, name), plus 1 for a name, plus 3 priming the assistant's reply.
    public static func countChat(_ messages: [(role: String, content: String, name: String?)]) -> Int {
        var total = 3
        for message in messages {
            total += 3 + roleTokens(message.role) + count(message.content)
            if let name = message.name { total += 1 + count(name) }
        }
        return total
    }

    /// The chat roles are single cl100k tokens.
    static func roleTokens(_ role: String) -> Int {
        switch role {
        case "system", "user", "assistant", "tool", "developer", "function": return 1
        default: return count(role)
        }
    }
}

/// Character classes of the cl100k pre-tokenizer regex.
enum ScalarClass: Equatable {
    case letter, number, space, newline, other
}

/// Receives the scanner's `(startByte, endByte, tokens)` spans in order.
protocol TokenSpanSink {
    mutating func take(_ start: Int, _ end: Int, _ tokens: Int)
    /// A pre-token (one match of the regex, one or more spans) starts at byte `start`.
    mutating func runStarts(at start: Int)
}

extension TokenSpanSink {
    @inline(__always)
    mutating func runStarts(at start: Int) {}
}

struct CountSink: TokenSpanSink {
    var total = 0
    mutating func take(_ start: Int, _ end: Int, _ tokens: Int) { total += tokens }
}

struct SpanSink: TokenSpanSink {
    var spans: [(start: Int, end: Int, tokens: Int)] = []
    mutating func take(_ start: Int, _ end: Int, _ tokens: Int) { spans.append((start, end, tokens)) }
}

/// The byte-level scanner behind `TokenCounter`; generic over its sink so counting allocates nothing.
struct TokenScanner<Sink: TokenSpanSink> {
    let bytes: UnsafeBufferPointer<UInt8>
    var sink: Sink

    @inline(__always)
    mutating func emit(_ start: Int, _ end: Int, _ tokens: Int) { sink.take(start, end, tokens) }

    /// Decodes the scalar at byte `i` (the input is valid UTF-8: it comes from a `String`).
    @inline(__always)
    func scalar(at i: Int) -> (value: UInt32, length: Int) {
        let b0 = bytes[i]
        if b0 < 0x80 { return (UInt32(b0), 1) }
        if b0 < 0xE0 { return ((UInt32(b0 & 0x1F) << 6) | UInt32(bytes[i + 1] & 0x3F), 2) }
        if b0 < 0xF0 {
            return ((UInt32(b0 & 0x0F) << 12) | (UInt32(bytes[i + 1] & 0x3F) << 6) | UInt32(bytes[i + 2] & 0x3F), 3)
        }
        let v = (UInt32(b0 & 0x07) << 18) | (UInt32(bytes[i + 1] & 0x3F) << 12)
            | (UInt32(bytes[i + 2] & 0x3F) << 6) | UInt32(bytes[i + 3] & 0x3F)
        return (v, 4)
    }

    @inline(__always)
    static func classify(_ v: UInt32) -> ScalarClass {
        if v < 0x80 {
            switch v {
            case 0x41...0x5A, 0x61...0x7A: return .letter
            case 0x30...0x39: return .number
            case 0x0A, 0x0D: return .newline
            case 0x20, 0x09, 0x0B, 0x0C: return .space
            default: return .other
            }
        }
        if v >= 0x4E00 && v <= 0x9FFF { return .letter }  // CJK unified ideographs, the hot non-ASCII case
        return classifyRare(v)
    }

    /// Out of line: inlined, its Unicode property lookups would make every scan load their type metadata.
    @inline(never)
    static func classifyRare(_ v: UInt32) -> ScalarClass {
        guard let s = Unicode.Scalar(v) else { return .other }
        let p = s.properties
        switch p.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return .letter
        case .decimalNumber, .letterNumber, .otherNumber: return .number
        default: return p.isWhitespace ? .space : .other
        }
    }

    func classAt(_ i: Int) -> ScalarClass { i < bytes.count ? Self.classify(scalar(at: i).value) : .other }

    mutating func run() {
        let n = bytes.count
        var i = 0
        while i < n {
            sink.runStarts(at: i)
            if let end = shortSpacedWord(at: i) {
                // What `letterRun` finds for it: one token.
                emit(i, end, 1)
                i = end
                continue
            }
            let (c, len) = scalar(at: i)
            let cls = Self.classify(c)
            if c == 0x27, let end = contractionEnd(after: i + 1) {
                emit(i, end, 1)
                i = end
            } else if cls == .letter {
                i = letterRun(start: i, lettersStart: i)
            } else if cls != .number && cls != .newline && i + len < n && classAt(i + len) == .letter {
                i = letterRun(start: i, lettersStart: i + len)
            } else if cls == .number {
                var j = i + len, digits = 1
                while j < n && digits < 3 {
                    let (v, l) = scalar(at: j)
                    guard Self.classify(v) == .number else { break }
                    j += l; digits += 1
                }
                emit(i, j, 1)
                i = j
            } else if cls == .other || (c == 0x20 && i + 1 < n && classAt(i + 1) == .other) {
                i = punctuationRun(start: i)
            } else {
                i = whitespaceRun(start: i)
            }
        }
    }

    /// The end of the most common piece of prose, a space and a lowercase ASCII word of at most 6 letters
    /// ending before an ASCII non-letter or the end of the text; nil for anything else.
    @inline(__always)
    func shortSpacedWord(at i: Int) -> Int? {
        guard bytes[i] == 0x20 else { return nil }
        var j = i + 1
        while j < bytes.count, j - i <= 7, bytes[j] >= 0x61 && bytes[j] <= 0x7A { j += 1 }
        guard j > i + 1, j - i <= 7 else { return nil }
        if j < bytes.count {
            let b = bytes[j]
            guard b < 0x80 && !(b >= 0x41 && b <= 0x5A) && !(b >= 0x61 && b <= 0x7A) else { return nil }
        }
        return j
    }

    /// `'(?i:[sdmt]|ll|ve|re)` starting after the apostrophe.
    func contractionEnd(after i: Int) -> Int? {
        guard i < bytes.count else { return nil }
        let a = bytes[i] | 0x20
        if a == 0x73 || a == 0x64 || a == 0x6D || a == 0x74 { return i + 1 }  // s d m t
        guard i + 1 < bytes.count else { return nil }
        let b = bytes[i + 1] | 0x20
        if (a == 0x6C && b == 0x6C) || (a == 0x76 && b == 0x65) || (a == 0x72 && b == 0x65) { return i + 2 }
        return nil
    }

    /// ` ?[^\s\p{L}\p{N}]++[\r\n]*`
    mutating func punctuationRun(start: Int) -> Int {
        var j = start
        if bytes[j] == 0x20 { j += 1 }
        var ascii = 0
        var extra = 0
        var marks = 0
        while j < bytes.count {
            let (v, l) = scalar(at: j)
            guard Self.classify(v) == .other else { break }
            if l == 1 { ascii += 1 } else { extra += Self.wideCost(v, length: l) }
            marks += 1
            j += l
        }
        while j < bytes.count && (bytes[j] == 0x0A || bytes[j] == 0x0D) { j += 1 }
        let expected = Self.punctuationCost(ascii) + Double(extra)
        let tokens = realize(expected, start, j)
        split(start, j, into: tokens, pieces: marks)
        return j
    }

    /// `\s++$ | \s*[\r\n] | \s+(?!\S) | \s`
    mutating func whitespaceRun(start: Int) -> Int {
        var j = start
        var lastNewlineEnd = -1
        var lastScalarStart = start
        var count = 0
        while j < bytes.count {
            let (v, l) = scalar(at: j)
            let cls = Self.classify(v)
            guard cls == .space || cls == .newline else { break }
            if cls == .newline { lastNewlineEnd = j + l }
            lastScalarStart = j
            j += l
            count += 1
        }
        let end: Int
        if j == bytes.count { end = j }
        else if lastNewlineEnd > 0 { end = lastNewlineEnd }
        else if count > 1 { end = lastScalarStart }
        else { end = j }
        emit(start, end, 1 + (end - start) / 64)
        return end
    }

    /// Rounds an expected token count to an integer: the fractional part becomes a stable coin flip on
    /// the piece's bytes, so the same word always costs the same and many words average to `expected`.
    func realize(_ expected: Double, _ start: Int, _ end: Int) -> Int {
        let whole = Int(expected)
        let fraction = expected - Double(whole)
        if fraction < 0.001 { return max(1, whole) }
        var h = StableHash()
        h.combine(UnsafeBufferPointer(rebasing: bytes[start..<end]))
        let u = Double(h.finalized >> 11) * 0x1.0p-53
        return max(1, whole + (u < fraction ? 1 : 0))
    }

    /// Emits `[start, end)` as `tokens` tokens in up to `pieces` roughly equal scalar-aligned chunks; a
    /// leftover weight (more tokens than scalars) rides on the last chunk.
    mutating func split(_ start: Int, _ end: Int, into tokens: Int, pieces scalarCount: Int) {
        let chunks = max(1, min(tokens, scalarCount))
        if chunks == 1 { emit(start, end, tokens); return }
        var j = start
        var chunkStart = start
        var seen = 0
        var made = 0
        while j < end {
            j += scalar(at: j).length
            seen += 1
            if made < chunks - 1 && seen * chunks >= (made + 1) * scalarCount {
                emit(chunkStart, j, 1)
                chunkStart = j
                made += 1
            }
        }
        emit(chunkStart, end, tokens - made)
    }
}

/// Token counts of a text built sentence by sentence, in about one pass over it: each new sentence's count
/// as if it were counted alone, and the whole text's count and pieces so far.
///
/// The scanner never looks behind, and appending text can only change the last pre-tokens (a word or a run
/// of punctuation and newlines may go on): so each step rescans from the second-to-last pre-token start
/// of the text before it, and a sentence that starts where the whole text's scan starts a pre-token counts
/// what that scan finds from there. Otherwise (a mark ending the previous sentence joins the first word or
/// newlines of this one) the sentence is counted on its own.
struct TokenTally {
    /// Pre-token start from which the next step scans; `tokens`/`pieces` before it are final.
    private var resume = 0
    private var settledTokens = 0
    private var settledPieces = 0
    /// The whole text's count and pieces as of the last step.
    private(set) var tokens = 0
    private(set) var pieces = 0

    /// Accounts for the text `text[sentenceStart...]` appended to what earlier steps saw; returns its count alone.
    mutating func add(_ text: UnsafeBufferPointer<UInt8>, sentenceFrom sentenceStart: Int) -> Int {
        let rest = UnsafeBufferPointer(rebasing: text[resume...])
        var scanner = TokenScanner(bytes: rest, sink: TallySink(watch: sentenceStart - resume))
        scanner.run()
        let sink = scanner.sink
        tokens = settledTokens + sink.tokens
        pieces = settledPieces + sink.pieces
        let sentence = sink.tokensBeforeWatch.map { sink.tokens - $0 }
            ?? TokenCounter.count(UnsafeBufferPointer(rebasing: text[sentenceStart...]))
        resume += sink.previous.start
        settledTokens += sink.previous.tokens
        settledPieces += sink.previous.pieces
        return sentence
    }
}

/// Counts tokens and pieces, noting the counts before the last two pre-token starts and before `watch`.
struct TallySink: TokenSpanSink {
    let watch: Int
    var tokens = 0
    var pieces = 0
    var tokensBeforeWatch: Int?
    var last = (start: 0, tokens: 0, pieces: 0)
    var previous = (start: 0, tokens: 0, pieces: 0)

    init(watch: Int) { self.watch = watch }

    mutating func take(_ start: Int, _ end: Int, _ tokens: Int) {
        self.tokens += tokens
        pieces += 1
    }

    mutating func runStarts(at start: Int) {
        if start == watch { tokensBeforeWatch = tokens }
        previous = last
        last = (start, tokens, pieces)
    }
}
