/// The fields every chat / completions object and chunk repeats, and the `usage` object.
struct CompletionEnvelope: Sendable {
    let id: String
    let created: Int
    let model: String
    let systemFingerprint: String
    /// The request's generation seed (independent of `stream`), for per-token data such as
    /// logprobs that must agree between streamed and plain replies.
    let seed: UInt64

    /// `fp_` + 10 hex digits derived from the model name alone, so a model keeps one
    /// fingerprint across requests, processes and seeds (as a deployed model does).
    static func fingerprint(model: String) -> String {
        "fp_" + StableHash.idSuffix(StableHash.of("system_fingerprint", model), length: 10, mixedCase: false)
    }

    /// `CompletionUsage` with both details objects (chat) or the three totals only.
    static func usageJSON(_ u: ReplyUsage, details: Bool) -> JSONValue {
        var o = JSONObject()
        o.append("prompt_tokens", .int(u.promptTokens))
        o.append("completion_tokens", .int(u.completionTokens))
        o.append("total_tokens", .int(u.totalTokens))
        if details {
            o.append("prompt_tokens_details", .object(JSONObject([
                ("cached_tokens", .int(u.cachedTokens)), ("audio_tokens", .int(u.promptAudioTokens)),
            ])))
            o.append("completion_tokens_details", .object(JSONObject([
                ("reasoning_tokens", .int(u.reasoningTokens)), ("audio_tokens", .int(u.audioTokens)),
                ("accepted_prediction_tokens", .int(u.acceptedPredictionTokens)),
                ("rejected_prediction_tokens", .int(u.rejectedPredictionTokens)),
            ])))
        }
        return .object(o)
    }
}
