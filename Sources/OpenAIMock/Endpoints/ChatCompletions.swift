import MockHTTP

/// `POST /v1/chat/completions`.
///
/// validate → plan → render: the request is checked as the real API checks it, the default
/// generator (later: a matching scenario rule) fills a ``ReplyPlan``, and one renderer turns
/// it into a `chat.completion` object or a stream of `chat.completion.chunk` events.
enum ChatCompletions {
    static let create: Endpoint = { ctx throws(OpenAIError) in
        let body = try ctx.jsonBody()
        let request = try ChatRequest(body)
        let learned = try await FineTunedReplies.prepare(request.model, ctx: ctx)
        let model = try request.validate(models: ctx.state.models)
        let promptTokens = request.promptTokens
        try request.checkContext(promptTokens: promptTokens, model: model)
        let seed = ReplySeed.of(body, seed: ctx.seed)
        var plan = ReplyGenerator.chat(request, model: model, promptTokens: promptTokens, seed: seed,
                                       generateOutput: ctx.scenarioReply?.pinsOutput != true,
                                       learned: try await learned(model))
        // A matching scenario rule lays its reply over the generated one.
        if let reply = ctx.scenarioReply { plan = reply.apply(to: plan) }
        return render(plan, request: request, promptTokens: promptTokens, seed: seed, ctx: ctx)
    }

    /// Renders `plan` as the response the request asked for (JSON or SSE).
    static func render(_ plan: ReplyPlan, request: ChatRequest, promptTokens: Int, seed: UInt64,
                       ctx: RequestContext) -> HTTPResponse {
        let envelope = CompletionEnvelope(id: "chatcmpl-" + ctx.derivedID("chatcmpl", length: 29),
                                          created: ctx.state.clock.now(), model: request.model,
                                          systemFingerprint: CompletionEnvelope.fingerprint(model: request.model),
                                          seed: seed)
        let usage = ReplyUsage(plan: plan, promptTokens: promptTokens)
        let top = request.logprobs ? request.topLogprobs : nil
        if request.stream {
            let source = ChatStream(envelope: envelope, plan: plan, usage: usage, includeUsage: request.includeUsage,
                                    topLogprobs: top)
            return SSEStream.response(source, pacing: plan.pacing, breakage: plan.breakage)
        }
        return .json(ChatResponse(envelope: envelope, plan: plan, usage: usage, topLogprobs: top).json())
    }
}
