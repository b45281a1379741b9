import MockHTTP

/// `POST /v1/embeddings`.
///
/// Absent `encoding_format` answers float lists (litellm omits it and expects floats); the
/// SDKs ask for `base64` and decode little-endian float32. The body is written byte by byte
/// rather than through `JSONValue`, because a full request is 2,048 × 3,072 floats.
public enum Embeddings {
    static let create: Endpoint = { ctx throws(OpenAIError) in
        let request = try EmbeddingsRequest(try ctx.jsonBody())
        let dimensions = try request.validate(models: ctx.state.models)
        let counts = try request.tokenCounts()
        let embedder = Embedder(model: request.model, nativeDimensions: EmbeddingModels.nativeDimensions(request.model),
                                dimensions: dimensions, seed: ctx.seed)
        let reply = ctx.scenarioReply
        let body = responseBody(request, embedder: embedder, promptTokens: counts.reduce(0, +),
                                override: { reply?.embeddingOverride($0) })
        return HTTPResponse(status: 200, headers: ["content-type": "application/json"], bytes: body)
    }

    /// The response bytes: `{"object":"list","data":[{"object":"embedding","index":i,"embedding":…}],
    /// "model":…,"usage":{"prompt_tokens":n,"total_tokens":n}}`, in the real API's field order.
    ///
    /// - Parameter override: per input index, a pinned vector or "embed like this text" (the
    ///   scenario engine's hook); nil answers every input from its own features.
    public static func responseBody(_ request: EmbeddingsRequest, embedder: Embedder, promptTokens: Int,
                                    override: (Int) -> EmbeddingOverride? = { _ in nil }) -> [UInt8] {
        let dim = embedder.dimensions
        let perVector = request.encodingFormat == .base64 ? (dim * 4 + 2) / 3 * 4 + 2 : dim * 13 + 2
        var out: [UInt8] = []
        out.reserveCapacity(request.inputs.count * (perVector + 64) + 256 + request.model.utf8.count)
        out.append(contentsOf: #"{"object":"list","data":["#.utf8)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: dim) { scratch in
            for (i, input) in request.inputs.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: #"{"object":"embedding","index":"#.utf8)
                appendInt(i, to: &out)
                out.append(contentsOf: #","embedding":"#.utf8)
                embedder.embed(input, override: override(i), into: scratch)
                switch request.encodingFormat {
                case .base64: EmbeddingEncoding.appendBase64(UnsafeBufferPointer(scratch), to: &out)
                case .float: EmbeddingEncoding.appendFloatList(UnsafeBufferPointer(scratch), to: &out)
                }
                out.append(UInt8(ascii: "}"))
            }
        }
        out.append(contentsOf: #"],"model":"#.utf8)
        JSONValue.writeString(request.model, to: &out)
        out.append(contentsOf: #","usage":{"prompt_tokens":"#.utf8)
        appendInt(promptTokens, to: &out)
        out.append(contentsOf: #","total_tokens":"#.utf8)
        appendInt(promptTokens, to: &out)
        out.append(contentsOf: "}}".utf8)
        return out
    }

    private static func appendInt(_ n: Int, to out: inout [UInt8]) {
        var s = String(n)
        s.withUTF8 { out.append(contentsOf: $0) }
    }
}
