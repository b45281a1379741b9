/// The token numbers of a reply's `usage`, computed from the plan and the prompt.
///
/// One computation for chat and legacy completions, streamed or not, so `usage` always agrees
/// with what was sent; a scenario's ``ReplyPlan/UsageOverride`` wins field by field.
public struct ReplyUsage: Sendable, Equatable {
    public var promptTokens: Int
    public var completionTokens: Int
    public var cachedTokens: Int
    public var reasoningTokens: Int
    /// Audio in the prompt (`input_audio` parts) and in the reply (audio output); the latter is part of
    /// `completionTokens`.
    public var promptAudioTokens = 0
    public var audioTokens = 0
    /// Predicted Outputs: predicted tokens the reply used, and those it did not (billed as completion tokens).
    public var acceptedPredictionTokens = 0
    public var rejectedPredictionTokens = 0

    public var totalTokens: Int { promptTokens + completionTokens }

    public init(promptTokens: Int, completionTokens: Int, cachedTokens: Int = 0, reasoningTokens: Int = 0) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.cachedTokens = cachedTokens
        self.reasoningTokens = reasoningTokens
    }

    /// Usage of `plan` for a prompt of `promptTokens`. Reasoning tokens are billed as completion
    /// tokens (as the API does for o-series models).
    public init(plan: ReplyPlan, promptTokens: Int) {
        let reasoning = plan.usage.reasoningTokens ?? 0
        let generated = plan.choices.reduce(0) { $0 + Self.tokens(of: $1) }
        self.init(promptTokens: plan.usage.promptTokens ?? promptTokens,
                  completionTokens: plan.usage.completionTokens ?? generated + reasoning,
                  cachedTokens: plan.usage.cachedTokens ?? 0,
                  reasoningTokens: reasoning)
    }

    /// Billed tokens of one choice: its explicit count, or its text counted; each tool call adds
    /// a few framing tokens as the real tokenizer spends them on the call syntax.
    public static func tokens(of choice: ReplyPlan.Choice) -> Int {
        if let n = choice.completionTokens { return n }
        switch choice.output {
        case .text(let t), .refusal(let t): return TokenCounter.count(t)
        case .toolCalls(let calls, let content):
            return calls.reduce(TokenCounter.count(content ?? "")) {
                $0 + 7 + TokenCounter.count($1.name) + TokenCounter.count($1.arguments)
            }
        case .functionCall(let name, let arguments):
            return 4 + TokenCounter.count(name) + TokenCounter.count(arguments)
        }
    }
}
