/// Where the bytes of one request body go while the connection reads it: memory (a body small
/// enough to hand over whole), the handler's ``HTTPBodyStream`` (a large body, handed over as
/// it arrives), or nowhere (the handler answered without reading it all; the rest is skipped so
/// the connection can serve the next request). Enforces the body size limit in every case.
struct BodySink {
    enum Target {
        case memory([UInt8])
        case stream(HTTPBodyStream)
        case discard
    }

    private(set) var target: Target
    /// Body bytes received so far (whatever their target).
    private(set) var count = 0
    let limit: Int
    /// The stream's consumer is behind: stop reading the socket until it drains.
    var paused = false

    init(expected: Int?, limit: Int) {
        self.limit = limit
        var memory: [UInt8] = []
        if let expected { memory.reserveCapacity(expected) }
        target = .memory(memory)
    }

    /// Refuses, before any of its data arrives, a chunk that would take the body past the limit.
    func expect(_ more: Int) throws(HTTPServerError) {
        guard more <= limit - count else { throw .payloadTooLarge(limit: limit) }
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) throws(HTTPServerError) {
        guard !bytes.isEmpty else { return }
        guard bytes.count <= limit - count else { throw .payloadTooLarge(limit: limit) }
        count += bytes.count
        switch target {
        case .memory(var memory):
            target = .discard  // keeps `memory` uniquely referenced while it grows
            memory.append(contentsOf: bytes)
            target = .memory(memory)
        case .stream(let stream):
            if !stream.append(bytes) { paused = true }
        case .discard:
            break
        }
    }

    /// Bytes held in memory (0 once streaming or discarding).
    var bufferedCount: Int {
        if case .memory(let m) = target { return m.count }
        return 0
    }

    /// Moves what is buffered into a stream that the handler will read from now on.
    mutating func switchToStream(_ make: ([UInt8]) -> HTTPBodyStream) -> HTTPBodyStream {
        guard case .memory(let memory) = target else { preconditionFailure("body is already streamed") }
        let stream = make(memory)
        target = .stream(stream)
        return stream
    }

    /// Stops handing bytes to anyone; the rest of the body is read and dropped.
    mutating func discardRest() {
        if case .stream(let stream) = target { stream.abandon() }
        target = .discard
        paused = false
    }

    /// The whole body, when it was kept in memory.
    mutating func takeMemory() -> [UInt8] {
        guard case .memory(let memory) = target else { return [] }
        target = .discard
        return memory
    }

    var stream: HTTPBodyStream? {
        if case .stream(let s) = target { return s }
        return nil
    }
}

extension HTTPBodyStreamError {
    /// What a handler reading the body sees when the server rejects the rest of it.
    init(_ error: HTTPServerError) {
        switch error {
        case .payloadTooLarge(let limit): self = .tooLarge(limit: limit)
        default: self = .malformed("\(error)")
        }
    }
}
