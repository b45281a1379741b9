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
        hash(object: body.pairs.filter { !ignoredKeys.contains($0.key) }, into: &h)
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
            hash(object: o.pairs, into: &h)
        }
    }

    /// Keys sorted by their bytes, each once: spelled as it first appears, with the last value given
    /// (last value wins, as lookups do).
    static func hash(object pairs: [(key: String, value: JSONValue)], into h: inout StableHash) {
        h.combine("o")
        h.combine(pairs.count)
        var unique: [(key: String, value: JSONValue)] = []
        if pairs.count <= 16 {
            // Small objects (nearly all): no dictionary.
            unique.reserveCapacity(pairs.count)
            for (i, pair) in pairs.enumerated() where !pairs[..<i].contains(where: { $0.key == pair.key }) {
                unique.append((pair.key, pairs[i...].last { $0.key == pair.key }!.value))
            }
        } else {
            var seen: [String: JSONValue] = [:]
            for (k, v) in pairs { seen[k] = v }
            unique = seen.map { ($0.key, $0.value) }
        }
        unique.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        for (k, v) in unique {
            h.combine(k)
            hash(v, into: &h)
        }
    }
}
