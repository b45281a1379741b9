import MockHTTP

/// Records every OpenAI request (admin requests and batch lines are not) in the journal, with the
/// test it belongs to.
struct JournalStep: PipelineStep {
    func applies(to kind: RouteKind, batchLine: Bool) -> Bool { kind != .admin && !batchLine }

    func respond(_ ctx: RequestContext, next: NextStep) async throws(OpenAIError) -> HTTPResponse {
        let response = try await next(ctx)
        ctx.state.journal.record(request: ctx.request, requestID: ctx.requestID, status: response.status,
                                 durationMs: ctx.elapsedMilliseconds, matchedRule: ctx.matchedRule, testID: ctx.testID)
        return response
    }
}
