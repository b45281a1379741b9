/// Deterministic embedding vectors with real lexical similarity.
///
/// A text is turned into weighted features (normalised words, word bigrams, character
/// trigrams; for CJK runs, character uni/bi/trigrams so no word segmentation is needed), each
/// feature is hashed with a stable hash to a signed bucket, and the sum is L2-normalised.
/// Texts that share words share buckets, so their cosine similarity is higher, which is what
/// tutorials and retrieval tests check. Nothing depends on Swift's `Hasher`, so the same text,
/// model and seed give the same bytes in every process.
///
/// **Truncation (`dimensions`).** The real 3-series models are trained so that a prefix of the
/// vector, renormalised, is itself a good embedding. To behave the same way, every feature also
/// lands in nested coarse prefixes (`[0,256)`, `[0,64)`, `[0,16)`, `[0,4)`) with smaller weights,
/// so even a 4-dimensional prefix still carries the text's features. A `dimensions: d` request
/// is then literally the native vector's first `d` components renormalised: the embedder simply
/// skips buckets at or beyond `d`.
public struct Embedder: Sendable {
    /// Native size of the model's vectors.
    public let nativeDimensions: Int
    /// Size of the vectors produced (`dimensions` if given, else native).
    public let dimensions: Int
    /// Mixed into every feature hash: differs per model and per `--seed`.
    public let seed: UInt64
    /// Turns token ids back into text when a vocabulary is known, so `[[15339, 1917]]` embeds
    /// exactly like `"hello world"`. Without one, token arrays are embedded by their ids.
    public let tokenDecoder: (@Sendable ([Int]) -> String?)?

    /// - Parameters:
    ///   - model: mixed into the hash so ada-002 and 3-small give different vectors.
    ///   - dimensions: requested size (1...native); nil for the native size.
    public init(model: String, nativeDimensions: Int, dimensions: Int? = nil, seed: UInt64 = 0,
                tokenDecoder: (@Sendable ([Int]) -> String?)? = nil) {
        precondition(nativeDimensions > 0)
        self.nativeDimensions = nativeDimensions
        self.dimensions = min(max(dimensions ?? nativeDimensions, 1), nativeDimensions)
        var h = StableHash(seed)
        h.combine("embedding")
        h.combine(model)
        self.seed = h.finalized
        self.tokenDecoder = tokenDecoder
    }

    /// The vector for `input` (or for what `override` says instead), unit length.
    public func vector(_ input: EmbeddingInput, override: EmbeddingOverride? = nil) -> [Float] {
        [Float](unsafeUninitializedCapacity: dimensions) { buffer, count in
            embed(input, override: override, into: buffer)
            count = dimensions
        }
    }

    /// Writes the unit-length vector into `out` (its count must be `dimensions`). Allocation-free
    /// for text and token inputs, so a batch can reuse one scratch buffer.
    public func embed(_ input: EmbeddingInput, override: EmbeddingOverride? = nil,
                      into out: UnsafeMutableBufferPointer<Float>) {
        precondition(out.count == dimensions)
        out.update(repeating: 0)
        var acc = FeatureAccumulator(out: out, native: UInt64(nativeDimensions), seed: seed)
        switch override {
        case .vector(let pinned)?:
            for i in 0..<min(pinned.count, out.count) { out[i] = pinned[i] }
        case .likeText(let text)?:
            acc.addText(text)
        case nil:
            switch input {
            case .text(let text):
                acc.addText(text)
            case .tokens(let ids):
                if let decoder = tokenDecoder, let text = decoder(ids) { acc.addText(text) } else { acc.addTokens(ids) }
            }
        }
        Self.normalize(out)
    }

    /// Scales `v` to unit length. An all-zero vector gets a 1 in its first component so every
    /// answer is a valid unit vector (a zero vector makes cosine similarity divide by zero).
    static func normalize(_ v: UnsafeMutableBufferPointer<Float>) {
        var sum: Double = 0
        for x in v { sum += Double(x) * Double(x) }
        guard sum > 0, sum.isFinite else {
            v.update(repeating: 0)
            if !v.isEmpty { v[0] = 1 }
            return
        }
        let scale = Float(1 / sum.squareRoot())
        for i in v.indices { v[i] *= scale }
    }
}

/// What to embed: text, or one token array (as LangChain sends by default).
public enum EmbeddingInput: Sendable, Equatable {
    case text(String)
    case tokens([Int])
}

/// A way for scenario rules to decide a vector instead of the text's features.
public enum EmbeddingOverride: Sendable, Equatable {
    /// Use exactly this vector (truncated or zero-padded to the output size, then normalised,
    /// just as the real API truncates for `dimensions`).
    case vector([Float])
    /// Embed this text instead of the input ("make this query land on that document").
    case likeText(String)
}

/// The built-in embedding models and their native sizes.
public enum EmbeddingModels {
    /// Native vector size for a model id, recognising dated / fine-grained variants by prefix.
    public static func nativeDimensions(_ model: String) -> Int {
        if model.hasPrefix("text-embedding-3-large") { return 3072 }
        return 1536
    }

    /// Whether `dimensions` may be passed (ada-002 rejects it).
    public static func supportsDimensions(_ model: String) -> Bool {
        !model.hasPrefix("text-embedding-ada")
    }
}
