import MockHTTP

/// The bearer key (``Auth``). Not for admin requests, requests no route takes (their 404 comes
/// first, as from the real API) or batch lines (the batch was authenticated).
struct AuthStep: PipelineStep {
    let acceptedKeys: [String]

    func applies(to kind: RouteKind, batchLine: Bool) -> Bool { (kind == .api || kind == .generating) && !batchLine }

    func respond(_ ctx: RequestContext, next: NextStep) async throws(OpenAIError) -> HTTPResponse {
        try Auth.check(ctx.request.headers, acceptedKeys: acceptedKeys)
        return try await next(ctx)
    }
}
