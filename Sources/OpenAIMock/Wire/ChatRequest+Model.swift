/// The checks of a chat request that depend on its model: the endpoint serves it, and the model takes
/// what the request asks (reasoning restrictions, audio, web search, predictions, verbosity).
extension ChatRequest {
    /// Model-dependent checks; returns the model's catalogue entry. `responses`: the request came to
    /// `/v1/responses` (translated), which serves chat models and responses-only ones.
    public func validate(models: ModelCatalog, responses: Bool = false) throws(OpenAIError) -> ModelInfo {
        guard let info = models.resolve(model, for: .chat) else { throw OpenAIError.modelNotFound(model) }
        switch info.kind {
        case .chat: break
        case .responses where responses: break
        case _ where responses:
            throw OpenAIError.invalidRequest("The requested model '\(model)' is not supported with the Responses API.",
                                             param: "model", code: "model_not_supported")
        case .completion:
            throw OpenAIError(status: 404,
                              message: "This is not a chat model and thus not supported in the v1/chat/completions endpoint. Did you mean to use v1/completions?",
                              param: "model")
        case .responses:
            throw OpenAIError(status: 404, message: "This model is only supported in v1/responses and not in v1/chat/completions.",
                              param: "model")
        case .embedding, .moderation, .image, .speech, .transcription, .realtime, .video:
            throw OpenAIError(status: 404,
                              message: "This is not a chat model and thus not supported in the v1/chat/completions endpoint.",
                              param: "model")
        }
        try checkReasoning(info)
        try checkFeatures(info, models: models)
        if let cap = maxTokens, let limit = info.maxOutputTokens, cap > limit {
            throw OpenAIError.invalidRequest(
                "\(maxTokensParam) is too large: \(cap). This model supports at most \(limit) completion tokens, whereas you provided \(cap).",
                param: maxTokensParam, code: "invalid_value")
        }
        return info
    }

    /// The reasoning effort the model answers with (nil for a model that does not reason).
    public func effort(on model: ModelInfo) -> ReasoningEffort? {
        guard model.reasoning else { return nil }
        return options.reasoningEffort ?? model.defaultEffort ?? .medium
    }

    /// Reasoning models take `reasoning_effort` (within their range) and, unless the effort is `none`,
    /// only the default sampling parameters and no logprobs or logit bias; `max_tokens` never.
    private func checkReasoning(_ info: ModelInfo) throws(OpenAIError) {
        guard info.reasoning else {
            if options.reasoningEffort != nil { throw OpenAIError.unsupportedParameter("reasoning_effort") }
            return
        }
        if sentMaxTokens {
            throw OpenAIError.invalidRequest(
                "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
                param: "max_tokens", code: "unsupported_parameter")
        }
        if let asked = options.reasoningEffort {
            if info.reasoningEfforts.isEmpty { throw OpenAIError.unsupportedParameter("reasoning_effort") }
            guard info.reasoningEfforts.contains(asked) else {
                throw OpenAIError.unsupportedValue("reasoning_effort", "'\(asked.rawValue)'",
                                                   supported: info.reasoningEfforts.map(\.rawValue))
            }
        }
        guard effort(on: info) != .noReasoning else { return }
        for (param, value, standard) in [("temperature", temperature, 1.0), ("top_p", topP, 1.0),
                                         ("presence_penalty", presencePenalty, 0.0), ("frequency_penalty", frequencyPenalty, 0.0)] {
            if let value, value != standard {
                throw OpenAIError.invalidRequest(
                    "Unsupported value: '\(param)' does not support \(CompletionFields.format(value)) with this model. Only the default (\(CompletionFields.format(standard))) value is supported.",
                    param: param, code: "unsupported_value")
            }
        }
        if logprobs { throw OpenAIError.unsupportedParameter("logprobs") }
        if sentLogitBias { throw OpenAIError.unsupportedParameter("logit_bias") }
    }

    private func checkFeatures(_ info: ModelInfo, models: ModelCatalog) throws(OpenAIError) {
        let features = info.features
        if let audio = options.audio {
            guard features.contains(.audioOutput) else {
                throw OpenAIError.unsupportedValue("modalities", "'audio'", supported: ["text"])
            }
            if stream && audio.format != .pcm16 {
                throw OpenAIError.unsupportedValue("audio.format", "'\(audio.format.rawValue)'", supported: ["pcm16"],
                                                   context: "with stream=true")
            }
        } else if features.contains(.audioOnly) && !messages.contains(where: { $0.audioParts > 0 }) {
            throw OpenAIError.invalidRequest("This model requires that either input content or output modality contain audio.",
                                             param: "model", code: "invalid_value")
        }
        if options.webSearch && !features.contains(.webSearch) { throw OpenAIError.unsupportedParameter("web_search_options") }
        if options.prediction != nil && !features.contains(.predictedOutputs) { throw OpenAIError.unsupportedParameter("prediction") }
        if let v = options.verbosity, v != "medium", !features.contains(.verbosity) {
            throw OpenAIError.unsupportedValue("verbosity", "'\(v)'", supported: ["medium"])
        }
        if let moderation = options.moderation {
            guard let m = models.resolve(moderation.model, for: .moderation) else { throw OpenAIError.modelNotFound(moderation.model) }
            guard m.kind == .moderation else {
                throw OpenAIError.invalidRequest("The model `\(moderation.model)` is not a moderation model. Use omni-moderation-latest or text-moderation-latest.",
                                                 param: "moderation.model", code: "invalid_value")
            }
        }
    }
}
