import MockHTTP

/// The headers the real API puts on every response; admin answers get only `x-request-id`.
struct HeadersStep: PipelineStep {
    func applies(to kind: RouteKind, batchLine: Bool) -> Bool { true }

    func respond(_ ctx: RequestContext, next: NextStep) async throws(OpenAIError) -> HTTPResponse {
        var response = try await next(ctx)
        if ctx.kind == .admin {
            response.headers.set("x-request-id", ctx.requestID)
        } else {
            MockEngine.addOpenAIHeaders(to: &response, requestID: ctx.requestID)
        }
        return response
    }
}
