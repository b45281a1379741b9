import MockHTTP

/// `openai-mock record`: every OpenAI request goes to the upstream with the client's own headers
/// (its key, organisation and project included) and the upstream's answer goes back unchanged —
/// a stream event by event as it arrives — while the ``Recorder`` writes the exchange as scenario
/// rules. No scenario rule or endpoint of the mock answers.
public struct ForwardStep: PipelineStep {
    let upstream: any Upstream
    let recorder: Recorder
    /// Largest request body forwarded (an upload is held in memory while it is sent).
    let bodyLimit: Int

    /// Request headers the HTTP layer owns, not the client's to pass on.
    static let hopHeaders: Set<String> = ["host", "content-length", "connection", "keep-alive", "transfer-encoding", "expect",
                                          "te", "upgrade", "accept-encoding", IsolationStep.header]
    /// Response headers that described the upstream's framing, which the mock's own replaces.
    static let upstreamFraming: Set<String> = ["content-length", "transfer-encoding", "connection", "keep-alive",
                                               "content-encoding", "date", "server"]

    public init(upstream: any Upstream, recorder: Recorder, bodyLimit: Int = 600 << 20) {
        self.upstream = upstream
        self.recorder = recorder
        self.bodyLimit = bodyLimit
    }

    public func applies(to kind: RouteKind, batchLine: Bool) -> Bool { kind != .admin && !batchLine }

    public func respond(_ ctx: RequestContext, next: NextStep) async throws(OpenAIError) -> HTTPResponse {
        let request = ctx.request
        let body: [UInt8]
        switch request.body {
        case .bytes(let b): body = b
        case .stream(let s): body = try await BodyStep.collect(s, limit: bodyLimit)
        }
        let headers = request.headers.map { (name: $0.name, value: $0.value) }.filter { !Self.hopHeaders.contains($0.name.lowercased()) }
        var exchange = RecordedExchange(method: request.method, path: request.path, query: request.query ?? "",
                                        requestHeaders: headers, requestBody: body, outcome: .failed, testID: ctx.testID)
        ctx.matchedRule = "upstream"
        let started = ContinuousClock.now
        let answer: UpstreamResponse
        do {
            answer = try await upstream.send(UpstreamRequest(method: request.method, target: request.target, headers: headers, body: body))
        } catch let unusable as UpstreamUnusable {
            LogWriter.standardError.write("openai-mock record: \(unusable)\n")
            throw OpenAIError(status: 502, message: "openai-mock record: \(unusable)", type: "server_error", code: "upstream_unusable")
        } catch {
            record(exchange)
            return ScenarioFaults.dropped
        }
        var responseHeaders = HTTPHeaders()
        for (name, value) in answer.headers where !Self.upstreamFraming.contains(name.lowercased()) { responseHeaders.add(name, value) }
        let kept = answer.headers.map { RecordedResponse.Header(name: $0.name, value: $0.value) }

        guard answer.header("content-type")?.lowercased().hasPrefix("text/event-stream") == true else {
            var bytes: [UInt8] = []
            do {
                for try await chunk in answer.body { bytes += chunk }
            } catch {
                record(exchange)
                return ScenarioFaults.dropped
            }
            exchange.outcome = .response(RecordedResponse(status: answer.status, headers: kept, body: bytes, events: nil))
            record(exchange)
            return HTTPResponse(status: answer.status, headers: responseHeaders, bytes: bytes)
        }
        // A stream: each piece goes to the client as it arrives; the events are recorded at the end.
        let recorder = self, asked = exchange
        return HTTPResponse(status: answer.status, headers: responseHeaders, body: .stream { writer in
            var exchange = asked
            var splitter = EventSplitter(start: started)
            var upstreamBroke = false
            var iterator = answer.body.makeAsyncIterator()
            while true {
                let chunk: [UInt8]?
                do { chunk = try await iterator.next() } catch {
                    upstreamBroke = true
                    break
                }
                guard let chunk else { break }
                splitter.feed(chunk, at: .now)
                // A client that left ends the exchange: half a stream is not recorded as the answer.
                do { try await writer.write(chunk) } catch { return }
            }
            splitter.finish(at: .now)
            exchange.outcome = .response(RecordedResponse(status: answer.status, headers: kept, body: [], events: splitter.events))
            recorder.record(exchange)
            if upstreamBroke { await writer.abort() }
        })
    }

    /// A recording that cannot be written is said on stderr; the client still gets its answer.
    private func record(_ exchange: RecordedExchange) {
        do {
            try recorder.record(exchange)
        } catch {
            LogWriter.standardError.write("openai-mock record: cannot write the recording: \(error)\n")
        }
    }
}
