import MockHTTP

/// `POST /v1/completions` (legacy text completions): validate → plan → render, like chat.
enum Completions {
    static let create: Endpoint = { ctx throws(OpenAIError) in
        let body = try ctx.jsonBody()
        let request = try CompletionRequest(body)
        let learned = try await FineTunedReplies.prepare(request.model, ctx: ctx)
        let model = try request.validate(models: ctx.state.models)
        let counts = request.promptTokenCounts
        try request.checkContext(promptTokens: counts, model: model)
        let seed = ReplySeed.of(body, seed: ctx.seed)
        var plan = ReplyGenerator.completion(request, seed: seed, generateOutput: ctx.scenarioReply?.pinsOutput != true,
                                             learned: try await learned(model))
        // A matching scenario rule lays its reply over the generated one.
        if let reply = ctx.scenarioReply { plan = reply.apply(to: plan) }
        return render(plan, request: request, promptTokens: counts.reduce(0, +), seed: seed, ctx: ctx)
    }

    static func render(_ plan: ReplyPlan, request: CompletionRequest, promptTokens: Int, seed: UInt64,
                       ctx: RequestContext) -> HTTPResponse {
        let envelope = CompletionEnvelope(id: "cmpl-" + ctx.derivedID("cmpl", length: 29),
                                          created: ctx.state.clock.now(), model: request.model,
                                          systemFingerprint: CompletionEnvelope.fingerprint(model: request.model),
                                          seed: seed)
        // Prompt tokens of every prompt are billed once, not per choice.
        let usage = ReplyUsage(plan: plan, promptTokens: promptTokens)
        let response = CompletionResponse(envelope: envelope, plan: plan, usage: usage,
                                          promptTexts: request.prompts.map(\.text), n: request.n,
                                          echo: request.echo, logprobs: request.logprobs)
        if request.stream {
            let source = CompletionStream(response: response, includeUsage: request.includeUsage,
                                          tokensPerChunk: plan.pacing.tokensPerChunk)
            return SSEStream.response(source, pacing: plan.pacing, breakage: plan.breakage)
        }
        return .json(response.json())
    }
}
