import MockHTTP

/// `/v1/responses`: create (plain, streamed, background), retrieve (or resume its stream), delete,
/// cancel, list input items, count input tokens.
///
/// A response is a chat turn in another shape (``ResponseTurn``): the default generator, fine-tuned
/// models and a matching scenario rule's reply (the `responses` family) answer it as they answer chat,
/// so the same prompt gets the same text on both endpoints. Stored responses (`store`, default true)
/// continue with `previous_response_id`; a `conversation` gets the turn's input and output appended.
/// A background response is `queued` for a virtual second, `in_progress` until its output would have
/// been written, then done — on the virtual clock, so `--pace manual` holds it until an advance.
enum Responses {
    static let create: Endpoint = { ctx throws(OpenAIError) in
        let request = try ResponsesRequest(try ctx.jsonBody())
        let turn = try await ResponseTurn(request, ctx: ctx)
        let seed = ReplySeed.of(turn.chatBody, seed: ctx.seed)
        var plan = ReplyGenerator.chat(turn.chat, model: turn.model, promptTokens: turn.promptTokens, seed: seed,
                                       generateOutput: ctx.scenarioReply?.pinsOutput != true, learned: turn.learned)
        if let reply = ctx.scenarioReply { plan = reply.apply(to: plan) }
        let prompt = turn.chat.lastUserText
        if request.calledHostedTool == .webSearch, case .text(let text) = plan.choices[0].output, plan.choices[0].citations.isEmpty {
            let cited = WebCitations.cite(text, prompt: prompt)
            plan.choices[0].output = .text(cited.text)
            plan.choices[0].citations = cited.citations
            plan.choices[0].completionTokens = nil
        }
        let usage = ReplyUsage(plan: plan, promptTokens: turn.promptTokens)
        let now = ctx.state.clock.now()
        // Streaming a background response plays it to its end: it is done when the stream is.
        let completesAt = request.background && !request.stream ? now + 2 + usage.completionTokens / 50 : now

        func render(id: String, conversation: String?) -> (json: JSONValue, output: ResponseOutput) {
            var h = StableHash(seed)
            h.combine(id)
            let output = ResponseOutput(plan.choices[0], request: request, reasoningTokens: usage.reasoningTokens, prompt: prompt,
                                        idSeed: h.finalized, logprobSeed: seed)
            let fields = ResponseObject.Fields(id: id, createdAt: now, completedAt: completesAt, output: output, usage: usage,
                                               conversationID: conversation)
            return (ResponseObject.json(request, fields), output)
        }
        func respond(_ json: JSONValue) -> HTTPResponse {
            guard request.stream else { return .json(json) }
            let stream = ResponseStream(final: json, tokensPerChunk: plan.pacing.tokensPerChunk, background: request.background,
                                        obfuscate: request.includeObfuscation)
            return SSEStream.response(stream, pacing: plan.pacing, breakage: plan.breakage)
        }

        guard (request.store || request.conversationID != nil), ctx.state.store.isOpen else {
            return respond(render(id: "resp_" + StableHash.idSuffix(StableHash.of(ctx.derivedID("resp")), length: 50, mixedCase: false),
                                  conversation: nil).json)
        }
        let (record, final) = try ctx.state.store.update { data, change throws(OpenAIError) -> (StoredResponseRecord, JSONValue) in
            let sequence = change.nextSequence()
            let id = "resp_" + StableHash.idSuffix(StableHash.of(ctx.derivedID("resp"), String(sequence)), length: 50, mixedCase: false)
            let (json, output) = render(id: id, conversation: request.conversationID)
            var h = StableHash(ctx.requestHash)
            h.combine(id)
            let inputItems = ResponseItems.listed(request.input, idSeed: h.finalized)
            let outputMessages = (try? ResponseItems.chatMessages(output.items, param: "output")) ?? []
            let record = StoredResponseRecord(id: id, sequence: sequence, createdAt: now, response: json, inputItems: inputItems,
                                              turn: turn.inputMessages + outputMessages,
                                              previousResponseID: request.previousResponseID, background: request.background,
                                              completesAt: completesAt)
            if request.store { change.put(record) }
            if let conversationID = request.conversationID {
                guard var conversation = data.get(ConversationRecord.self, conversationID) else {
                    throw Conversations.notFound(conversationID, param: "conversation")
                }
                conversation.items += inputItems + output.items
                conversation.added += inputItems.count + output.items.count
                change.put(conversation)
            }
            if request.background {
                let pending = data.all(StoredResponseRecord.self).filter { $0.background && $0.completesAt > now }.map(\.completesAt)
                ctx.state.clock.run(until: Int64((pending + [completesAt]).max() ?? completesAt) * 1000, for: "responses")
            }
            return (record, json)
        }
        return respond(request.background && !request.stream ? record.json(at: now) : final)
    }

    static let retrieve: Endpoint = { ctx throws(OpenAIError) in
        let record = try stored(ctx)
        guard ctx.queryValue("stream") == "true" else { return .json(record.json(at: ctx.state.clock.now())) }
        let skipped = try ctx.queryValue("starting_after").map { text throws(OpenAIError) -> Int in
            guard let n = Int(text), n >= -1 else {
                throw OpenAIError.invalidRequest("Invalid type for 'starting_after': expected an integer, but got a string instead.",
                                                 param: "starting_after", code: "invalid_type")
            }
            return n + 1
        } ?? 0
        let stream = ResponseStream(final: record.response, tokensPerChunk: 1, background: record.background, obfuscate: true)
        return SSEStream.response(ResumedResponseStream(stream: stream, skipped: skipped), pacing: ReplyPlan.StreamPacing(),
                                  breakage: nil)
    }

    static let delete: Endpoint = { ctx throws(OpenAIError) in
        let id = ctx.parameters["response_id"] ?? ""
        try ctx.state.store.update { data, change throws(OpenAIError) in
            guard data.get(StoredResponseRecord.self, id) != nil else { throw notFound(id) }
            change.delete(StoredResponseRecord.self, id: id)
        }
        return .json(.object(JSONObject([("id", .string(id)), ("object", "response.deleted"), ("deleted", true)])))
    }

    static let cancel: Endpoint = { ctx throws(OpenAIError) in
        let id = ctx.parameters["response_id"] ?? ""
        let now = ctx.state.clock.now()
        let record = try ctx.state.store.update { data, change throws(OpenAIError) -> StoredResponseRecord in
            guard var record = data.get(StoredResponseRecord.self, id) else { throw notFound(id) }
            guard record.background else {
                throw OpenAIError.invalidRequest("Only responses created with background=true can be cancelled.", param: "response_id")
            }
            switch record.status(at: now) {
            case "queued", "in_progress":
                record.cancelledAt = now
                change.put(record)
            case "cancelled": break
            case let status:
                throw OpenAIError.invalidRequest("Cannot cancel a response with status '\(status)'.", param: "response_id")
            }
            return record
        }
        return .json(record.json(at: now))
    }

    static let inputItems: Endpoint = { ctx throws(OpenAIError) in
        let limit = try ctx.integerQuery("limit", range: 1...100, default: 20)
        let order = try ctx.orderQuery(default: "desc")
        var items = try stored(ctx).inputItems
        if order == "desc" { items.reverse() }
        return .json(CursorPage.json(items, after: ctx.queryValue("after"), limit: limit, id: { $0["id"]?.stringValue ?? "" },
                                     json: { $0 }))
    }

    static let inputTokens: Endpoint = { ctx throws(OpenAIError) in
        var body = try ctx.jsonBody()
        if body["model"] == nil { body["model"] = "gpt-4o" }
        let turn = try await ResponseTurn(try ResponsesRequest(body), ctx: ctx)
        return .json(.object(JSONObject([("object", "response.input_tokens"), ("input_tokens", .int(turn.promptTokens))])))
    }

    private static func stored(_ ctx: RequestContext) throws(OpenAIError) -> StoredResponseRecord {
        let id = ctx.parameters["response_id"] ?? ""
        guard ctx.state.store.isOpen, let record = try ctx.state.store.read({ $0.get(StoredResponseRecord.self, id) }) else {
            throw notFound(id)
        }
        return record
    }

    static func notFound(_ id: String) -> OpenAIError {
        OpenAIError(status: 404, message: "Response with id '\(id)' not found.", param: "response_id")
    }
}
