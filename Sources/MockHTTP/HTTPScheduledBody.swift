/// A response body played entirely by the server's event loop: a script of byte chunks, each
/// sent after a delay, ending normally or by dropping the connection.
///
/// Unlike ``HTTPResponse/Body/stream(_:)`` no task runs while the body plays: the loop pulls
/// step 0, 1, 2, … from the body on its own thread, keeps each step's deadline in its timer
/// heap, and sends the chunk when the deadline passes. That makes thousands of slow, paced
/// bodies cheap (no task wake-up, no cross-thread hop, no dispatch timer per chunk) and their
/// timing precise to the loop's wake-up granularity (about a millisecond).
///
/// Deadlines are absolute: step *n* is due `delay` after step *n − 1* was due (step 0 after the
/// response head was queued), so a late wake-up does not push every later chunk back. The loop
/// does not pull the next step while more than the write high-water mark is queued for the
/// client (backpressure); the schedule then goes on from the moment the client drained, so a
/// slow reader gets no burst of overdue chunks. Once the client is gone no further step is
/// pulled. Sent chunked to HTTP/1.1 clients (one chunk per step), close-delimited to HTTP/1.0.
///
/// `step(_:)` is called on the loop thread, in order, with no index repeated, and must be fast
/// and non-blocking: rendering one chunk, not computing it.
public protocol HTTPScheduledBody: Sendable {
    /// Step `index` (0, 1, 2, …) of the body. After `.end` or `.abort` no further step is asked.
    func step(_ index: Int) -> HTTPScheduledStep
}

/// One step of an ``HTTPScheduledBody``; `after` is the delay since the previous step's deadline.
public enum HTTPScheduledStep: Sendable, Equatable {
    /// Send `bytes` (empty bytes send nothing: an empty chunk would end a chunked body).
    case send([UInt8], after: Duration = .zero)
    /// End the body properly (last chunk); the connection may serve the next request.
    case end(after: Duration = .zero)
    /// Close the connection without terminating the body (the client sees a truncated stream).
    /// Whatever was sent before is flushed first.
    case abort(after: Duration = .zero)

    /// The delay before this step.
    public var delay: Duration {
        switch self {
        case .send(_, let after), .end(let after), .abort(let after): return after
        }
    }
}

extension Duration {
    /// Whole nanoseconds, clamped to `0...UInt64.max / 2` (negative delays count as none).
    var clampedNanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0, attoseconds >= 0 || seconds > 0 else { return 0 }
        guard seconds < 1_000_000_000 else { return UInt64.max / 2 }
        let nanos = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        return nanos > 0 ? UInt64(nanos) : 0
    }
}
