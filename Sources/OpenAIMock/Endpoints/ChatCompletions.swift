import MockHTTP

/// `POST /v1/chat/completions`.
///
/// validate → plan → render: the request is checked as the real API checks it, the default
/// generator (later: a matching scenario rule) fills a ``ReplyPlan``, and one renderer turns
/// it into a `chat.completion` object or a stream of `chat.completion.chunk` events. With
/// `store: true` the completion (a stream's assembled) is kept for ``StoredChatCompletions``.
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
        guard request.options.store, ctx.state.store.isOpen else {
            return Reply(plan, request: request, promptTokens: promptTokens, seed: seed,
                         id: "chatcmpl-" + ctx.derivedID("chatcmpl", length: 29), ctx: ctx).response
        }
        // A stored completion's id also derives from its place in the store: the same request stored twice
        // is two completions.
        return try ctx.state.store.update { _, change throws(OpenAIError) -> HTTPResponse in
            let sequence = change.nextSequence()
            let id = "chatcmpl-" + ctx.derivedID("chatcmpl-\(sequence)", length: 29)
            let reply = Reply(plan, request: request, promptTokens: promptTokens, seed: seed, id: id, ctx: ctx)
            change.put(StoredChatCompletionRecord(id: id, sequence: sequence, createdAt: reply.envelope.created, model: request.model,
                                                  metadata: request.options.metadata, completion: reply.json, body: body,
                                                  requestID: ctx.requestID))
            return reply.response
        }
    }

    /// One reply, ready to render either way: envelope, extras (audio, moderation, tier), usage.
    struct Reply {
        let plan: ReplyPlan
        let request: ChatRequest
        let envelope: CompletionEnvelope
        let extras: ChatReplyExtras
        let usage: ReplyUsage

        init(_ plan: ReplyPlan, request: ChatRequest, promptTokens: Int, seed: UInt64, id: String, ctx: RequestContext) {
            envelope = CompletionEnvelope(id: id, created: ctx.state.clock.now(), model: request.model,
                                          systemFingerprint: CompletionEnvelope.fingerprint(model: request.model), seed: seed)
            let (shown, extras) = ChatReplyExtras.decide(plan, request: request, envelope: envelope, seed: ctx.seed)
            var usage = ReplyUsage(plan: shown, promptTokens: promptTokens)
            extras.apply(to: &usage, plan: shown, request: request)
            self.plan = shown
            self.extras = extras
            self.request = request
            self.usage = usage
        }

        var topLogprobs: Int? { request.logprobs ? request.topLogprobs : nil }

        /// The `chat.completion` object (what a stream's chunks assemble into).
        private var object: ChatResponse {
            ChatResponse(envelope: envelope, plan: plan, usage: usage, topLogprobs: topLogprobs, extras: extras)
        }

        var json: JSONValue { object.json() }

        var response: HTTPResponse {
            guard request.stream else { return .json(serialized: object.serialized()) }
            let source = ChatStream(envelope: envelope, plan: plan, usage: usage, includeUsage: request.includeUsage,
                                    topLogprobs: topLogprobs, extras: extras)
            return SSEStream.response(source, pacing: plan.pacing, breakage: plan.breakage)
        }
    }
}
