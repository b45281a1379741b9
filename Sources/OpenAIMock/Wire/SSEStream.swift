import MockHTTP

/// A finite sequence of SSE `data:` events produced on demand.
///
/// Events are rendered only when they are about to be written, so thousands of concurrent
/// streams hold their small scripts, not their bytes.
protocol SSEEventSource: Sendable {
    var eventCount: Int { get }
    /// The complete frame of event `index`: `data: <json>\n\n`.
    func event(_ index: Int) -> [UInt8]
    /// Whether a pacing delay precedes event `index` (content, not bookkeeping such as the
    /// usage chunk). The first event waits for the time to first token instead.
    func isPaced(_ index: Int) -> Bool
}

/// SSE framing and the stream player shared by chat and legacy completions.
///
/// Framing follows the contract (§3): `data: <json>` + blank line per event, no `event:` lines,
/// `data: [DONE]` and then the body ends. Pacing and deliberate breakage come from the
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

    /// A 200 event-stream response playing `source` with the plan's pacing and breakage.
    static func response(_ source: some SSEEventSource, pacing: ReplyPlan.StreamPacing,
                         breakage: ReplyPlan.StreamBreakage?) -> HTTPResponse {
        HTTPResponse(status: 200, headers: headers, body: .stream { writer in
            try await play(source, pacing: pacing, breakage: breakage, to: writer)
        })
    }

    /// Writes the events, sleeping between them as paced, then `[DONE]` — or breaks the stream
    /// after `breakage.afterChunks` events as planned.
    static func play(_ source: some SSEEventSource, pacing: ReplyPlan.StreamPacing,
                     breakage: ReplyPlan.StreamBreakage?, to writer: any HTTPBodyWriter) async throws {
        let count = source.eventCount
        let limit = breakage.map { min(max(0, $0.afterChunks), count) } ?? count
        if pacing.timeToFirstToken > .zero { try await Task.sleep(for: pacing.timeToFirstToken) }
        for index in 0..<limit {
            if index > 0 && pacing.interTokenDelay > .zero && source.isPaced(index) {
                try await Task.sleep(for: pacing.interTokenDelay)
            }
            try await writer.write(source.event(index))
        }
        switch breakage {
        case nil:
            try await writer.write(done)
        case .cut(_, let sendDone)?:
            if sendDone { try await writer.write(done) }
        case .error(_, let error)?:
            try await writer.write(errorFrame(error))
        case .dropConnection?:
            await writer.abort()
        }
    }
}
