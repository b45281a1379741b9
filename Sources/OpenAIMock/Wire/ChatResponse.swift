/// Renders a ``ReplyPlan`` as a `chat.completion` object, in the real API's field order:
/// `id, object, created, model, choices, usage, service_tier, system_fingerprint[, moderation]`; each
/// choice `index, message, logprobs, finish_reason`; each message `role, content, [tool_calls |
/// function_call], refusal, [audio], annotations`. With an audio reply `content` is null and the text
/// is the audio's `transcript`.
struct ChatResponse: Sendable {
    let envelope: CompletionEnvelope
    let plan: ReplyPlan
    let usage: ReplyUsage
    /// nil: logprobs not requested; else the `top_logprobs` count (0–20).
    let topLogprobs: Int?
    var extras = ChatReplyExtras.none

    func json() -> JSONValue {
        var o = JSONObject()
        o.append("id", .string(envelope.id))
        o.append("object", "chat.completion")
        o.append("created", .int(envelope.created))
        o.append("model", .string(envelope.model))
        o.append("choices", .array(plan.choices.enumerated().map { choiceJSON($0.element, index: $0.offset) }))
        o.append("usage", CompletionEnvelope.usageJSON(usage, details: true))
        o.append("service_tier", .string(extras.serviceTier))
        o.append("system_fingerprint", .string(envelope.systemFingerprint))
        if let moderation = extras.moderation { o.append("moderation", moderation) }
        return .object(o)
    }

    private func choiceJSON(_ choice: ReplyPlan.Choice, index: Int) -> JSONValue {
        var message = JSONObject()
        message.append("role", "assistant")
        let audio = extras.audio.indices.contains(index) ? extras.audio[index] : nil
        switch choice.output {
        case .text(let text):
            message.append("content", audio == nil ? .string(text) : .null)
        case .refusal:
            message.append("content", .null)
        case .toolCalls(let calls, let content):
            message.append("content", content.map(JSONValue.string) ?? .null)
            message.append("tool_calls", .array(calls.map(Self.toolCallJSON)))
        case .functionCall(let name, let arguments):
            message.append("content", .null)
            message.append("function_call", .object(JSONObject([("name", .string(name)), ("arguments", .string(arguments))])))
        }
        if case .refusal(let text) = choice.output {
            message.append("refusal", .string(text))
        } else {
            message.append("refusal", .null)
        }
        if let audio {
            message.append("audio", .object(JSONObject([
                ("id", .string(audio.id)), ("expires_at", .int(audio.expiresAt)), ("data", .string(audio.base64)),
                ("transcript", .string(audio.transcript)),
            ])))
        }
        var annotations: [JSONValue] = []
        if case .text(let text) = choice.output { annotations = WebCitations.annotations(choice.citations, in: text) }
        message.append("annotations", .array(annotations))

        var c = JSONObject()
        c.append("index", .int(index))
        c.append("message", .object(message))
        c.append("logprobs", logprobsJSON(choice, index: index))
        c.append("finish_reason", .string(choice.finishReason))
        return .object(c)
    }

    static func toolCallJSON(_ call: ReplyPlan.ToolCall) -> JSONValue {
        if call.isCustom {
            return .object(JSONObject([
                ("id", .string(call.id)), ("type", "custom"),
                ("custom", .object(JSONObject([("name", .string(call.name)), ("input", .string(call.arguments))]))),
            ]))
        }
        return .object(JSONObject([
            ("id", .string(call.id)), ("type", "function"),
            ("function", .object(JSONObject([("name", .string(call.name)), ("arguments", .string(call.arguments))]))),
        ]))
    }

    /// `{"content":[…],"refusal":null}` for text (or the mirror image for a refusal); tool
    /// calls carry no token logprobs.
    private func logprobsJSON(_ choice: ReplyPlan.Choice, index: Int) -> JSONValue {
        guard let top = topLogprobs else { return .null }
        switch choice.output {
        case .text(let text):
            let entries = Self.entries(TokenCounter.tokenize(text), top: top, seed: logprobSeed(index))
            return .object(JSONObject([("content", .array(entries)), ("refusal", .null)]))
        case .refusal(let text):
            let entries = Self.entries(TokenCounter.tokenize(text), top: top, seed: logprobSeed(index))
            return .object(JSONObject([("content", .null), ("refusal", .array(entries))]))
        default:
            return .object(JSONObject([("content", .null), ("refusal", .null)]))
        }
    }

    func logprobSeed(_ index: Int) -> UInt64 { Self.logprobSeed(envelope, index) }

    /// Logprobs depend on the generation seed and choice, so streamed and plain replies agree.
    static func logprobSeed(_ envelope: CompletionEnvelope, _ index: Int) -> UInt64 {
        var h = StableHash(envelope.seed)
        h.combine("logprobs")
        h.combine(index)
        return h.finalized
    }

    /// `ChatCompletionTokenLogprob` objects for `tokens`.
    static func entries(_ tokens: [String], top: Int, seed: UInt64) -> [JSONValue] {
        LogprobSynthesizer.synthesize(tokens, topLogprobs: top, seed: seed).map(entryJSON)
    }

    static func entryJSON(_ lp: TokenLogprob) -> JSONValue {
        .object(JSONObject([
            ("token", .string(lp.token)), ("logprob", .double(lp.logprob)),
            ("bytes", .array(lp.bytes.map { .int(Int($0)) })),
            ("top_logprobs", .array(lp.topLogprobs.map { alt in
                .object(JSONObject([
                    ("token", .string(alt.token)), ("logprob", .double(alt.logprob)),
                    ("bytes", .array(alt.bytes.map { .int(Int($0)) })),
                ]))
            })),
        ]))
    }
}
