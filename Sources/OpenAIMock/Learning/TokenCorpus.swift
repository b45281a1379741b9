/// Texts as integer token ids in one flat array: each text is `BOS`, the ids of its `TokenCounter.pieces`,
/// `EOS`. Pieces are interned in first-seen order, so ids depend only on the texts and their order.
struct TokenCorpus: Sendable {
    static let bos: Int32 = 0
    static let eos: Int32 = 1

    private(set) var ids: [String: Int32] = [:]
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

    mutating func append(_ text: String) {
        tokens.append(Self.bos)
        for piece in TokenCounter.tokenize(text) { tokens.append(intern(piece)) }
        tokens.append(Self.eos)
        starts.append(Int32(tokens.count))
    }

    mutating func intern(_ piece: String) -> Int32 {
        if let id = ids[piece] { return id }
        let id = Int32(pieces.count)
        ids[piece] = id
        pieces.append(piece)
        return id
    }

    /// The text spelled by `ids` (BOS and EOS spell nothing).
    func text(_ ids: some Sequence<Int32>) -> String {
        var out = ""
        for id in ids { out += pieces[Int(id)] }
        return out
    }
}
