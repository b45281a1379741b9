/// The default generator: fills a ``ReplyPlan`` deterministically from a validated request.
///
/// Everything derives from `seed` — a hash of the canonical request body (without the
/// streaming fields, so a streamed and a plain request get the same reply) and `--seed` —
/// plus the choice index, so `n` choices differ and a different `seed` parameter gives a
/// different answer. Text comes from ``TextGenerator``, limits from ``OutputLimiter``,
/// JSON from ``SchemaInstanceGenerator``; tool calls from ``ToolCallPlanner`` (via ``ReplyToolDecision``).
public enum ReplyGenerator {
    /// The per-choice seed.
    static func choiceSeed(_ seed: UInt64, _ index: Int) -> UInt64 {
        var h = StableHash(seed)
        h.combine("choice")
        h.combine(index)
        return h.finalized
    }

    // MARK: chat

    /// A plan for a chat request whose prompt costs `promptTokens` on `model`.
    /// `generateOutput: false` when a scenario reply pins every choice's output: the plan keeps
    /// its shape (n choices, the reasoning budget) but no text or tool call is generated only to
    /// be replaced.
    public static func chat(_ request: ChatRequest, model: ModelInfo, promptTokens: Int, seed: UInt64,
                            generateOutput: Bool = true) -> ReplyPlan {
        chat(request, model: model, promptTokens: promptTokens, seed: seed, generateOutput: generateOutput, learned: nil)
    }

    /// The same, for a fine-tuned model: its plain-text answers come from what it learned.
    static func chat(_ request: ChatRequest, model: ModelInfo, promptTokens: Int, seed: UInt64,
                     generateOutput: Bool, learned: LearnedModel?) -> ReplyPlan {
        // Output budget: what the caller allowed, else what the model and the window leave.
        var cap = request.maxTokens ?? min(model.maxOutputTokens ?? model.contextWindow, model.contextWindow - promptTokens)
        cap = max(0, cap)
        var reasoning: Int?
        if let effort = request.effort(on: model), effort != .noReasoning {
            // Reasoning models spend hidden reasoning tokens out of the same budget, more at a higher effort.
            let r = 16 * effort.budgetScale * Int(1 + seed % 4)
            reasoning = min(r, cap / 2)
            cap -= reasoning ?? 0
        }
        let search = model.features.contains(.webSearch)
        var choices: [ReplyPlan.Choice] = []
        for k in 0..<request.n {
            choices.append(generateOutput ? chatChoice(request, cap: cap, seed: choiceSeed(seed, k), index: k, learned: learned,
                                                       search: search)
                                          : ReplyPlan.Choice(.text("")))
        }
        return ReplyPlan(choices: choices, usage: ReplyPlan.UsageOverride(reasoningTokens: reasoning))
    }

    static func chatChoice(_ request: ChatRequest, cap: Int, seed: UInt64, index: Int,
                           learned: LearnedModel? = nil, search: Bool = false) -> ReplyPlan.Choice {
        let context = request.lastUserText
        if let learned, case .text = request.responseFormat {
            let answer = learned.answer(to: LearningPrompt(request.messages), seed: seed)
            if !answer.toolCalls.isEmpty, !request.tools.isEmpty {
                return ReplyPlan.Choice(.toolCalls(answer.toolCalls.enumerated().map { i, call in
                    var h = StableHash(seed)
                    h.combine("learned-call")
                    h.combine(i)
                    return ReplyPlan.ToolCall(id: "call_" + StableHash.idSuffix(h.finalized, length: 24), name: call.name,
                                              arguments: call.arguments)
                }))
            }
            if answer.toolCalls.isEmpty { return limited(answer.text, stop: request.stop, cap: cap) }
        }
        if let calls = ReplyToolDecision.toolCalls(request, seed: seed, cap: cap) {
            return ReplyPlan.Choice(.toolCalls(calls.calls), finishReason: calls.truncated ? "length" : nil)
        }
        if let function = ReplyToolDecision.functionCall(request, seed: seed, cap: cap) {
            return ReplyPlan.Choice(.functionCall(name: function.name, arguments: function.arguments),
                                    finishReason: function.truncated ? "length" : nil)
        }
        switch request.responseFormat {
        case .jsonSchema(_, let schema, _):
            let generated = SchemaInstanceGenerator(schema: schema, context: context).generate(seed: seed, budget: jsonBudget(cap))
            var choice = limited(generated.value.jsonString, stop: request.stop, cap: cap)
            if generated.truncated && choice.finishReason == "stop" { choice.finishReason = "length" }
            return choice
        case .jsonObject:
            let text = TextGenerator(lengthRange: 8...30).generate(prompt: context, seed: seed).text
            let json = JSONValue.object(JSONObject([("response", .string(text))])).jsonString
            return limited(json, stop: request.stop, cap: cap)
        case .text:
            // A prediction is the answer the caller expects: the model accepts it.
            if let predicted = request.options.prediction { return limited(predicted, stop: request.stop, cap: cap) }
            let generator = TextGenerator(lengthRange: request.options.answerLength)
            guard search else {
                let g = generator.generate(prompt: context, seed: seed, maxTokens: cap, stop: request.stop)
                return ReplyPlan.Choice(.text(g.text), finishReason: g.finishReason.rawValue, completionTokens: g.completionTokens)
            }
            let cited = WebCitations.cite(generator.naturalText(prompt: context, seed: seed).text, prompt: context)
            var choice = limited(cited.text, stop: request.stop, cap: cap)
            choice.citations = cited.citations
            return choice
        }
    }

    /// Bytes of JSON the schema generator may produce for `cap` tokens: comfortably more than the text
    /// the cap lets through (JSON averages 2–4 bytes a token), never unbounded.
    static func jsonBudget(_ cap: Int) -> Int { min(max(cap, 0), 1 << 20) * 8 + 1024 }

    /// Applies `stop` and the token cap to a scripted or generated text.
    public static func limited(_ text: String, stop: [String], cap: Int?) -> ReplyPlan.Choice {
        let out = OutputLimiter.apply(text: text, stop: stop, maxTokens: cap)
        return ReplyPlan.Choice(.text(out.text), finishReason: out.finishReason.rawValue,
                                completionTokens: out.completionTokens)
    }

    // MARK: legacy completions

    /// A plan for a completions request: `n` choices per prompt, index = prompt × n + k.
    /// `generateOutput` as for ``chat(_:model:promptTokens:seed:generateOutput:)``.
    public static func completion(_ request: CompletionRequest, seed: UInt64, generateOutput: Bool = true) -> ReplyPlan {
        completion(request, seed: seed, generateOutput: generateOutput, learned: nil)
    }

    /// The same, for a fine-tuned model: each completion is what it learned to answer.
    static func completion(_ request: CompletionRequest, seed: UInt64, generateOutput: Bool,
                           learned: LearnedModel?) -> ReplyPlan {
        var choices: [ReplyPlan.Choice] = []
        choices.reserveCapacity(request.prompts.count * request.n)
        for (p, prompt) in request.prompts.enumerated() {
            for k in 0..<request.n {
                guard generateOutput else {
                    choices.append(ReplyPlan.Choice(.text("")))
                    continue
                }
                let choiceSeed = choiceSeed(seed, p * request.n + k)
                let text = prompt.text
                if let learned {
                    choices.append(limited(learned.reply(to: text, seed: choiceSeed), stop: request.stop, cap: request.maxTokens))
                    continue
                }
                var full = TextGenerator().naturalText(prompt: text, seed: choiceSeed).text
                // A continuation of English prose starts with a space unless the prompt ends in one.
                if let last = text.unicodeScalars.last, !last.properties.isWhitespace,
                   TextLanguage.detect(text) == .english, !(full.first?.isWhitespace ?? true) {
                    full = " " + full
                }
                choices.append(limited(full, stop: request.stop, cap: request.maxTokens))
            }
        }
        return ReplyPlan(choices: choices)
    }
}
