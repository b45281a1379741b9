/// What chat and legacy completions need for a fine-tuned model: the jobs that finished by now
/// recorded (so the model exists), then what the model learned.
enum FineTunedReplies {
    /// Names that may be fine-tuned models: `ft:…`, legacy `curie:ft-…`.
    static func mayBeFineTuned(_ model: String) -> Bool {
        // Bytes, not `String.contains`: this runs on every completion request.
        model.hasPrefix("ft:") || OutputLimiter.firstIndex(of: Array(":ft-".utf8), in: Array(model.utf8)) != nil
    }

    /// Settles due jobs when `model` may be fine-tuned; returns how to get its learned model once the
    /// request has resolved it (nil for any other model).
    static func prepare(_ model: String, ctx: RequestContext) async throws(OpenAIError)
        -> @Sendable (ModelInfo) async throws(OpenAIError) -> LearnedModel? {
        if mayBeFineTuned(model) {
            await ctx.leaveEventLoop()  // settling jobs and learning from their files takes a while
            try await ctx.state.fineTuning.settle()
        }
        let service = ctx.state.fineTuning
        return { info throws(OpenAIError) in
            guard let source = info.learned else { return nil }
            return try await service.learnedModel(source)
        }
    }
}
