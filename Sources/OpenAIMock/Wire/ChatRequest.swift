/// A validated `POST /v1/chat/completions` body.
///
/// Checks run in the real API's order: body shape and field types, ranges, then the model
/// (exists, is a chat model, what it supports: `ChatRequest+Model.swift`), then the context window.
/// Unknown fields are ignored: clients add new ones faster than any mock can learn them.
public struct ChatRequest: Sendable, Equatable {
    public var model: String
    public var messages: [ChatMessage]
    public var n: Int
    /// `max_completion_tokens` ?? `max_tokens`.
    public var maxTokens: Int?
    /// Which of the two parameters set ``maxTokens`` (for error `param`s).
    public var maxTokensParam: String
    public var stop: [String]
    public var stream: Bool
    public var includeUsage: Bool
    public var logprobs: Bool
    public var topLogprobs: Int
    public var temperature: Double?
    public var seed: Int?
    /// `tools` (function and custom).
    public var tools: [ChatTool]
    public var toolChoice: ChatToolChoice
    public var parallelToolCalls: Bool
    /// Deprecated `functions` / `function_call`.
    public var functions: [ChatTool]
    public var functionCall: ChatToolChoice
    public var responseFormat: ChatResponseFormat
    /// Whether the body sent `max_tokens` itself (reasoning models reject it).
    public var sentMaxTokens: Bool
    /// Sampling parameters as sent (reasoning models take only their defaults).
    public var topP: Double?
    public var presencePenalty: Double?
    public var frequencyPenalty: Double?
    public var sentLogitBias: Bool
    /// Audio, predictions, reasoning effort, verbosity, web search, moderation, storage.
    public var options: ChatOptions

    public init(_ body: JSONObject) throws(OpenAIError) {
        let f = CompletionFields(body)
        model = try f.model()
        guard let m = f.value("messages") else { throw OpenAIError.missingParameter("messages") }
        guard case .array(let items) = m else { throw OpenAIError.invalidType("messages", expected: "an array", got: m) }
        if items.isEmpty { throw ChatToolParsing.emptyArray("messages") }
        var messages: [ChatMessage] = []
        messages.reserveCapacity(items.count)
        for (i, item) in items.enumerated() { messages.append(try ChatMessage.parse(item, index: i)) }
        self.messages = messages

        try f.validateSampling()
        temperature = f.value("temperature")?.doubleValue
        topP = f.value("top_p")?.doubleValue
        presencePenalty = f.value("presence_penalty")?.doubleValue
        frequencyPenalty = f.value("frequency_penalty")?.doubleValue
        sentLogitBias = f.value("logit_bias")?.objectValue?.isEmpty == false
        seed = f.value("seed")?.intValue
        n = try f.n()
        let completionCap = try f.int("max_completion_tokens")
        let legacyCap = try f.int("max_tokens")
        sentMaxTokens = legacyCap != nil
        maxTokensParam = completionCap != nil ? "max_completion_tokens" : "max_tokens"
        maxTokens = completionCap ?? legacyCap
        if let cap = maxTokens { try CompletionFields.check(cap, maxTokensParam, 1...Int.max) }
        stop = try f.stop()
        (stream, includeUsage) = try f.streaming()

        logprobs = try f.bool("logprobs") ?? false
        let top = try f.int("top_logprobs", in: 0...20)
        if top != nil && !logprobs {
            throw OpenAIError.invalidRequest("Invalid value for 'top_logprobs': 'logprobs' must be set to true when 'top_logprobs' is used.",
                                             param: "top_logprobs", code: "invalid_value")
        }
        topLogprobs = top ?? 0

        tools = try ChatToolParsing.tools(f.value("tools"))
        toolChoice = try ChatToolParsing.toolChoice(f.value("tool_choice"), tools: tools)
        let parallel = try f.bool("parallel_tool_calls")
        if parallel != nil && tools.isEmpty {
            throw OpenAIError.invalidRequest(
                "Invalid value for 'parallel_tool_calls': 'parallel_tool_calls' is only allowed when 'tools' are specified.",
                param: "parallel_tool_calls")
        }
        parallelToolCalls = parallel ?? true
        functions = try ChatToolParsing.functions(f.value("functions"))
        functionCall = try ChatToolParsing.functionCall(f.value("function_call"), functions: functions)
        responseFormat = try ChatToolParsing.responseFormat(f.value("response_format"))
        if responseFormat == .jsonObject && !messages.contains(where: { $0.text.lowercased().contains("json") }) {
            throw OpenAIError.invalidRequest(
                "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
                param: "messages")
        }
        try ChatMessage.checkToolTurns(messages)
        options = try ChatOptions(f)
    }

    /// What an image, audio or file part costs (a low-detail image).
    static let mediaPartTokens = 85

    /// Prompt tokens the way the cookbook counts chat input, plus tool definitions and
    /// assistant tool calls, plus a flat 85 per image/audio/file part (a low-detail image).
    public var promptTokens: Int {
        var total = TokenCounter.countChat(messages.map { ($0.role.rawValue, $0.text, $0.name) })
        for m in messages {
            total += m.mediaParts * Self.mediaPartTokens
            for call in m.toolCalls { total += 3 + TokenCounter.count(call.name) + TokenCounter.count(call.arguments) }
            if let fc = m.functionCall { total += 3 + TokenCounter.count(fc.name) + TokenCounter.count(fc.arguments) }
        }
        for tool in tools + functions {
            total += 8 + TokenCounter.count(tool.name) + TokenCounter.count(tool.description ?? "")
            if let p = tool.parameters { total += TokenCounter.count(p.jsonString) }
        }
        if case .jsonSchema(_, let schema, _) = responseFormat { total += TokenCounter.count(schema.jsonString) }
        return total
    }

    /// 400 `context_length_exceeded` when prompt (+ requested completion) exceeds the window.
    public func checkContext(promptTokens: Int, model: ModelInfo) throws(OpenAIError) {
        let window = model.contextWindow
        if let cap = maxTokens {
            guard cap > window - promptTokens else { return }
            // Both are non-negative: summed unsigned, so a `max_tokens` near Int.max cannot overflow.
            throw OpenAIError.invalidRequest(
                "This model's maximum context length is \(window) tokens. However, you requested \(UInt(promptTokens) + UInt(cap)) tokens (\(promptTokens) in the messages, \(cap) in the completion). Please reduce the length of the messages or completion.",
                param: "messages", code: "context_length_exceeded")
        }
        guard promptTokens > window else { return }
        throw OpenAIError.invalidRequest(
            "This model's maximum context length is \(window) tokens. However, your messages resulted in \(promptTokens) tokens. Please reduce the length of the messages.",
            param: "messages", code: "context_length_exceeded")
    }

    /// The last user message's text ("" if none): what the default generator answers.
    public var lastUserText: String {
        messages.last(where: { $0.role == .user })?.text ?? ""
    }
}
