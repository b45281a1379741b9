import MockHTTP

/// The headers the real API puts on every response; admin answers get only `x-request-id`. A batch
/// line's `openai-processing-ms` is its scenario rule's delay, which the batch spends in virtual time.
struct HeadersStep: PipelineStep {
    func applies(to kind: RouteKind, batchLine: Bool) -> Bool { true }

    func respond(_ ctx: RequestContext, next: NextStep) async throws(OpenAIError) -> HTTPResponse {
        var response = try await next(ctx)
        if ctx.kind == .admin {
            response.headers.set("x-request-id", ctx.requestID)
        } else {
            MockEngine.addOpenAIHeaders(to: &response, requestID: ctx.requestID)
        }
        if ctx.batchLine, let delay = ctx.scriptedDelay {
            let (seconds, attoseconds) = delay.components
            response.headers.set("openai-processing-ms", String(seconds * 1000 + attoseconds / 1_000_000_000_000_000))
        }
        return response
    }
}
