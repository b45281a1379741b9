/// Texts as integer token ids in one flat array: each text is `BOS`, the ids of its `TokenCounter.pieces`,
/// `EOS`. Pieces are interned in first-seen order, so ids depend only on the texts and their order.
struct TokenCorpus: Sendable {
    static let bos: Int32 = 0
    static let eos: Int32 = 1

    /// Piece bytes hash → id.
    private var ids = FlatHashMap<Int32>(capacity: 4096, empty: -1)
    /// Piece text per id (empty for BOS and EOS).
    private(set) var pieces: [String] = ["", ""]
    private(set) var tokens: [Int32] = []
    /// `starts[i]` is where text `i`'s BOS is; the last entry is `tokens.count`.
    private(set) var starts: [Int32] = [0]

    var count: Int { starts.count - 1 }
    var vocabularySize: Int { pieces.count }

    /// Token positions of text `i`, BOS through EOS.
    @inline(__always) func range(_ i: Int) -> Range<Int> { Int(starts[i])..<Int(starts[i + 1]) }

    /// The number of pieces of text `i` (without BOS and EOS).
    @inline(__always) func length(_ i: Int) -> Int { Int(starts[i + 1] - starts[i]) - 2 }

    /// Appends `text` as BOS, its pieces, EOS. Scans the bytes once and makes a `String` only for a piece
    /// not seen before.
    mutating func append(_ text: String) {
        tokens.append(Self.bos)
        var text = text
        text.withUTF8 { bytes in
            var scanner = TokenScanner(bytes: bytes, sink: SpanSink())
            scanner.run()
            for span in scanner.sink.spans {
                let piece = UnsafeBufferPointer(rebasing: bytes[span.start..<span.end])
                let slot = ids.slot(Self.hash(piece))
                if ids[slot: slot] < 0 {
                    ids[slot: slot] = Int32(pieces.count)
                    pieces.append(String(decoding: piece, as: UTF8.self))
                }
                tokens.append(ids[slot: slot])
            }
        }
        tokens.append(Self.eos)
        starts.append(Int32(tokens.count))
    }

    /// The id of a piece, if the corpus has it.
    func id(of piece: String) -> Int32? { ids.find(Self.hash(piece.utf8)) }

    private static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var h = StableHash()
        h.combine(bytes)
        return h.finalized
    }

    /// The text spelled by `ids` (BOS and EOS spell nothing).
    func text(_ ids: some Sequence<Int32>) -> String {
        var out = ""
        for id in ids { out += pieces[Int(id)] }
        return out
    }
}
