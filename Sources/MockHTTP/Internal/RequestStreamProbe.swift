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
        var body: BodyReader?
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
                        head = parsed
                        body = BodyReader(framing: parsed.framing, limits: limits)
                    }
                }
                guard var reader = body else { return nil }
                let from = start, available = input.count - start
                var failure: HTTPServerError?
                let used = input.withUnsafeBytes { raw -> Int in
                    do throws(HTTPServerError) {
                        return try reader.consume(UnsafeRawBufferPointer(rebasing: raw[from...]))
                    } catch {
                        failure = error
                        return 0
                    }
                }
                if let failure { return failure }
                precondition(used >= 0 && used <= available, "body reader consumed \(used) of \(available)")
                start += used
                body = reader
                guard reader.isComplete else { return nil }
                finish()
            }
        }

        private mutating func finish() {
            guard let parsed = head, var reader = body else { return }
            requests.append(Request(method: parsed.method, target: parsed.target, headerCount: parsed.headers.count,
                                    body: reader.sink.takeMemory()))
            head = nil
            body = nil
            parser.reset()
        }
    }
}
