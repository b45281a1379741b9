/// A response body played entirely by the server's event loop: a script of byte chunks, each
/// sent after a delay, ending normally or by dropping the connection.
///
/// Unlike ``HTTPResponse/Body/stream(_:)`` no task runs while the body plays: the loop pulls
/// step 0, 1, 2, … from the body on its own thread, keeps each step's deadline in its timer
/// heap, and sends the chunk when the deadline passes. That makes thousands of slow, paced
/// bodies cheap (no task wake-up, no cross-thread hop, no dispatch timer per chunk) and their
/// timing precise to the loop's wake-up (to the microsecond where the kernel has epoll_pwait2).
///
/// Deadlines are absolute: step *n* is due `delay` after step *n − 1* was due (step 0 after the
/// response head was queued), so small wake-up delays do not add up into drift. A step sent
/// later than half its delay or 2 ms (a stalled loop) restarts the timing from the moment it is
/// sent instead: the missed steps are not sent in a burst. The loop does not pull the next
/// step while more than the write high-water mark is queued for the client (backpressure); the
/// schedule then goes on from the moment the client drained, so a slow reader gets no burst of
/// overdue chunks either. Once the client is gone no further step is pulled. Sent chunked to
/// HTTP/1.1 clients (one chunk per step), close-delimited to HTTP/1.0.
///
/// `step(_:)` is called on the loop thread, in order, with no index repeated; it says what the
/// step is and when it is due, and must be cheap (no rendering). `render(_:into:)` is called
/// once for each `.send` step, on the loop thread, right when the step is sent: it appends the
/// step's bytes to a buffer the loop reuses, so playing a body allocates nothing per chunk and
/// thousands of waiting bodies hold no rendered bytes. Bodies are objects: the loop holds one
/// reference per playing connection, so checking and reaching it costs no existential copy.
public protocol HTTPScheduledBody: AnyObject, Sendable {
    /// Step `index` (0, 1, 2, …) of the body. After `.end` or `.abort` no further step is asked.
    func step(_ index: Int) -> HTTPScheduledStep
    /// Appends the bytes of `.send` step `index` to `buffer` (nothing appended: nothing is sent,
    /// as an empty chunk would end a chunked body).
    func render(_ index: Int, into buffer: inout [UInt8])
}

/// One step of an ``HTTPScheduledBody``; `after` is the delay since the previous step's deadline.
public enum HTTPScheduledStep: Sendable, Equatable {
    /// Send the step's bytes (``HTTPScheduledBody/render(_:into:)``).
    case send(after: Duration = .zero)
    /// End the body properly (last chunk); the connection may serve the next request.
    case end(after: Duration = .zero)
    /// Close the connection without terminating the body (the client sees a truncated stream).
    /// Whatever was sent before is flushed first.
    case abort(after: Duration = .zero)

    /// The delay before this step.
    public var delay: Duration {
        switch self {
        case .send(let after), .end(let after), .abort(let after): return after
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
