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
        var w = JSONWriter(capacity: 320)
        writeUsage(u, details: details, into: &w)
        return (try? JSONValue.parse(w.bytes())) ?? .null
    }

    /// The same object written directly (a reply written as bytes needs no tree of it).
    static func writeUsage(_ u: ReplyUsage, details: Bool, into w: inout JSONWriter) {
        w.literal(#"{"prompt_tokens":"#)
        w.int(u.promptTokens)
        w.literal(#","completion_tokens":"#)
        w.int(u.completionTokens)
        w.literal(#","total_tokens":"#)
        w.int(u.totalTokens)
        if details {
            w.literal(#","prompt_tokens_details":{"cached_tokens":"#)
            w.int(u.cachedTokens)
            w.literal(#","audio_tokens":"#)
            w.int(u.promptAudioTokens)
            w.literal(#"},"completion_tokens_details":{"reasoning_tokens":"#)
            w.int(u.reasoningTokens)
            w.literal(#","audio_tokens":"#)
            w.int(u.audioTokens)
            w.literal(#","accepted_prediction_tokens":"#)
            w.int(u.acceptedPredictionTokens)
            w.literal(#","rejected_prediction_tokens":"#)
            w.int(u.rejectedPredictionTokens)
            w.byte(UInt8(ascii: "}"))
        }
        w.byte(UInt8(ascii: "}"))
    }
}
