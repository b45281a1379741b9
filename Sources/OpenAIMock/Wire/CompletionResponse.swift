/// Renders a ``ReplyPlan`` as a legacy `text_completion` object:
/// `id, object, created, model, system_fingerprint, choices, usage`; each choice
/// `text, index, logprobs, finish_reason`.
///
/// `echo` prepends the choice's prompt to `text` (and, with `logprobs`, its tokens, the first
/// with a null logprob as the API has nothing to condition it on).
struct CompletionResponse: Sendable {
    let envelope: CompletionEnvelope
    let plan: ReplyPlan
    let usage: ReplyUsage
    /// The prompt text of each choice (choice i answers prompt i / n).
    let promptTexts: [String]
    let n: Int
    let echo: Bool
    /// nil: no logprobs; else the number of alternatives per position (0–5).
    let logprobs: Int?

    func promptText(forChoice i: Int) -> String { promptTexts[min(promptTexts.count - 1, i / max(1, n))] }

    func json() -> JSONValue {
        var o = JSONObject()
        o.append("id", .string(envelope.id))
        o.append("object", "text_completion")
        o.append("created", .int(envelope.created))
        o.append("model", .string(envelope.model))
        o.append("system_fingerprint", .string(envelope.systemFingerprint))
        var choices: [JSONValue] = []
        choices.reserveCapacity(plan.choices.count)
        for (i, choice) in plan.choices.enumerated() {
            let generated = choice.output.visibleText
            let prompt = echo ? promptText(forChoice: i) : ""
            let lp: JSONValue = logprobs.map { top in
                Self.logprobsJSON(prompt: echo ? TokenCounter.tokenize(prompt) : [],
                                  generated: TokenCounter.tokenize(generated),
                                  offset: echo ? 0 : promptText(forChoice: i).count, top: top,
                                  seed: Self.logprobSeed(envelope, i))
            } ?? .null
            choices.append(.object(JSONObject([
                ("text", .string(prompt + generated)), ("index", .int(i)), ("logprobs", lp),
                ("finish_reason", .string(choice.finishReason)),
            ])))
        }
        o.append("choices", .array(choices))
        o.append("usage", CompletionEnvelope.usageJSON(usage, details: false))
        return .object(o)
    }

    static func logprobSeed(_ envelope: CompletionEnvelope, _ index: Int) -> UInt64 {
        var h = StableHash(envelope.seed)
        h.combine("completion-logprobs")
        h.combine(index)
        return h.finalized
    }

    /// `{tokens, token_logprobs, top_logprobs, text_offset}`. Echoed prompt tokens come first;
    /// the very first prompt token has null in `token_logprobs` and `top_logprobs`.
    static func logprobsJSON(prompt: [String], generated: [String], offset: Int, top: Int, seed: UInt64,
                             firstPromptIsStart: Bool = true) -> JSONValue {
        var h = StableHash(seed)
        h.combine("prompt")
        let promptLP = LogprobSynthesizer.synthesize(prompt, topLogprobs: top, seed: h.finalized)
        let genLP = LogprobSynthesizer.synthesize(generated, topLogprobs: top, seed: seed)
        var tokens: [JSONValue] = []
        var logprobs: [JSONValue] = []
        var tops: [JSONValue] = []
        for (i, lp) in (promptLP + genLP).enumerated() {
            tokens.append(.string(lp.token))
            let isStart = firstPromptIsStart && i == 0 && !prompt.isEmpty
            logprobs.append(isStart ? .null : .double(lp.logprob))
            if isStart {
                tops.append(.null)
            } else {
                var d = JSONObject()
                for alt in lp.topLogprobs.prefix(top) where d[alt.token] == nil { d.append(alt.token, .double(alt.logprob)) }
                tops.append(.object(d))
            }
        }
        let offsets = LogprobSynthesizer.textOffsets(prompt + generated, start: offset).map { JSONValue.int($0) }
        return .object(JSONObject([
            ("tokens", .array(tokens)), ("token_logprobs", .array(logprobs)),
            ("top_logprobs", .array(tops)), ("text_offset", .array(offsets)),
        ]))
    }
}

extension ReplyPlan.Output {
    /// The text a legacy completion shows (tool-style outputs have no meaning there).
    var visibleText: String {
        switch self {
        case .text(let t), .refusal(let t): return t
        case .toolCalls(_, let content): return content ?? ""
        case .functionCall(_, let arguments): return arguments
        }
    }
}
