/// The seed of a generated reply: a hash of the request body in canonical form and `--seed`.
///
/// Canonical means object keys sorted and numbers/strings as parsed, so the same request sent
/// by different clients (0.28's `{"a": 1}` spacing, another key order) gets the same reply.
/// Fields that only shape or limit the output are left out, like a real model's sampling is not
/// changed by them: a streamed request gets the plain one's text, `max_tokens: 5` gets its first
/// five tokens, a `stop` sequence cuts that same text, `n: 3` starts with `n: 1`'s answer, and an audio
/// reply speaks the same text in every format and voice.
/// `seed`, `temperature`, the messages and the tools do change the answer.
public enum ReplySeed {
    static let ignoredKeys: Set<String> = [
        "stream", "stream_options", "stop", "max_tokens", "max_completion_tokens", "n", "best_of", "echo",
        "logprobs", "top_logprobs", "user", "metadata", "store", "service_tier", "safety_identifier",
        "prompt_cache_key", "prompt_cache_retention", "prompt_cache_options", "parallel_tool_calls", "audio", "moderation",
    ]

    public static func of(_ body: JSONObject, seed: UInt64) -> UInt64 {
        var h = StableHash(seed)
        h.combine("reply")
        let kept = body.pairs.filter { !ignoredKeys.contains($0.key) }
        hash(.object(JSONObject(kept.map { ($0.key, $0.value) })), into: &h)
        return h.finalized
    }

    static func hash(_ value: JSONValue, into h: inout StableHash) {
        switch value {
        case .null: h.combine("n")
        case .bool(let b): h.combine(b ? "t" : "f")
        case .int(let i): h.combine("i"); h.combine(i)
        case .double(let d): h.combine("d"); h.combine(d.bitPattern)
        case .string(let s): h.combine("s"); h.combine(s)
        case .array(let a):
            h.combine("a")
            h.combine(a.count)
            for v in a { hash(v, into: &h) }
        case .object(let o):
            h.combine("o")
            h.combine(o.count)
            // Last value wins for duplicate keys, as lookups do; then sort by key bytes.
            var seen: [String: JSONValue] = [:]
            for (k, v) in o { seen[k] = v }
            for k in seen.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
                h.combine(k)
                hash(seen[k]!, into: &h)
            }
        }
    }
}
