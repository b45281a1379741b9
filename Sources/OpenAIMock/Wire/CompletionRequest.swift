/// A validated `POST /v1/completions` body (legacy text completions).
public struct CompletionRequest: Sendable, Equatable {
    /// One prompt: text, or token ids (which the mock cannot decode without a vocabulary, so
    /// they count as tokens but echo as nothing).
    public enum Prompt: Sendable, Equatable {
        case text(String)
        case tokens([Int])

        public var text: String {
            if case .text(let t) = self { return t }
            return ""
        }

        public var tokenCount: Int {
            switch self {
            case .text(let t): return TokenCounter.count(t)
            case .tokens(let ids): return ids.count
            }
        }
    }

    public var model: String
    public var prompts: [Prompt]
    public var suffix: String?
    /// Default 16, as the real API.
    public var maxTokens: Int
    public var n: Int
    public var bestOf: Int
    public var stop: [String]
    public var stream: Bool
    public var includeUsage: Bool
    /// Number of top alternatives per position (0–5), nil: no logprobs.
    public var logprobs: Int?
    public var echo: Bool
    public var seed: Int?

    public init(_ body: JSONObject) throws(OpenAIError) {
        let f = CompletionFields(body)
        model = try f.model()
        guard let p = f.value("prompt") else { throw OpenAIError.missingParameter("prompt") }
        prompts = try Self.parsePrompt(p)
        suffix = try f.string("suffix")
        try f.validateSampling()
        seed = f.value("seed")?.intValue
        maxTokens = try f.int("max_tokens", in: 0...Int.max) ?? 16
        n = try f.n()
        stop = try f.stop()
        (stream, includeUsage) = try f.streaming()
        logprobs = try f.int("logprobs", in: 0...5)
        echo = try f.bool("echo") ?? false
        let best = try f.int("best_of", in: 0...20)
        bestOf = best ?? n
        if let best, best < n {
            throw OpenAIError.invalidRequest(
                "You requested that the server return more choices than it will generate (HINT: you must set 'n' (currently \(n)) to be at most 'best_of' (currently \(best)), or omit either parameter if you don't specifically need to use them.)",
                param: "best_of")
        }
        if let best, best > 1, stream {
            throw OpenAIError.invalidRequest("Cannot stream results with best_of > 1. Please set 'best_of' to 1 or 'stream' to false.",
                                             param: "best_of")
        }
    }

    /// string | string[] | int[] (one token prompt) | int[][] (several).
    static func parsePrompt(_ value: JSONValue) throws(OpenAIError) -> [Prompt] {
        switch value {
        case .string(let s): return [.text(s)]
        case .array(let items):
            guard let first = items.first else { throw ChatToolParsing.emptyArray("prompt") }
            switch first {
            case .string:
                var out: [Prompt] = []
                for (i, item) in items.enumerated() {
                    guard case .string(let s) = item else { throw OpenAIError.invalidType("prompt[\(i)]", expected: "a string", got: item) }
                    out.append(.text(s))
                }
                return out
            case .int, .double:
                return [.tokens(try tokenIDs(items, path: "prompt"))]
            case .array:
                var out: [Prompt] = []
                for (i, item) in items.enumerated() {
                    guard case .array(let ids) = item else { throw OpenAIError.invalidType("prompt[\(i)]", expected: "an array", got: item) }
                    if ids.isEmpty { throw ChatToolParsing.emptyArray("prompt[\(i)]") }
                    out.append(.tokens(try tokenIDs(ids, path: "prompt[\(i)]")))
                }
                return out
            default:
                throw OpenAIError.invalidType("prompt[0]", expected: "one of a string or integer", got: first)
            }
        default:
            throw OpenAIError.invalidType("prompt", expected: "one of a string, array of strings, array of integers, or array of arrays of integers", got: value)
        }
    }

    private static func tokenIDs(_ items: [JSONValue], path: String) throws(OpenAIError) -> [Int] {
        var ids: [Int] = []
        ids.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            guard let id = item.intValue, id >= 0 else {
                throw OpenAIError.invalidType("\(path)[\(i)]", expected: "a non-negative integer", got: item)
            }
            ids.append(id)
        }
        return ids
    }

    /// Model-dependent checks; returns the model's catalogue entry.
    public func validate(models: ModelCatalog) throws(OpenAIError) -> ModelInfo {
        guard let info = models.resolve(model, for: .completion) else { throw OpenAIError.modelNotFound(model) }
        switch info.kind {
        case .completion: break
        case .chat:
            throw OpenAIError(status: 404,
                              message: "This is a chat model and not supported in the v1/completions endpoint. Did you mean to use v1/chat/completions?",
                              param: "model")
        case .responses:
            throw OpenAIError(status: 404, message: "This model is only supported in v1/responses and not in v1/completions.",
                              param: "model")
        case .embedding, .moderation, .image, .speech, .transcription, .realtime, .video:
            throw OpenAIError(status: 404, message: "This model is not supported in the v1/completions endpoint.", param: "model")
        }
        return info
    }

    /// Prompt tokens of each prompt (suffix included, as it is part of the model input).
    public var promptTokenCounts: [Int] {
        let extra = suffix.map(TokenCounter.count) ?? 0
        return prompts.map { $0.tokenCount + extra }
    }

    /// 400 `context_length_exceeded` when a prompt plus `max_tokens` exceeds the window.
    public func checkContext(promptTokens: [Int], model: ModelInfo) throws(OpenAIError) {
        let window = model.contextWindow
        // Both are non-negative: the sum is computed unsigned, so `max_tokens: 9223372036854775807` cannot overflow.
        for tokens in promptTokens where maxTokens > window - tokens {
            throw OpenAIError.invalidRequest(
                "This model's maximum context length is \(window) tokens, however you requested \(UInt(tokens) + UInt(maxTokens)) tokens (\(tokens) in your prompt; \(maxTokens) for the completion). Please reduce your prompt; or completion length.",
                param: "prompt", code: "context_length_exceeded")
        }
    }
}
