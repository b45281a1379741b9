import MockHTTP

/// One line per request on stderr (``RequestLog``); not in the chains at all when logging is off.
struct LogStep: PipelineStep {
    let format: MockConfiguration.LogFormat?

    func applies(to kind: RouteKind, batchLine: Bool) -> Bool { format != nil && !batchLine }

    func respond(_ ctx: RequestContext, next: NextStep) async throws(OpenAIError) -> HTTPResponse {
        let response = try await next(ctx)
        if let format {
            RequestLog.emit(format: format, method: ctx.request.method, path: ctx.request.path, status: response.status,
                            matchedRule: ctx.matchedRule, durationMs: ctx.elapsedMilliseconds, requestID: ctx.requestID)
        }
        return response
    }
}
