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

    /// The object as a tree (a stored completion), read back from the bytes so both forms agree.
    func json() -> JSONValue { (try? JSONValue.parse(serialized())) ?? .null }

    /// The object's bytes, written directly: a reply's tree would cost more to build and free than to write.
    func serialized() -> [UInt8] {
        var w = JSONWriter(capacity: 1024)  // a chat completion's size: no regrowth for most replies
        w.literal(#"{"id":"#)
        w.string(envelope.id)
        w.literal(#","object":"chat.completion","created":"#)
        w.int(envelope.created)
        w.literal(#","model":"#)
        w.string(envelope.model)
        w.literal(#","choices":["#)
        for (index, choice) in plan.choices.enumerated() {
            if index > 0 { w.byte(UInt8(ascii: ",")) }
            write(choice, index: index, into: &w)
        }
        w.literal(#"],"usage":"#)
        CompletionEnvelope.writeUsage(usage, details: true, into: &w)
        w.literal(#","service_tier":"#)
        w.string(extras.serviceTier)
        w.literal(#","system_fingerprint":"#)
        w.string(envelope.systemFingerprint)
        if let moderation = extras.moderation {
            w.literal(#","moderation":"#)
            w.value(moderation)
        }
        w.byte(UInt8(ascii: "}"))
        return w.bytes()
    }

    private func write(_ choice: ReplyPlan.Choice, index: Int, into w: inout JSONWriter) {
        w.literal(#"{"index":"#)
        w.int(index)
        w.literal(#","message":{"role":"assistant","content":"#)
        let audio = extras.audio.indices.contains(index) ? extras.audio[index] : nil
        switch choice.output {
        case .text(let text):
            if audio == nil { w.string(text) } else { w.literal("null") }
        case .refusal:
            w.literal("null")
        case .toolCalls(let calls, let content):
            if let content { w.string(content) } else { w.literal("null") }
            w.literal(#","tool_calls":"#)
            w.value(.array(calls.map(Self.toolCallJSON)))
        case .functionCall(let name, let arguments):
            w.literal(#"null,"function_call":"#)
            w.value(.object(JSONObject([("name", .string(name)), ("arguments", .string(arguments))])))
        }
        w.literal(#","refusal":"#)
        if case .refusal(let text) = choice.output { w.string(text) } else { w.literal("null") }
        if let audio {
            w.literal(#","audio":"#)
            w.value(.object(JSONObject([
                ("id", .string(audio.id)), ("expires_at", .int(audio.expiresAt)), ("data", .string(audio.base64)),
                ("transcript", .string(audio.transcript)),
            ])))
        }
        w.literal(#","annotations":"#)
        if case .text(let text) = choice.output, !choice.citations.isEmpty {
            w.value(.array(WebCitations.annotations(choice.citations, in: text)))
        } else {
            w.literal("[]")
        }
        w.literal(#"},"logprobs":"#)
        w.value(logprobsJSON(choice, index: index))
        w.literal(#","finish_reason":"#)
        w.string(choice.finishReason)
        w.byte(UInt8(ascii: "}"))
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
