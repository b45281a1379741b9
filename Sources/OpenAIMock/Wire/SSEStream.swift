import MockHTTP

/// A finite sequence of SSE `data:` events produced on demand.
///
/// Events are rendered only when they are about to be written, so thousands of concurrent
/// streams hold their small scripts, not their bytes.
protocol SSEEventSource: Sendable {
    var eventCount: Int { get }
    /// Appends the complete frame of event `index` to `out`: `data: <json>\n\n`.
    func event(_ index: Int, into out: inout [UInt8])
    /// Whether a pacing delay precedes event `index` (content, not bookkeeping such as the
    /// usage chunk). The first event waits for the time to first token instead.
    func isPaced(_ index: Int) -> Bool
    /// What follows the last event: `data: [DONE]` (chat, completions; the default) or nothing (responses).
    var closingFrame: [UInt8] { get }
    /// A deliberate mid-stream error after `index` events (default: the portable `data: {"error":…}`).
    func errorFrame(_ error: OpenAIError, at index: Int) -> [UInt8]
}

extension SSEEventSource {
    var closingFrame: [UInt8] { SSEStream.done }
    func errorFrame(_ error: OpenAIError, at index: Int) -> [UInt8] { SSEStream.errorFrame(error) }
}

/// SSE framing and the stream player shared by chat, legacy completions and responses.
///
/// Chat and completions frame as the contract says (§3): `data: <json>` + blank line per event, no
/// `event:` lines, `data: [DONE]` and then the body ends; responses name each event (`event:` lines)
/// and end without `[DONE]` (``SSEEventSource/closingFrame``). Pacing and deliberate breakage come from the
/// ``ReplyPlan``, so scenarios can script slow or broken streams without touching rendering.
enum SSEStream {
    static let dataPrefix: [UInt8] = Array("data: ".utf8)
    static let done: [UInt8] = Array("data: [DONE]\n\n".utf8)

    /// Round-robin over choices (0, 1, …, 0, 1, …) so each choice index first appears in
    /// ascending order, which the SDK's stream accumulator requires (contract §5.4).
    static func interleave<Step>(_ perChoice: [[Step]]) -> [Step] {
        var all: [Step] = []
        all.reserveCapacity(perChoice.reduce(1) { $0 + $1.count })
        for position in 0..<(perChoice.map(\.count).max() ?? 0) {
            for steps in perChoice where position < steps.count { all.append(steps[position]) }
        }
        return all
    }

    /// Closes a chunk prefix (`…"choices":[`) as the final usage chunk: `],"usage":{…}}` + blank line.
    static func appendUsageTail(_ usage: JSONValue?, to out: inout [UInt8]) {
        out.append(contentsOf: #"],"usage":"#.utf8)
        (usage ?? .null).write(to: &out)
        out.append(contentsOf: "}\n\n".utf8)
    }

    /// `data: <json>\n\n` for one value.
    static func frame(_ value: JSONValue) -> [UInt8] {
        var out = dataPrefix
        out.reserveCapacity(256)
        value.write(to: &out)
        out.append(0x0A)
        out.append(0x0A)
        return out
    }

    /// The portable mid-stream error event: `data: {"error":{…}}`.
    static func errorFrame(_ error: OpenAIError) -> [UInt8] {
        frame(.object(JSONObject([("error", error.errorObject)])))
    }

    /// The headers of every event stream.
    static var headers: HTTPHeaders {
        ["content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", "x-accel-buffering": "no"]
    }

    /// A 200 event-stream response playing `source` with the plan's pacing and breakage. The
    /// server's event loop plays it (``HTTPScheduledBody``): no task or timer per event, so
    /// thousands of paced streams stay cheap and their inter-token gaps precise.
    static func response(_ source: some SSEEventSource, pacing: ReplyPlan.StreamPacing,
                         breakage: ReplyPlan.StreamBreakage?) -> HTTPResponse {
        HTTPResponse(status: 200, headers: headers,
                     body: .scheduled(SSEScheduledBody(source, pacing: pacing, breakage: breakage)))
    }
}

/// An event stream as a schedule: the time to first token before the first step, the
/// inter-token delay before each paced event after it, then `[DONE]` and the end — or the
/// plan's breakage after `afterChunks` events (cut with or without `[DONE]`, an error event,
/// a dropped connection).
final class SSEScheduledBody<Source: SSEEventSource>: HTTPScheduledBody {
    let source: Source
    let timeToFirstToken: Duration
    let interTokenDelay: Duration
    /// Events sent before the ending.
    let limit: Int
    let breakage: ReplyPlan.StreamBreakage?
    /// Whether a closing frame follows the events (`[DONE]`).
    let closes: Bool

    init(_ source: Source, pacing: ReplyPlan.StreamPacing, breakage: ReplyPlan.StreamBreakage?) {
        self.source = source
        timeToFirstToken = pacing.timeToFirstToken > .zero ? pacing.timeToFirstToken : .zero
        interTokenDelay = pacing.interTokenDelay > .zero ? pacing.interTokenDelay : .zero
        let count = source.eventCount
        limit = breakage.map { min(max(0, $0.afterChunks), count) } ?? count
        self.breakage = breakage
        closes = !source.closingFrame.isEmpty
    }

    func step(_ index: Int) -> HTTPScheduledStep {
        // The first step, whatever it is, waits for the first token (as a stream broken after
        // zero events still takes that long to break).
        let first = index == 0 ? timeToFirstToken : .zero
        if index < limit {
            let paced = index > 0 && interTokenDelay > .zero && source.isPaced(index)
            return .send(after: paced ? interTokenDelay : first)
        }
        switch breakage {
        case nil:
            return index == limit && closes ? .send(after: first) : .end(after: first)
        case .cut(_, let sendDone)?:
            if !sendDone || !closes { return .end(after: first) }
            return index == limit ? .send(after: first) : .end()
        case .error?:
            return index == limit ? .send(after: first) : .end()
        case .dropConnection?:
            return .abort(after: first)
        }
    }

    /// Event `index`, or after the events the one closing frame: `[DONE]`, or the error event.
    func render(_ index: Int, into buffer: inout [UInt8]) {
        if index < limit {
            source.event(index, into: &buffer)
        } else if case .error(_, let error)? = breakage {
            buffer.append(contentsOf: source.errorFrame(error, at: index))
        } else {
            buffer.append(contentsOf: source.closingFrame)
        }
    }
}
