/// One turn of a Responses conversation, translated and checked: the chat messages before it (the
/// `previous_response_id` chain, or the `conversation`'s items), the chat request that answers it, its
/// model and its prompt size. Shared by `POST /v1/responses` and `POST /v1/responses/input_tokens`.
struct ResponseTurn {
    let request: ResponsesRequest
    /// Chat messages of earlier turns.
    let history: [JSONValue]
    /// This turn's input as chat messages.
    let inputMessages: [JSONValue]
    let chatBody: JSONObject
    let chat: ChatRequest
    let model: ModelInfo
    let promptTokens: Int
    let learned: LearnedModel?

    init(_ request: ResponsesRequest, ctx: RequestContext) async throws(OpenAIError) {
        self.request = request
        // A chain of earlier turns can be long to load: not on an event loop thread.
        if request.previousResponseID != nil || request.conversationID != nil { await ctx.leaveEventLoop() }
        history = try ctx.responseHistory(request)
        chatBody = try request.chatBody(history: history)
        let leading = (request.instructions == nil ? 0 : 1) + history.count
        inputMessages = Array((chatBody["messages"]?.arrayValue ?? []).dropFirst(leading))
        do {
            chat = try ChatRequest(chatBody)
            let learned = try await FineTunedReplies.prepare(chat.model, ctx: ctx)
            model = try chat.validate(models: ctx.state.models, responses: true)
            promptTokens = chat.promptTokens
            try chat.checkContext(promptTokens: promptTokens, model: model)
            self.learned = try await learned(model)
        } catch {
            throw ResponsesRequest.renamed(error)
        }
    }

    /// The longest `previous_response_id` chain followed (a longer one is cut at its oldest turns).
    static let maxChain = 10_000

    /// Chat messages of the turns before `request`.
    static func history(_ request: ResponsesRequest, state: MockState) throws(OpenAIError) -> [JSONValue] {
        guard state.store.isOpen else { return [] }
        if let previous = request.previousResponseID {
            return try state.store.read { data throws(OpenAIError) in
                guard let first = data.get(StoredResponseRecord.self, previous) else {
                    throw OpenAIError.invalidRequest("Previous response with id '\(previous)' not found.", param: "previous_response_id",
                                                     code: "previous_response_not_found")
                }
                var turns = [first.turn]
                var next = first.previousResponseID
                while let id = next, turns.count < maxChain, let r = data.get(StoredResponseRecord.self, id) {
                    turns.append(r.turn)
                    next = r.previousResponseID
                }
                return turns.reversed().flatMap { $0 }
            }
        }
        if let id = request.conversationID {
            let conversation = try state.store.read { data throws(OpenAIError) in
                guard let c = data.get(ConversationRecord.self, id) else { throw Conversations.notFound(id, param: "conversation") }
                return c
            }
            return try ResponseItems.chatMessages(conversation.items, param: "conversation")
        }
        return []
    }
}
