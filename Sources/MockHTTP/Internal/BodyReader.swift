/// Reads one request body off a connection's input: undoes its framing (Content-Length or
/// chunked) and feeds the bytes to its ``BodySink``.
struct BodyReader {
    private var remainingLength: Int
    private var chunks: ChunkedDecoder?
    var sink: BodySink
    private(set) var isComplete = false

    init(framing: BodyFraming, limits: HTTPServerConfiguration.Limits) {
        switch framing {
        case .none:
            remainingLength = 0
            isComplete = true
        case .length(let n):
            remainingLength = n
        case .chunked:
            remainingLength = 0
            chunks = ChunkedDecoder(maxTrailerBytes: limits.maxHeaderBytes)
        }
        let expected: Int? = if case .length(let n) = framing, n <= limits.bodyInMemoryThreshold { n } else { nil }
        sink = BodySink(expected: expected, limit: limits.maxBodyBytes)
    }

    /// The declared length, when the body has one.
    var declaredLength: Int? { chunks == nil ? remainingLength + sink.count : nil }

    /// Consumes body bytes from `input`; returns how many bytes it used (it stops at the end of
    /// the body, leaving a pipelined next request in place).
    mutating func consume(_ input: UnsafeRawBufferPointer) throws(HTTPServerError) -> Int {
        guard !isComplete else { return 0 }
        if var decoder = chunks {
            let used = try decoder.decode(input, into: &sink)
            chunks = decoder
            isComplete = decoder.isDone
            return used
        }
        let take = min(remainingLength, input.count)
        try sink.append(UnsafeRawBufferPointer(rebasing: input[0..<take]))
        remainingLength -= take
        isComplete = remainingLength == 0
        return take
    }
}
