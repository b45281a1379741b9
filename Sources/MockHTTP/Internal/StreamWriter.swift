/// Thrown by ``HTTPBodyWriter/write(_:)`` once the connection is gone.
public enum HTTPBodyWriterError: Error, Sendable, Equatable {
    case connectionClosed
}

/// Flow-control state shared by one streamed response's writer (any thread) and its
/// connection (loop thread). Lets `write` return without a round trip to the loop while the
/// bytes in flight (posted but not yet processed, plus queued in the connection) stay under
/// the high-water mark; above it the writer suspends until the loop reports a drain.
final class StreamCredit: Sendable {
    private struct State {
        var posted = 0
        var processed = 0
        var queuedOnConnection = 0
        var closed = false
        var waiter: CheckedContinuation<Void, any Error>?
        var inFlight: Int { posted - processed + queuedOnConnection }
    }

    private let state = Locked(State())
    let highWaterMark: Int

    init(highWaterMark: Int) { self.highWaterMark = highWaterMark }

    /// Writer side: accounts for `count` new bytes; false when the stream is closed.
    func post(_ count: Int) -> Bool {
        state.withLock { s in
            guard !s.closed else { return false }
            s.posted += count
            return true
        }
    }

    /// Writer side: suspends while too much is in flight; throws once closed.
    func waitForRoom() async throws {
        let mustWait = state.withLock { $0.inFlight > highWaterMark && !$0.closed }
        guard mustWait else {
            if state.withLock({ $0.closed }) { throw HTTPBodyWriterError.connectionClosed }
            return
        }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let outcome = state.withLock { s -> Bool? in
                if s.closed { return false }
                if s.inFlight <= highWaterMark { return true }
                s.waiter = continuation
                return nil
            }
            switch outcome {
            case true?: continuation.resume()
            case false?: continuation.resume(throwing: HTTPBodyWriterError.connectionClosed)
            case nil: break
            }
        }
    }

    /// Loop side: `processed` bytes reached the connection, which has `queued` unsent bytes.
    func update(processed: Int, queued: Int) {
        let waiter = state.withLock { s -> CheckedContinuation<Void, any Error>? in
            s.processed = processed
            s.queuedOnConnection = queued
            guard s.inFlight <= highWaterMark, let waiter = s.waiter else { return nil }
            s.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Loop side: the connection is gone (or the response ended); wakes a waiting writer.
    func close() {
        let waiter = state.withLock { s -> CheckedContinuation<Void, any Error>? in
            s.closed = true
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume(throwing: HTTPBodyWriterError.connectionClosed)
    }

    var isClosed: Bool { state.withLock { $0.closed } }
}

/// The writer a streaming handler receives. Bytes are handed to the connection's loop
/// without waiting for them to be sent; `write` only suspends above the high-water mark.
struct StreamWriter: HTTPBodyWriter {
    let connection: Connection
    let serial: UInt64
    let credit: StreamCredit

    func write(_ bytes: [UInt8]) async throws {
        guard !bytes.isEmpty else {  // an empty chunk would end the body
            if credit.isClosed { throw HTTPBodyWriterError.connectionClosed }
            return
        }
        guard credit.post(bytes.count) else { throw HTTPBodyWriterError.connectionClosed }
        let connection = self.connection
        let serial = self.serial
        let accepted = connection.loop.execute { connection.streamWrite(bytes, serial: serial) }
        guard accepted else { throw HTTPBodyWriterError.connectionClosed }
        try await credit.waitForRoom()
    }

    func abort() async {
        let connection = self.connection
        let serial = self.serial
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let accepted = connection.loop.execute {
                connection.streamAbort(serial: serial)
                continuation.resume()
            }
            if !accepted { continuation.resume() }
        }
        credit.close()
    }

    /// Ends the body (last chunk) and lets the connection go on to the next request.
    func finish() {
        let connection = self.connection
        let serial = self.serial
        _ = connection.loop.execute { connection.streamFinish(serial: serial) }
    }
}
