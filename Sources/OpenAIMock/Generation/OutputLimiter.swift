import MockHTTP

/// Why a choice ended, with the API's spelling as raw value.
public enum TextFinishReason: String, Sendable, Equatable {
    case stop
    case length
    case toolCalls = "tool_calls"
    case contentFilter = "content_filter"
    case functionCall = "function_call"
}

/// Text after `stop` sequences and the token cap were applied.
public struct LimitedOutput: Sendable, Equatable {
    /// What the client sees (`pieces` joined); never contains the stop sequence.
    public var text: String
    /// Tokens the model "generated", for `usage.completion_tokens`: like the real API this includes the
    /// tokens that spelled the stop sequence, and never exceeds `maxTokens`.
    public var completionTokens: Int
    public var finishReason: TextFinishReason
    /// The stop sequence that ended generation, if one did.
    public var matchedStop: String?
    private var storedPieces: [TokenPiece]?
    /// When no stop sequence matched, the pieces are the first `visiblePieces` of `source`'s, made on demand:
    /// most replies never need them.
    private var source = ""
    private var visiblePieces = 0

    /// The visible pieces, for stream deltas and logprobs (a piece cut by a stop sequence is trimmed).
    /// Unless a stop sequence cut the text, they are made on each access: keep the result.
    public var pieces: [TokenPiece] {
        get { storedPieces ?? Array(TokenCounter.pieces(source).prefix(visiblePieces)) }
        set { storedPieces = newValue }
    }

    public init(text: String, pieces: [TokenPiece], completionTokens: Int, finishReason: TextFinishReason, matchedStop: String?) {
        self.text = text
        self.storedPieces = pieces
        self.completionTokens = completionTokens
        self.finishReason = finishReason
        self.matchedStop = matchedStop
    }

    init(text: String, firstPieces count: Int, of source: String, completionTokens: Int, finishReason: TextFinishReason) {
        self.text = text
        self.source = source
        self.visiblePieces = count
        self.completionTokens = completionTokens
        self.finishReason = finishReason
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.text == b.text && a.completionTokens == b.completionTokens && a.finishReason == b.finishReason
            && a.matchedStop == b.matchedStop && a.pieces == b.pieces
    }
}

/// Counts a text's pieces up to the first that no longer fits in `cap` tokens.
struct CapSink: TokenSpanSink {
    let cap: Int
    var spent = 0
    var end = 0
    var included = 0
    var isFull = false

    mutating func take(_ start: Int, _ end: Int, _ tokens: Int) {
        guard !isFull else { return }
        if spent + tokens <= cap {
            spent += tokens
            self.end = end
            included += 1
        } else {
            isFull = true
        }
    }
}

/// Applies `stop` and `max_tokens` to a generated (or scripted) text with OpenAI's semantics:
/// generation runs token by token; `maxTokens` caps the tokens produced (`finish_reason: "length"`);
/// the first stop sequence to be completed within them ends generation (`"stop"`), the output is cut
/// where that sequence starts and the sequence itself is dropped, even when it spans several pieces.
/// A text that simply ends is `"stop"` too.
public enum OutputLimiter {
    public static func apply(text: String, stop: [String] = [], maxTokens: Int? = nil) -> LimitedOutput {
        // One counting pass finds what fits; the pieces are only made when a stop sequence must be cut out.
        var fast: LimitedOutput?
        text.withUTF8Bytes { bytes in
            var scanner = TokenScanner(bytes: bytes, sink: CapSink(cap: maxTokens.map { max(0, $0) } ?? .max))
            scanner.run()
            let fit = scanner.sink
            let visible = UnsafeBufferPointer(rebasing: bytes[..<fit.end])
            guard !stop.contains(where: { !$0.isEmpty && firstIndex(of: Array($0.utf8), in: visible) != nil }) else { return }
            fast = LimitedOutput(text: fit.isFull ? String(decoding: visible, as: UTF8.self) : text,
                                 firstPieces: fit.included, of: text, completionTokens: fit.spent,
                                 finishReason: fit.isFull ? .length : .stop)
        }
        return fast ?? apply(pieces: TokenCounter.pieces(text), stop: stop, maxTokens: maxTokens)
    }

    public static func apply(pieces: [TokenPiece], stop: [String] = [], maxTokens: Int? = nil) -> LimitedOutput {
        // 1. What fits in the budget. A piece worth several tokens is all or nothing.
        var included = 0
        var spent = 0
        if let cap = maxTokens {
            while included < pieces.count && spent + pieces[included].tokens <= max(0, cap) {
                spent += pieces[included].tokens
                included += 1
            }
        } else {
            included = pieces.count
            spent = pieces.reduce(0) { $0 + $1.tokens }
        }
        let hitCap = included < pieces.count
        var bytes: [UInt8] = []
        var ends: [Int] = []  // byte end of each included piece
        for piece in pieces[..<included] {
            bytes.append(contentsOf: piece.text.utf8)
            ends.append(bytes.count)
        }

        // 2. The stop sequence completed first (earliest end; on a tie the one starting earlier).
        var best: (start: Int, end: Int, stop: String)?
        for s in stop where !s.isEmpty {
            guard let start = firstIndex(of: Array(s.utf8), in: bytes) else { continue }
            let end = start + s.utf8.count
            if best == nil || end < best!.end || (end == best!.end && start < best!.start) {
                best = (start, end, s)
            }
        }
        guard let match = best else {
            let visible = Array(pieces[..<included])
            return LimitedOutput(text: String(decoding: bytes, as: UTF8.self), pieces: visible,
                                 completionTokens: spent, finishReason: hitCap ? .length : .stop, matchedStop: nil)
        }

        // 3. Cut before the stop sequence; bill through the piece that completed it.
        var visible: [TokenPiece] = []
        var pieceStart = 0
        var billed = 0
        for (index, piece) in pieces[..<included].enumerated() {
            let pieceEnd = ends[index]
            if pieceStart < match.start {
                if pieceEnd <= match.start {
                    visible.append(piece)
                } else {
                    let head = Array(piece.text.utf8.prefix(match.start - pieceStart))
                    visible.append(TokenPiece(String(decoding: head, as: UTF8.self), tokens: 1))
                }
            }
            if pieceStart < match.end { billed += piece.tokens }
            pieceStart = pieceEnd
        }
        return LimitedOutput(text: String(decoding: bytes[..<match.start], as: UTF8.self), pieces: visible,
                             completionTokens: billed, finishReason: .stop, matchedStop: match.stop)
    }

    /// Naive byte search; needles are short (≤ 4 stop strings) and valid UTF-8 cannot match mid-scalar.
    static func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        haystack.withUnsafeBufferPointer { firstIndex(of: needle, in: $0) }
    }

    static func firstIndex(of needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !needle.isEmpty, needle.count <= haystack.count else { return nil }
        let first = needle[0]
        var i = 0
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first {
                var j = 1
                while j < needle.count && haystack[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }
}
