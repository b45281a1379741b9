/// A matched rule's reply, resolved for one request (templates rendered, tool-call ids derived),
/// which endpoints lay over what the default generator decided:
///
/// ```swift
/// if let reply = ctx.scenarioReply { plan = reply.apply(to: plan) }          // chat, completions
/// Embeddings.responseBody(…, override: { ctx.scenarioReply?.embeddingOverride($0) })
/// Moderations.response(…, override: { ctx.scenarioReply?.moderationOverride($0) })
/// ```
/// Anything the rule left out keeps the generator's value, so a rule can pin only the text and
/// still get correct usage, ids and stream framing.
public struct ScenarioReply: Sendable, Equatable {
    /// The content of every choice (nil: keep the generated one).
    public var output: ReplyPlan.Output?
    public var finishReason: String?
    public var usage: ReplyPlan.UsageOverride?
    public var timeToFirstToken: Duration?
    public var interTokenDelay: Duration?
    public var tokensPerChunk: Int?
    public var breakage: ReplyPlan.StreamBreakage?
    public var embedding: EmbeddingOverride?
    public var moderation: ModerationOverride?
    /// The request's `stop` and token cap: scripted text is cut by them like generated text.
    public var stop: [String] = []
    public var maxTokens: Int?
    /// Root of the tool-call ids of choices after the first.
    public var idSeed: UInt64 = 0

    public init(output: ReplyPlan.Output? = nil, finishReason: String? = nil, usage: ReplyPlan.UsageOverride? = nil,
                breakage: ReplyPlan.StreamBreakage? = nil) {
        self.output = output
        self.finishReason = finishReason
        self.usage = usage
        self.breakage = breakage
    }

    /// Resolves a rule step's reply for a request.
    init(_ step: RuleAction, facts: RequestFacts, idSeed: UInt64) {
        let spec = step.reply
        self.idSeed = idSeed
        let text = spec.text?.render(facts)
        if let calls = spec.toolCalls {
            output = .toolCalls(calls.enumerated().map { i, c in
                let args: String
                if case .string(let s) = c.arguments { args = Template.literalOrRendered(s, facts) }
                else { args = c.arguments.renderingTemplates(facts).jsonString }
                return ReplyPlan.ToolCall(id: c.id ?? Self.callID(idSeed, choice: 0, call: i), name: c.name, arguments: args)
            }, content: text)
        } else if let refusal = spec.refusal {
            output = .refusal(refusal.render(facts))
        } else if let json = spec.json {
            output = .text(json.renderingTemplates(facts).jsonString)
        } else if let text {
            output = .text(text)
        }
        finishReason = spec.finishReason
        usage = spec.usage
        timeToFirstToken = step.stream?.timeToFirstToken
        interTokenDelay = step.stream?.interTokenDelay
        tokensPerChunk = step.stream?.tokensPerChunk
        breakage = step.stream?.breakage
        if let v = spec.embedding { embedding = .vector(v) } else if let t = spec.embedLike { embedding = .likeText(t.render(facts)) }
        moderation = spec.moderation
        stop = Self.stopSequences(facts.body["stop"])
        maxTokens = facts.body["max_completion_tokens"]?.intValue ?? facts.body["max_tokens"]?.intValue
            ?? facts.body["max_output_tokens"]?.intValue
    }

    static func callID(_ seed: UInt64, choice: Int, call: Int) -> String {
        var h = StableHash(seed)
        h.combine("call")
        h.combine(choice)
        h.combine(call)
        return "call_" + StableHash.idSuffix(h.finalized, length: 24)
    }

    static func stopSequences(_ v: JSONValue?) -> [String] {
        switch v {
        case .string(let s)?: return [s]
        case .array(let a)?: return a.compactMap(\.stringValue)
        default: return []
        }
    }

    /// The generator's plan with this reply laid over it.
    /// Whether this reply replaces every choice's output (so the default one need not be generated).
    public var pinsOutput: Bool { output != nil }

    public func apply(to plan: ReplyPlan) -> ReplyPlan {
        var plan = plan
        if let output {
            for k in plan.choices.indices {
                var out = output
                if case .toolCalls(let calls, let content) = out, k > 0 {
                    out = .toolCalls(calls.enumerated().map { i, c in
                        var c = c
                        if c.id.hasPrefix("call_") && c.id == Self.callID(idSeed, choice: 0, call: i) { c.id = Self.callID(idSeed, choice: k, call: i) }
                        return c
                    }, content: content)
                }
                var choice = ReplyPlan.Choice(out)
                if case .text(let text) = out, !stop.isEmpty || maxTokens != nil {
                    let limited = OutputLimiter.apply(text: text, stop: stop, maxTokens: maxTokens)
                    choice = ReplyPlan.Choice(.text(limited.text), finishReason: limited.finishReason.rawValue,
                                              completionTokens: limited.completionTokens)
                }
                plan.choices[k] = choice
            }
        }
        if let finishReason {
            for k in plan.choices.indices { plan.choices[k].finishReason = finishReason }
        }
        if let u = usage {
            plan.usage.promptTokens = u.promptTokens ?? plan.usage.promptTokens
            plan.usage.completionTokens = u.completionTokens ?? plan.usage.completionTokens
            plan.usage.cachedTokens = u.cachedTokens ?? plan.usage.cachedTokens
            plan.usage.reasoningTokens = u.reasoningTokens ?? plan.usage.reasoningTokens
        }
        if let t = timeToFirstToken { plan.pacing.timeToFirstToken = t }
        if let t = interTokenDelay { plan.pacing.interTokenDelay = t }
        if let n = tokensPerChunk { plan.pacing.tokensPerChunk = max(1, n) }
        if let breakage { plan.breakage = breakage }
        return plan
    }

    /// The pinned vector or "embed like" text, for every input.
    public func embeddingOverride(_ index: Int) -> EmbeddingOverride? { embedding }

    /// The forced verdict, for every result.
    public func moderationOverride(_ index: Int) -> ModerationOverride? { moderation }
}

extension Template {
    /// Renders `s` when it is a valid template, else returns it unchanged.
    static func literalOrRendered(_ s: String, _ facts: RequestFacts) -> String {
        guard s.contains("{{"), let t = try? Template(s) else { return s }
        return t.render(facts)
    }
}
