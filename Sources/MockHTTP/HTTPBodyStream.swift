/// A request body that is still arriving while its handler runs.
///
/// Bodies up to the server's in-memory threshold reach the handler whole, as
/// ``HTTPBody/bytes(_:)``. A larger body (or a chunked one that grows past the threshold) is
/// handed over as soon as its head is parsed: the event loop appends what it reads, the handler
/// takes it with ``next()`` — on its own task, so whatever the handler does with the bytes (parse
/// them, write them to disk) never runs on a loop thread. Reading is flow-controlled: while more
/// than the high-water mark is waiting for the handler, the connection stops reading from its
/// socket (TCP then slows the client down), and resumes once the handler has taken it.
///
/// A handler that answers without reading everything calls ``abandon()`` (or simply returns:
/// the server abandons the body when the response is delivered); the rest of the body is then
/// read and discarded by the connection, which stays usable for the next request. If the client
/// goes away, or the body breaks the limits or framing, ``next()`` throws and the server answers
/// (or closes) by itself.
public final class HTTPBodyStream: Sendable {
    /// The `Content-Length` of the body, when the client sent one (nil for chunked bodies).
    public let expectedLength: Int?
    private let state: Locked<State>
    private let highWaterMark: Int
    /// Called (on the consumer's thread) when the consumer takes the buffer after the producer was
    /// told to pause; the connection then resumes reading on its loop.
    private let onDrain: @Sendable () -> Void

    private struct State {
        var buffer: [UInt8] = []
        var finished = false
        var failure: HTTPBodyStreamError?
        var abandoned = false
        var paused = false
        var delivered = 0
        var waiter: CheckedContinuation<Result<[UInt8]?, HTTPBodyStreamError>, Never>?
    }

    init(expectedLength: Int?, initial: [UInt8] = [], highWaterMark: Int, onDrain: @escaping @Sendable () -> Void) {
        self.expectedLength = expectedLength
        self.highWaterMark = max(1, highWaterMark)
        self.onDrain = onDrain
        var initialState = State()
        initialState.buffer = initial
        state = Locked(initialState)
    }

    /// A stream fed by hand (tests, and engines used without a socket): `feed` appends, `end`
    /// finishes, `fail` breaks it off. No flow control.
    public static func detached(expectedLength: Int? = nil) -> HTTPBodyStream {
        HTTPBodyStream(expectedLength: expectedLength, highWaterMark: Int.max, onDrain: {})
    }

    public func feed(_ bytes: [UInt8]) { bytes.withUnsafeBytes { _ = append($0) } }
    public func end() { finish() }
    public func breakOff(_ error: HTTPBodyStreamError = .connectionClosed) { fail(error) }

    /// Bytes received and not taken by the consumer yet.
    var bufferedCount: Int { state.withLock { $0.buffer.count } }

    /// Bytes handed to the consumer so far.
    public var bytesRead: Int { state.withLock { $0.delivered } }

    // MARK: Consumer

    /// The bytes that arrived since the last call (at least one), or nil once the body is complete.
    /// Throws when the body cannot complete (client gone, limits, framing) or the task is cancelled.
    public func next() async throws(HTTPBodyStreamError) -> [UInt8]? {
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<[UInt8]?, HTTPBodyStreamError>, Never>) in
                let (ready, drained) = state.withLock { s -> (Result<[UInt8]?, HTTPBodyStreamError>?, Bool) in
                    if let taken = Self.take(&s) { return (taken.result, taken.drained) }
                    if Task.isCancelled { return (.failure(.cancelled), false) }
                    s.waiter = continuation
                    return (nil, false)
                }
                if drained { onDrain() }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            let waiter = state.withLock { s -> CheckedContinuation<Result<[UInt8]?, HTTPBodyStreamError>, Never>? in
                defer { s.waiter = nil }
                return s.waiter
            }
            waiter?.resume(returning: .failure(.cancelled))
        }
        return try result.get()
    }

    /// Reads the whole body into memory, refusing more than `limit` bytes.
    public func collect(limit: Int) async throws(HTTPBodyStreamError) -> [UInt8] {
        var bytes: [UInt8] = []
        if let expectedLength, expectedLength <= limit { bytes.reserveCapacity(expectedLength) }
        while let chunk = try await next() {
            guard bytes.count + chunk.count <= limit else {
                abandon()
                throw .tooLarge(limit: limit)
            }
            bytes.append(contentsOf: chunk)
        }
        return bytes
    }

    /// The handler will read no more: what arrives from now on is discarded by the connection.
    public func abandon() {
        let resume = state.withLock { s -> Bool in
            s.abandoned = true
            s.buffer = []
            defer { s.paused = false }
            return s.paused
        }
        if resume { onDrain() }
    }

    /// Takes what a waiting consumer may have: buffered bytes, the end, or the failure.
    private static func take(_ s: inout State) -> (result: Result<[UInt8]?, HTTPBodyStreamError>, drained: Bool)? {
        if !s.buffer.isEmpty {
            var out: [UInt8] = []
            swap(&out, &s.buffer)
            s.delivered += out.count
            let drained = s.paused
            s.paused = false
            return (.success(out), drained)
        }
        if let failure = s.failure { return (.failure(failure), false) }
        if s.finished { return (.success(nil), false) }
        return nil
    }

    // MARK: Producer (the connection's loop thread)

    /// Appends body bytes; false when the consumer is behind and the connection should stop
    /// reading until `onDrain` is called.
    func append(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard !bytes.isEmpty else { return true }
        typealias Waiter = CheckedContinuation<Result<[UInt8]?, HTTPBodyStreamError>, Never>
        let (waiter, handOff, keepReading) = state.withLock { s -> (Waiter?, [UInt8], Bool) in
            if s.abandoned || s.failure != nil { return (nil, [], true) }
            if let w = s.waiter {
                s.waiter = nil
                s.delivered += bytes.count
                return (w, Array(bytes), true)
            }
            s.buffer.append(contentsOf: bytes)
            if s.buffer.count > highWaterMark { s.paused = true }
            return (nil, [], !s.paused)
        }
        waiter?.resume(returning: .success(handOff))
        return keepReading
    }

    /// Whether the consumer gave up (the connection discards instead of appending).
    var isAbandoned: Bool { state.withLock { $0.abandoned } }

    /// The body is complete.
    func finish() {
        resume { s in
            s.finished = true
            return .success(nil)
        }
    }

    /// The body cannot complete; a waiting or later `next()` throws `error`.
    func fail(_ error: HTTPBodyStreamError) {
        resume { s in
            if s.failure == nil && !s.finished { s.failure = error }
            return s.failure.map { .failure($0) } ?? .success(nil)
        }
    }

    private func resume(_ change: (inout State) -> Result<[UInt8]?, HTTPBodyStreamError>) {
        let (waiter, result) = state.withLock { s -> (CheckedContinuation<Result<[UInt8]?, HTTPBodyStreamError>, Never>?, Result<[UInt8]?, HTTPBodyStreamError>) in
            let result = change(&s)
            defer { s.waiter = nil }
            return (s.buffer.isEmpty ? s.waiter : nil, result)
        }
        waiter?.resume(returning: result)
    }
}

/// Why a streamed request body could not be read to its end.
public enum HTTPBodyStreamError: Error, Sendable, Equatable {
    /// The client closed the connection before the body was complete.
    case connectionClosed
    /// The body grew past `limit` bytes.
    case tooLarge(limit: Int)
    /// The body's framing was invalid (bad chunked encoding).
    case malformed(String)
    /// The reading task was cancelled.
    case cancelled
}
