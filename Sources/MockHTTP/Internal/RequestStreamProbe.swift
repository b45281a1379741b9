/// The request parsers driven as a connection drives them, without a socket: a byte stream arrives in
/// pieces and is read request after request (head, then a sized or chunked body) until it needs more
/// input or fails. For the fuzz target `Tests/Fuzz/http`, which checks that no input traps or hangs and
/// that the verdict does not depend on how the stream was cut into reads.
package enum RequestStreamProbe {
    package struct Request: Equatable, Sendable {
        package var method: String
        package var target: String
        package var headerCount: Int
        package var body: [UInt8]
    }

    package enum End: Equatable, Sendable {
        /// Every byte was used, or the rest is an incomplete request.
        case needMore
        case failed(status: Int)
    }

    package struct Outcome: Equatable, Sendable {
        package var requests: [Request] = []
        package var end = End.needMore
    }

    /// Reads `stream` delivered `pieceSize` bytes at a time (bodies are kept in memory, at most `maxBodyBytes`).
    package static func run(_ stream: [UInt8], pieceSize: Int, maxBodyBytes: Int = 64 * 1024) -> Outcome {
        var limits = HTTPServerConfiguration.Limits()
        limits.maxBodyBytes = maxBodyBytes
        limits.bodyInMemoryThreshold = maxBodyBytes
        var reader = Reader(limits: limits)
        var offset = 0
        while offset < stream.count {
            let end = min(stream.count, offset + max(1, pieceSize))
            reader.input += stream[offset..<end]
            offset = end
            if let failure = reader.process() { return Outcome(requests: reader.requests, end: .failed(status: failure.status)) }
        }
        return Outcome(requests: reader.requests, end: .needMore)
    }

    private struct Reader {
        let limits: HTTPServerConfiguration.Limits
        var parser: RequestHeadParser
        var input: [UInt8] = []
        var start = 0
        var head: RequestHead?
        var remaining = 0
        var decoder: ChunkedDecoder?
        var body: BodyAccumulator?
        var requests: [Request] = []

        init(limits: HTTPServerConfiguration.Limits) {
            self.limits = limits
            parser = RequestHeadParser(limits: limits)
        }

        /// Reads what the buffered input allows; the error that ends the connection, if any.
        mutating func process() -> HTTPServerError? {
            while true {
                if head == nil {
                    guard start < input.count else { return nil }
                    let result = input.withUnsafeBytes { parser.parse(UnsafeRawBufferPointer(rebasing: $0[start...])) }
                    switch result {
                    case .needMore: return nil
                    case .failed(let error): return error
                    case .complete(let parsed, let consumed):
                        precondition(consumed > 0 && start + consumed <= input.count, "head parser consumed \(consumed)")
                        start += consumed
                        begin(parsed)
                    }
                }
                switch readBody() {
                case .failure(let error): return error
                case .success(false): return nil
                case .success(true): finish()
                }
            }
        }

        private mutating func begin(_ parsed: RequestHead) {
            head = parsed
            decoder = nil
            remaining = 0
            switch parsed.framing {
            case .none: body = nil
            case .length(let n): remaining = n
            case .chunked: decoder = ChunkedDecoder(maxTrailerBytes: limits.maxHeaderBytes)
            }
            if parsed.framing != .none {
                body = BodyAccumulator(expected: remaining, threshold: limits.bodyInMemoryThreshold,
                                       limit: limits.maxBodyBytes, directory: limits.temporaryDirectory)
            }
        }

        /// True once the body is complete.
        private mutating func readBody() -> Result<Bool, HTTPServerError> {
            guard var accumulator = body else { return .success(true) }
            defer { body = accumulator }
            let from = start, available = input.count - start
            var failure: HTTPServerError?
            if var chunked = decoder {
                let used = input.withUnsafeBytes { raw -> Int in
                    do throws(HTTPServerError) {
                        return try chunked.decode(UnsafeRawBufferPointer(rebasing: raw[from...]), into: &accumulator)
                    } catch {
                        failure = error
                        return 0
                    }
                }
                if let failure { return .failure(failure) }
                precondition(used >= 0 && used <= available, "chunked decoder consumed \(used) of \(available)")
                start += used
                decoder = chunked
                return .success(chunked.isDone)
            }
            let take = min(remaining, available)
            input.withUnsafeBytes { raw in
                do throws(HTTPServerError) {
                    try accumulator.append(UnsafeRawBufferPointer(rebasing: raw[from..<(from + take)]))
                } catch {
                    failure = error
                }
            }
            if let failure { return .failure(failure) }
            start += take
            remaining -= take
            return .success(remaining == 0)
        }

        private mutating func finish() {
            guard let parsed = head else { return }
            var received = body
            let requestBody: [UInt8]
            if case .bytes(let bytes)? = received?.finish() { requestBody = bytes } else { requestBody = [] }
            requests.append(Request(method: parsed.method, target: parsed.target, headerCount: parsed.headers.count,
                                    body: requestBody))
            head = nil
            body = nil
            decoder = nil
            parser.reset()
        }
    }
}
