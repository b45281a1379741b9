import MockHTTP

/// Where an ``OpenAIError`` thrown by any later step or the endpoint becomes its response, so the
/// steps before it (headers, journal, log) see every answer as a response.
struct ErrorStep: PipelineStep {
    func applies(to kind: RouteKind, batchLine: Bool) -> Bool { true }

    func respond(_ ctx: RequestContext, next: NextStep) async throws(OpenAIError) -> HTTPResponse {
        do {
            return try await next(ctx)
        } catch {
            return error.response
        }
    }
}
